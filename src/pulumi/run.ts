/**
 * Runs the real Pulumi CLI for project scripts, tests and benchmarks.
 *
 * Every caller goes through here so that the pinned CLI (scripts/ensure-pulumi.sh), the dynamic
 * provider plugin shipped in @pulumi/pulumi, a local file backend and a passphrase secrets provider
 * are set up the same way everywhere.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { killProcessTree } from "./process-tree";

export const repoRoot = resolve(__dirname, "..", "..");

/** The passphrase of local stacks. It protects only local test state, never a real credential. */
export const LOCAL_STACK_PASSPHRASE = "local-stacks-only";

let cachedBinDir: string | undefined;

/**
 * Returns the directory holding the pinned `pulumi` and `pulumi-language-nodejs`, building them on
 * first use (progress goes to stderr). PULUMI_CLI_BIN short-cuts the check, for child processes.
 */
export function ensurePulumiCli(): string {
  if (cachedBinDir) return cachedBinDir;
  const fromEnv = process.env.PULUMI_CLI_BIN;
  if (fromEnv) {
    cachedBinDir = fromEnv;
    return fromEnv;
  }
  const out = execFileSync("bash", [join(repoRoot, "scripts", "ensure-pulumi.sh")], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  cachedBinDir = out.trim().split("\n").pop() ?? "";
  return cachedBinDir;
}

export interface PulumiWorkspace {
  /** The Pulumi project directory (holds Pulumi.yaml). */
  projectDir: string;
  /** Directory of the local file backend (state). */
  stateDir: string;
  /** Extra environment for the program and its providers (e.g. TWILIO_BASE_URL). */
  env?: NodeJS.ProcessEnv;
  /** Passphrase of the stack's secrets provider; defaults to LOCAL_STACK_PASSPHRASE. */
  passphrase?: string;
}

/**
 * Resource operations in flight at once (`--parallel`) unless the command says otherwise. Twilio
 * answers in ~100 ms or more and the accounts are independent, so the engine's default (4 per
 * core: 8 here) leaves it waiting; beyond 32 the engine's own work is the limit on 2 cores
 * (docs/benchmarks.md).
 */
export const DEFAULT_PARALLEL = 32;

/**
 * A file backend URL that survives a kill: gocloud's file driver writes a metadata sidecar
 * (`<stack>.json.attrs`) by truncating it and then writing, so a kill in between leaves it empty
 * and every later command fails `failed to load checkpoint: EOF`. Pulumi never reads that
 * metadata; `metadata=skip` stops the sidecars (`npm run pulumi -- recover` repairs old ones).
 */
export function crashSafeBackendUrl(url: string): string {
  if (!url.startsWith("file://") || /[?&]metadata=/.test(url)) return url;
  return `${url}${url.includes("?") ? "&" : "?"}metadata=skip`;
}

/** The environment every Pulumi invocation runs with. */
export function pulumiEnvironment(ws: PulumiWorkspace): NodeJS.ProcessEnv {
  const binDir = ensurePulumiCli();
  // pulumi-resource-pulumi-nodejs (the dynamic provider plugin) ships inside @pulumi/pulumi.
  const dynamicProviderDir = join(repoRoot, "node_modules", "@pulumi", "pulumi");
  mkdirSync(ws.stateDir, { recursive: true });
  return {
    ...process.env,
    ...ws.env,
    PATH: [binDir, dynamicProviderDir, process.env.PATH].join(delimiter),
    PULUMI_CLI_BIN: binDir,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_BACKEND_URL: crashSafeBackendUrl(`file://${ws.stateDir}`),
    PULUMI_CONFIG_PASSPHRASE: ws.passphrase ?? LOCAL_STACK_PASSPHRASE,
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    // Enables the `--event-log` flag (machine-readable engine events) that tests assert on.
    PULUMI_DEBUG_COMMANDS: "true",
    // The program is type-checked by `npm test` (tsc --noEmit); checking it again on every Pulumi
    // run costs ~8 s each.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    // Keep plugin downloads impossible: everything the program needs is local.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The state is written once, at the end of a run, instead of after every step (which made
    // `up` quadratic in the number of accounts). Safe because every create is repeatable: a run
    // killed before the write is converged by the next one (providers/creation-markers.ts,
    // docs/benchmarks.md). An explicit PULUMI_SKIP_CHECKPOINTS=false brings checkpoints back.
    PULUMI_SKIP_CHECKPOINTS:
      ws.env?.PULUMI_SKIP_CHECKPOINTS ?? process.env.PULUMI_SKIP_CHECKPOINTS ?? "true",
    // `--parallel` on the command line wins over this.
    PULUMI_PARALLEL:
      ws.env?.PULUMI_PARALLEL ?? process.env.PULUMI_PARALLEL ?? String(DEFAULT_PARALLEL),
  };
}

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

/** One engine event of `--event-log` (the subset our callers read). */
export interface EngineEvent {
  sequence: number;
  resourcePreEvent?: { metadata: StepMetadata };
  resOutputsEvent?: { metadata: StepMetadata };
  diagnosticEvent?: { message: string; severity: string; urn?: string };
  summaryEvent?: { resourceChanges: Record<string, number> };
}

export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  diffs?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }>;
}

/**
 * Runs a Pulumi operation with `--event-log` and returns its events along with the output, so
 * callers can assert which steps (create/update/replace/delete) the engine took.
 */
export async function runPulumiWithEvents(
  ws: PulumiWorkspace,
  args: string[],
  options: RunOptions = {},
): Promise<PulumiResult & { events: EngineEvent[] }> {
  const dir = await mkdtemp(join(tmpdir(), "pulumi-events-"));
  const eventLog = join(dir, "events.jsonl");
  try {
    const result = await runPulumi(ws, [...args, "--event-log", eventLog], options);
    return { ...result, events: readEventLog(eventLog) };
  } catch (error) {
    if (error instanceof PulumiCommandError) {
      Object.assign(error.result, { events: readEventLog(eventLog) });
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readEventLog(file: string): EngineEvent[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

/** The steps the engine planned or took on resources (not the stack itself, nor provider instances). */
export function stepsOf(events: EngineEvent[]): StepMetadata[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter(
      (m): m is StepMetadata =>
        m !== undefined &&
        m.type !== "pulumi:pulumi:Stack" &&
        !m.type.startsWith("pulumi:providers:"),
    );
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
