/**
 * The room that runs the Pulumi engine (src/pulumi/): the pinned CLI and its environment
 * (environment.ts), running a command (this file), engine events (events.ts), killing a crashed
 * run's process tree (process-tree.ts), which backend and secrets provider a person's command gets
 * (backend.ts), the wrapper's command-line rules (command-line.ts) and `recover` (recover.ts).
 * Product code: it runs in production CI as well as in tests.
 *
 * Imports only src/util. Never the emulator or the sender (a deployment runs without them), nor
 * the rooms that use it (plan, sync, start, cli), nor scripts/, bench/ or test/.
 *
 * This file: runs `pulumi <args>` with an environment made by environment.ts and collects what it
 * printed; a caller may kill it, with everything it started, to simulate a crash.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type PulumiWorkspace, pulumiEnvironment } from "./environment";
import { killProcessTree } from "./process-tree";

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  output: string;
}

export interface RunOptions {
  /** Echo the CLI's output to this process's stderr while it runs (progress on long work). */
  echo?: boolean;
  /** Fail (throw) on a non-zero exit code; default true. */
  check?: boolean;
  /** Written to the CLI's standard input (e.g. a secret value, so it never appears in argv). */
  input?: string;
  /**
   * Kills the CLI and everything it started when aborted (SIGKILL to every process below it and
   * their process groups: the plugins run in groups of their own): tests use it to simulate a
   * crash mid-deployment.
   */
  signal?: AbortSignal;
}

/** Runs `pulumi <args>` in the workspace and collects its output. */
export function runPulumi(
  ws: PulumiWorkspace,
  args: string[],
  options: RunOptions = {},
): Promise<PulumiResult> {
  return runPulumiIn(pulumiEnvironment(ws), ws.projectDir, args, options);
}

/** Runs `pulumi <args>` with an environment made by pulumiEnvironment (and adjusted by the caller). */
export function runPulumiIn(
  env: NodeJS.ProcessEnv,
  projectDir: string,
  args: string[],
  options: RunOptions = {},
): Promise<PulumiResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(env.PULUMI_CLI_BIN ?? "", "pulumi"), [...args, "--non-interactive"], {
      cwd: projectDir,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group, so a crash never reaches the caller's group.
      detached: options.signal !== undefined,
    });
    const killGroup = () => {
      if (child.pid !== undefined) killProcessTree(child.pid);
    };
    if (options.signal?.aborted) killGroup();
    options.signal?.addEventListener("abort", killGroup, { once: true });
    child.stdin.end(options.input ?? "");
    let stdout = "";
    let stderr = "";
    let output = "";
    // Decoded as a stream, so a character split between two chunks stays whole (previews are MBs).
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      output += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      output += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      options.signal?.removeEventListener("abort", killGroup);
      // A killed CLI has no exit code: reported as 1, like any other failed run.
      const result = { code: code ?? 1, stdout, stderr, output };
      if (result.code !== 0 && options.check !== false) {
        reject(new PulumiCommandError(args, result));
      } else {
        resolvePromise(result);
      }
    });
  });
}

export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: PulumiResult,
  ) {
    super(`pulumi ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
  }
}

/**
 * Creates a local stack (idempotent) with the given config. No secrets here: stack config ends up
 * in the state as the dynamic provider's inputs (see providers/twilio-session.ts).
 */
export async function initStack(
  ws: PulumiWorkspace,
  stack: string,
  config: { plain?: Record<string, string> } = {},
): Promise<void> {
  const existing = await runPulumi(ws, ["stack", "select", stack], { check: false });
  if (existing.code !== 0) {
    await runPulumi(ws, ["stack", "init", stack, "--secrets-provider", "passphrase"]);
  }
  for (const [key, value] of Object.entries(config.plain ?? {})) {
    await runPulumi(ws, ["config", "set", "--stack", stack, key, value]);
  }
}
