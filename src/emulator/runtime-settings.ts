/**
 * Behaviour of the emulated Twilio that a test or a demo may change while the emulator runs
 * (admin `GET`/`PATCH /__emulator/settings`) or set at start (`startEmulator` options, CLI flags).
 * Settings are configuration, not account state: the state file does not keep them.
 *
 * - `messageListLagMs`: how long a new message stays out of the Messages list (Twilio's list may
 *   lag the create; fetch by SID works at once). Default 0.
 */
import type { EmulatorState } from "./models/state";

export interface RuntimeSettings {
  messageListLagMs: number;
}

export function readRuntimeSettings(state: EmulatorState): RuntimeSettings {
  return { messageListLagMs: state.messages.listLagMs };
}

function nonNegativeMs(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a number of milliseconds >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Changes the given settings, all or nothing: an invalid value changes none. */
export function applyRuntimeSettings(
  state: EmulatorState,
  partial: Partial<RuntimeSettings>,
): void {
  if (typeof partial !== "object" || partial === null || Array.isArray(partial)) {
    throw new Error("settings must be a JSON object");
  }
  const unknown = Object.keys(partial).filter((key) => key !== "messageListLagMs");
  if (unknown.length > 0) throw new Error(`unknown setting(s): ${unknown.join(", ")}`);
  const lag =
    partial.messageListLagMs !== undefined
      ? nonNegativeMs("messageListLagMs", partial.messageListLagMs)
      : undefined;
  if (lag !== undefined) state.messages.listLagMs = lag;
}
