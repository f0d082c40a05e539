/**
 * What the README tells a person to do after a killed `up`, run exactly that way: `npm run pulumi
 * -- recover --stack …`, then `npm run pulumi -- preview` and `up` (which the wrapper makes refresh
 * from Twilio first), here with `--event-log` so a test can hold the `up` to its preview.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ensurePulumiCli, LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import type { EngineEvent } from "../../src/pulumi/events";
import { repoRoot } from "../../src/util/repo-root";
import type { AccountsStack } from "./accounts-stack";
import { twilioSteps } from "./accounts-stack";
import { changingSteps } from "./preview-then-up";
import { type CommandResult, runCommand } from "./run-command";

const TSX = join(repoRoot, "node_modules", ".bin", "tsx");

/** The environment a person's shell gives `npm run pulumi` for this stack's backend. */
export function wrapperEnv(stack: AccountsStack): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...stack.ws.env,
    PULUMI_CLI_BIN: ensurePulumiCli(),
    PULUMI_BACKEND_URL: `file://${stack.ws.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
  };
}

/** `npm run pulumi -- <args>` (the wrapper's entry point, as npm runs it). */
export function npmRunPulumi(stack: AccountsStack, args: string[]): Promise<CommandResult> {
  return runCommand(TSX, ["src/cli/pulumi.ts", ...args], {
    cwd: repoRoot,
    env: wrapperEnv(stack),
  });
}

/** `npm run pulumi -- recover --stack …`; returns what it printed. */
export async function recover(stack: AccountsStack): Promise<string> {
  const result = await npmRunPulumi(stack, ["recover", "--stack", stack.stack]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain(`stack ${stack.stack} recovered`);
  return result.stdout + result.stderr;
}

/** `npm run pulumi -- <command> --stack …` with an event log; fails the test on a non-zero exit. */
async function documented(
  stack: AccountsStack,
  command: string[],
): Promise<CommandResult & { events: EngineEvent[] }> {
  const dir = mkdtempSync(join(tmpdir(), "documented-"));
  try {
    const log = join(dir, "events.jsonl");
    const result = await npmRunPulumi(stack, [
      ...command,
      "--stack",
      stack.stack,
      "--event-log",
      log,
    ]);
    expect(
      result.code,
      `npm run pulumi -- ${command.join(" ")}:\n${result.stdout}${result.stderr}`,
    ).toBe(0);
    // The wrapper's own line: the documented path refreshes.
    expect(result.stderr).toContain("npm run pulumi: added --refresh");
    const events = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as EngineEvent);
    return { ...result, events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The re-run after a recovery, the documented way: `npm run pulumi -- preview`, then `up`, each
 * refreshing first; `up` must do what the preview showed. Then a second `up` changes nothing.
 */
export async function documentedRerun(
  stack: AccountsStack,
): Promise<{ preview: EngineEvent[]; up: EngineEvent[] }> {
  const preview = await documented(stack, ["preview"]);
  const up = await documented(stack, ["up", "--yes", "--skip-preview"]);
  expect(twilioSteps(preview.events), "preview planned what up did").toEqual(
    twilioSteps(up.events),
  );
  stack.emulator.requestLog.clear();
  const noop = await documented(stack, ["up", "--yes", "--skip-preview"]);
  expect(changingSteps(noop.events)).toEqual([]);
  expect(stack.emulator.requestLog.countMutations()).toBe(0);
  return { preview: preview.events, up: up.events };
}
