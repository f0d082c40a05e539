/**
 * The pinned Pulumi CLI and the environment every Pulumi invocation runs with: the CLI and the
 * dynamic provider plugin shipped in @pulumi/pulumi on PATH, a file backend, a passphrase secrets
 * provider, and the project's engine settings. Tests, benchmarks, `npm run pulumi`, the plan, the
 * sync and npm start all set Pulumi up through here, so they run it the same way.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { repoRoot } from "../util/repo-root";

/** The passphrase of local stacks. It protects only local test state, never a real credential. */
export const LOCAL_STACK_PASSPHRASE = "local-stacks-only";

let cachedBinDir: string | undefined;

/**
 * Returns the directory holding the pinned `pulumi` and `pulumi-language-nodejs`, building them on
 * first use with the shell step scripts/ensure-pulumi.sh (progress goes to stderr). PULUMI_CLI_BIN
 * short-cuts the check, for child processes.
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
