/**
 * A real stack of the project's Pulumi program against a local Twilio emulator, for end-to-end
 * tests: its own emulator, its own file backend, its own accounts YAML in a temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { twilioSpecValidator } from "../../src/emulator/openapi";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/server";
import type { PulumiWorkspace } from "../../src/pulumi/environment";
import { type EngineEvent, runPulumiWithEvents, stepsOf } from "../../src/pulumi/events";
import { initStack, type PulumiResult, type RunOptions, runPulumi } from "../../src/pulumi/run";
import { createTwilioClient, type TwilioClient } from "../../src/twilio/client";
import { repoRoot } from "../../src/util/repo-root";

export interface AccountsStack {
  readonly emulator: RunningEmulator;
  readonly stack: string;
  ws: PulumiWorkspace;
  /** An SDK client on the emulator, to look at Twilio (or change it "outside") as a person would. */
  readonly twilio: TwilioClient;
  /** Replaces the accounts YAML the stack reads. */
  writeAccounts(yaml: string): void;
  /** Runs a Pulumi command on this stack (`--stack` is added). */
  pulumi(args: string[], options?: RunOptions): Promise<PulumiResult & { events: EngineEvent[] }>;
  /** Runs a Pulumi command that takes no --event-log (stack export, config …) on this stack. */
  cli(args: string[], options?: RunOptions): Promise<PulumiResult>;
  /** The `accounts` stack output. */
  outputs(): Promise<Record<string, unknown>>;
  dispose(): Promise<void>;
}

let counter = 0;

export async function createAccountsStack(
  emulatorOptions: EmulatorOptions = {},
): Promise<AccountsStack> {
  // Every exchange the providers (and the test) have with the emulator is checked against
  // Twilio's OpenAPI description when the stack is disposed: requests the project sends included.
  const exchanges: RequestLogEntry[] = [];
  const emulator = await startEmulator({
    ...emulatorOptions,
    onExchange: (entry) => {
      exchanges.push(entry);
      emulatorOptions.onExchange?.(entry);
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "accounts-stack-"));
  const accountsFile = join(dir, "accounts.yaml");
  const stack = `e2e-${process.pid}-${++counter}`;
  // The secret goes through the environment only (see providers/twilio-session.ts).
  const ws: PulumiWorkspace = {
    projectDir: repoRoot,
    stateDir: join(dir, "state"),
    env: { TWILIO_AUTH_TOKEN: emulatorOptions.authToken ?? DEFAULT_AUTH_TOKEN },
  };
  writeFileSync(accountsFile, "accounts: []\n");
  await initStack(ws, stack, {
    plain: {
      accountFiles: JSON.stringify([accountsFile]),
      twilioAccountSid: emulatorOptions.accountSid ?? DEFAULT_ACCOUNT_SID,
      twilioBaseUrl: emulator.baseUrl,
    },
  });
  return {
    emulator,
    stack,
    ws,
    twilio: createTwilioClient({
      accountSid: emulatorOptions.accountSid ?? DEFAULT_ACCOUNT_SID,
      authToken: emulatorOptions.authToken ?? DEFAULT_AUTH_TOKEN,
      baseUrl: emulator.baseUrl,
    }),
    writeAccounts(yaml) {
      writeFileSync(accountsFile, yaml);
    },
    async pulumi(args, options) {
      const result = await runPulumiWithEvents(ws, [...args, "--stack", stack], options);
      // Issue 16: Pulumi warns on every plugin load when its bundled dynamic provider plugin is
      // found on PATH instead of beside the CLI (scripts/ensure-pulumi.sh puts it there).
      if (/using pulumi-resource-pulumi-nodejs from \$PATH/.test(result.output)) {
        throw new Error(`pulumi ${args.join(" ")} warned about its plugin:\n${result.output}`);
      }
      return result;
    },
    cli(args, options) {
      return runPulumi(ws, [...args, "--stack", stack], options);
    },
    async outputs() {
      const result = await runPulumi(ws, [
        "stack",
        "output",
        "--json",
        "--show-secrets",
        "--stack",
        stack,
      ]);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    },
    async dispose() {
      // The stack's state and config go; the state holds protected numbers, hence --force.
      await runPulumi(ws, ["stack", "rm", stack, "--yes", "--force"], { check: false });
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
      const validator = twilioSpecValidator();
      const violations = exchanges.flatMap((entry) => validator.validateExchange(entry));
      if (violations.length > 0) {
        throw new Error(
          `exchanges that violate Twilio's OpenAPI description:\n${JSON.stringify(violations, null, 2)}`,
        );
      }
    },
  };
}

export const PHONE_NUMBER = "pulumi-nodejs:dynamic/twilio:PhoneNumber";
export const MESSAGING_SERVICE = "pulumi-nodejs:dynamic/twilio:MessagingService";
export const SERVICE_NUMBER = "pulumi-nodejs:dynamic/twilio:ServiceNumber";

/** `op type name` of each Twilio resource step, sorted, for readable assertions. */
export function twilioSteps(events: EngineEvent[]): string[] {
  return stepsOf(events)
    .filter(
      (step) =>
        step.type.startsWith("pulumi-nodejs:dynamic/twilio:") && !step.type.endsWith("NumberGuard"),
    )
    .map((step) => `${step.op} ${step.type.split(":").pop()} ${step.urn.split("::").pop()}`)
    .sort();
}
