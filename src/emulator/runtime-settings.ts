/**
 * Behaviour of the emulated Twilio that a test or a demo may change while the emulator runs
 * (admin `GET`/`PATCH /__emulator/settings`) or set at start (`startEmulator` options, CLI flags).
 * Settings are configuration, not account state: the state file does not keep them.
 *
 * - `messageListLagMs`: how long a new message stays out of the Messages list (Twilio's list may
 *   lag the create; fetch by SID works at once). Default 0.
 * - `autoReview`: `{ afterMs, outcome?, reason? }` decides every US A2P 10DLC submission (Trust
 *   Hub bundle, brand, campaign) `afterMs` after it was made, approving (default) or rejecting
 *   with `reason`; in review after half the time. Default null: reviews wait for the admin API.
 */

import { type AutoReview, DEFAULT_REJECTION_REASON } from "./models/review";
import type { EmulatorState } from "./models/state";

export interface RuntimeSettings {
  messageListLagMs: number;
  autoReview: AutoReview | null;
}

/** What a caller may give for `autoReview`: outcome and reason have defaults. */
export interface AutoReviewSetting {
  afterMs: number;
  outcome?: "approve" | "reject";
  reason?: string;
}

export interface RuntimeSettingsInput {
  messageListLagMs?: number;
  autoReview?: AutoReviewSetting | null;
}

const KNOWN = ["messageListLagMs", "autoReview"];

export function readRuntimeSettings(state: EmulatorState): RuntimeSettings {
  return {
    messageListLagMs: state.messages.listLagMs,
    autoReview: state.compliance.autoReview ? { ...state.compliance.autoReview } : null,
  };
}

function nonNegativeMs(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a number of milliseconds >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readAutoReview(value: unknown): AutoReview | null {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error("autoReview must be null or { afterMs, outcome?, reason? }");
  }
  const given = value as Record<string, unknown>;
  const outcome = given.outcome ?? "approve";
  if (outcome !== "approve" && outcome !== "reject") {
    throw new Error(`autoReview.outcome must be approve or reject, got ${JSON.stringify(outcome)}`);
  }
  const reason = given.reason ?? DEFAULT_REJECTION_REASON;
  if (typeof reason !== "string" || reason === "") {
    throw new Error("autoReview.reason must be a non-empty string");
  }
  return { afterMs: nonNegativeMs("autoReview.afterMs", given.afterMs), outcome, reason };
}

/** Changes the given settings, all or nothing: an invalid value changes none. */
export function applyRuntimeSettings(state: EmulatorState, input: RuntimeSettingsInput): void {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error("settings must be a JSON object");
  }
  const unknown = Object.keys(input).filter((key) => !KNOWN.includes(key));
  if (unknown.length > 0) throw new Error(`unknown setting(s): ${unknown.join(", ")}`);
  const lag =
    input.messageListLagMs !== undefined
      ? nonNegativeMs("messageListLagMs", input.messageListLagMs)
      : undefined;
  const autoReview = input.autoReview !== undefined ? readAutoReview(input.autoReview) : undefined;
  if (lag !== undefined) state.messages.listLagMs = lag;
  if (autoReview !== undefined) state.compliance.autoReview = autoReview;
}
