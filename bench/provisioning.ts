/**
 * `npm run bench:provisioning`: what provisioning new accounts costs with `pulumi up`, next to the
 * seed's imperative way (bench/seed-style-provisioner.ts), against the local Twilio emulator with a
 * fixed latency on every request (50 ms by default, roughly a Twilio round trip).
 *
 * For each size (default 10 and 100 accounts; one number bought by area code, one Messaging
 * Service and one attachment per account):
 *   1. `pulumi up` of the project's program (the real CLI with the project's settings from
 *      src/pulumi/environment.ts, on a fresh stack and emulator made as the end-to-end tests make
 *      them: test/support/accounts-stack.ts), then a `pulumi preview` of the unchanged stack
 *      (what a pull request waits for) and a no-op `up`;
 *   2. the sequential seed-style script on a fresh emulator with the same latency.
 * Wall time, Twilio calls (from the emulator's request log), mutating calls, peak memory and CPU
 * time of the CLI, the program and the provider process, state size and state writes are printed
 * as a table, with the targets and whether each was met. Figures are measured, never asserted: the exit
 * code is non-zero only when something fails (Pulumi errors, Twilio errors, or the result is not
 * what was asked for). Stacks, emulators and temp directories are removed at the end, also on
 * failure or Ctrl-C. Progress goes to stderr, results to stdout. Everything stays on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, watch } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import type { EmulatorState } from "../src/emulator/models/state";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, startEmulator } from "../src/emulator/server";
import { DEFAULT_PARALLEL, ensurePulumiCli } from "../src/pulumi/environment";
import { type EngineEvent, runPulumiWithEvents } from "../src/pulumi/events";
import { createTwilioClient } from "../src/twilio/client";
import { type AccountsStack, createAccountsStack } from "../test/support/accounts-stack";
import { accountsYaml, type TestAccount } from "../test/support/accounts-yaml";
import {
  type CpuSeconds,
  type PeakMemory,
  type ProcessUsage,
  sampleProcesses,
} from "./process-usage";
import {
  provisionSequentially,
  type SeedStyleAccount,
  SeedStyleTwilioMessaging,
} from "./seed-style-provisioner";

const MAX_ACCOUNTS = 2000;
const TARGET_CALLS_PER_ACCOUNT = 4;
/** The issue's targets for 1,000 accounts (docs/benchmarks.md). */
const TARGET_SIZE = 1000;
const BASE_SIZE = 100;
const TARGET_UP_SECONDS = 120;
const TARGET_SPEEDUP = 2.5;
const TARGET_NOOP_SECONDS = 30;
const TARGET_SCALING = 1.3;
/** Issue 21: the refreshing no-op preview within this factor of the floor set by Twilio's reads. */
const TARGET_REFRESH_OVER_FLOOR = 1.5;
/** Issue 21: peak memory of program + CLI + provider, GB per 1,000 accounts (at 1,000 and above). */
const TARGET_GB_PER_1000 = 0.8;

/**
 * The project's settings before issue 21, for `--baseline`: the same CLI, program and providers,
 * with what issue 21 changed put back through the environment. PULUMI_DEBUG_PROMISE_LEAKS is the
 * SDK's own switch; with it the program leaves the SDK's stack capture per promise as it was
 * (pulumi/stack-traces.ts) and makes every resource property an Output at declaration, as the SDK
 * does (pulumi/lazy-outputs.ts).
 */
const BEFORE_ISSUE_21_ENV: Record<string, string> = {
  PULUMI_DEBUG_PROMISE_LEAKS: "true",
};

const HELP = `usage: npm run bench:provisioning -- [options]

Measures provisioning N new accounts (one number bought by area code, one Messaging Service, one
attachment each) with \`pulumi up\` (real CLI, local file backend) and with a sequential script in
the seed's style (official twilio SDK, one call after another), each against a fresh local Twilio
emulator that delays every API answer; then a \`pulumi preview\` of the unchanged stack and a
no-op \`pulumi up\`. Pulumi runs with the project's settings from src/pulumi/environment.ts (state
written once per run, --parallel ${DEFAULT_PARALLEL}). Prints wall time, Twilio calls per account,
mutating calls, peak memory and CPU time of the CLI, the program and the provider process, state
size and state writes, and whether the targets were met.

options:
  --sizes LIST        account counts, comma-separated (default 10,100; each 1..${MAX_ACCOUNTS})
  --latency-ms MS     emulator latency on every Twilio request (default 50)
  --parallel N        pass --parallel N to Pulumi (default: the project's, ${DEFAULT_PARALLEL})
  --checkpoints       write the state after every step, as Pulumi does by default
                      (PULUMI_SKIP_CHECKPOINTS=false), to compare
  --skip-sequential   measure only Pulumi
  --baseline          also run both no-op previews with the settings before issue 21, in the same
                      run, to compare (see BEFORE_ISSUE_21_ENV in this file)
  --verbose           echo Pulumi's output to stderr
  -h, --help          this text

Targets at ${TARGET_SIZE} accounts (against ${BASE_SIZE} when both sizes are measured):
  - \`up\` under ${TARGET_UP_SECONDS} s and at least ${TARGET_SPEEDUP}× faster than the sequential script
  - the no-op preview and the no-op up each under ${TARGET_NOOP_SECONDS} s
  - cost per account at most ${TARGET_SCALING}× that at ${BASE_SIZE}
and at every size: at most ${TARGET_CALLS_PER_ACCOUNT} Twilio calls per new account, no mutating call in a
no-op up. Issue 21: the refreshing no-op preview within ${TARGET_REFRESH_OVER_FLOOR}× the floor of its Twilio reads
(reads × latency ÷ --parallel); the no-op preview per account at the largest size no more than at
the smallest; peak memory of program + CLI + provider at most ${TARGET_GB_PER_1000} GB per 1,000 accounts (sizes
of 1,000 and more). The exit code is non-zero only when a run fails, never because a figure misses its
target.`;

const INBOUND_URL = "https://api.parlae.example/twilio/inbound";
/** Canadian area codes (the benchmark's YAML buys in CA); accounts take them in turn. */
// biome-ignore format: a table reads better in rows
const AREA_CODES = [
  "514", "438", "450", "579", "819", "873", "418", "581", "367", "613",
  "343", "416", "647", "437", "905", "289", "365", "604", "778", "236",
];
const DEFAULT_NUMBERS_PER_AREA_CODE = 20;
/** A no-op up writes the state once, at the end (more is explained in the report). */
const NOOP_STATE_WRITES_EXPECTED = 1;

interface Options {
  sizes: number[];
  latencyMs: number;
  parallel?: number;
  checkpoints: boolean;
  sequential: boolean;
  baseline: boolean;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string", default: "10,100" },
      "latency-ms": { type: "string", default: "50" },
      parallel: { type: "string" },
      checkpoints: { type: "boolean", default: false },
      "skip-sequential": { type: "boolean", default: false },
      baseline: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const integer = (name: string, raw: string, min: number, max: number) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max)
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
    return value;
  };
  const sizes = values.sizes.split(",").map((s) => integer("--sizes", s, 1, MAX_ACCOUNTS));
  return {
    sizes: [...new Set(sizes)],
    latencyMs: integer("--latency-ms", values["latency-ms"], 0, 5000),
    ...(values.parallel !== undefined
      ? { parallel: integer("--parallel", values.parallel, 1, 1000) }
      : {}),
    checkpoints: values.checkpoints,
    sequential: !values["skip-sequential"],
    baseline: values.baseline,
    verbose: values.verbose,
  };
}

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Progress and clean-up
// ---------------------------------------------------------------------------------------------

const benchStart = performance.now();
function progress(message: string): void {
  const elapsed = ((performance.now() - benchStart) / 1000).toFixed(1);
  process.stderr.write(`[bench +${elapsed}s] ${message}\n`);
}

/** Things to undo, newest first; each runs once, on success, failure or interruption. */
const cleanups: Array<{ name: string; run: () => Promise<void> }> = [];
let interrupted = false;

function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index < 0) return;
    cleanups.splice(index, 1);
    await run();
  };
}

async function cleanUpAll(): Promise<void> {
  while (cleanups.length > 0) {
    const entry = cleanups.pop();
    if (!entry) break;
    try {
      await entry.run();
    } catch (error) {
      process.stderr.write(`[bench] clean-up of ${entry.name} failed: ${String(error)}\n`);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    progress(`${signal}: cleaning up`);
    cleanUpAll().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Accounts and checks
// ---------------------------------------------------------------------------------------------

function benchAccounts(count: number): TestAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `0be4c000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    name: `Bench Clinic ${String(i + 1).padStart(3, "0")}`,
    areaCode: AREA_CODES[i % AREA_CODES.length] ?? "514",
    inboundRequestUrl: INBOUND_URL,
  }));
}

/** Enough numbers for sale in each area code for `count` accounts. */
function numbersPerAreaCode(count: number): number {
  return Math.max(DEFAULT_NUMBERS_PER_AREA_CODE, Math.ceil(count / AREA_CODES.length));
}

/** Throws unless Twilio (the emulator) holds exactly one number, service and attachment per account. */
function checkProvisioned(state: EmulatorState, count: number, what: string): void {
  const numbers = state.phoneNumbers.list().length;
  const services = state.messagingServices.list();
  const attached = services.reduce(
    (sum, service) => sum + state.messagingServices.listPhoneNumbers(service).length,
    0,
  );
  if (numbers !== count || services.length !== count || attached !== count) {
    throw new Error(
      `${what}: expected ${count} numbers, services and attachments, Twilio holds ${numbers} numbers, ${services.length} services, ${attached} attachments`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

interface Measurement {
  wallMs: number;
  calls: number;
  mutations: number;
  /** Engine summary (`create: 403`, `same: 403`), for Pulumi runs. */
  changes?: Record<string, number>;
  /** Size of the stack's state file after the run, for Pulumi runs. */
  stateBytes?: number;
  /** Times the engine replaced the stack's state file during the run (checkpoints), as seen. */
  stateWrites?: number;
  /** Peak resident memory of the CLI, the program and the provider process, for Pulumi runs. */
  memory?: PeakMemory;
  /** CPU seconds the same processes used, for Pulumi runs (where the time goes). */
  cpuSeconds?: CpuSeconds;
}

interface SizeResult {
  accounts: number;
  pulumiUp: Measurement;
  noopPreview: Measurement;
  /** `preview --refresh`: what `npm run pulumi -- preview` and the plan run. */
  noopRefreshPreview: Measurement;
  noopUp: Measurement;
  /** The two no-op previews with the settings before issue 21 (--baseline). */
  before?: { noopPreview: Measurement; noopRefreshPreview: Measurement };
  sequential?: Measurement;
}

function summaryOf(events: EngineEvent[]): Record<string, number> {
  return events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
}

function formatChanges(changes: Record<string, number> | undefined): string {
  return Object.entries(changes ?? {})
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

/** The Pulumi settings the runs use, as printed in the report. */
function pulumiSettings(options: Options): string {
  return [
    "up --skip-preview",
    `--parallel ${options.parallel ?? `${DEFAULT_PARALLEL} (the project's default)`}`,
    options.checkpoints
      ? "PULUMI_SKIP_CHECKPOINTS=false (a checkpoint after every step)"
      : "PULUMI_SKIP_CHECKPOINTS=true (the project's default: state written once per run)",
  ].join(", ");
}

/** The stack's state file in the file backend: `.pulumi/stacks/<project>/<stack>.json`. */
function stateFile(stack: AccountsStack): string | undefined {
  const stacksDir = join(stack.ws.stateDir, ".pulumi", "stacks");
  if (!existsSync(stacksDir)) return undefined;
  for (const project of readdirSync(stacksDir)) {
    const file = join(stacksDir, project, `${stack.stack}.json`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Counts the checkpoints the engine writes: the file backend replaces the state file (write to a
 * temporary file, rename over it) after every step that changes the state. Seen through inotify,
 * so a count is a lower bound if events coalesce; it is there to explain the wall times.
 */
function watchStateWrites(stack: AccountsStack): () => number | undefined {
  const file = stateFile(stack);
  if (!file) return () => undefined;
  let writes = 0;
  const name = basename(file);
  const watcher = watch(dirname(file), (event, changed) => {
    if (event === "rename" && changed === name) writes++;
  });
  return () => {
    watcher.close();
    return writes;
  };
}

/** Runs `pulumi up` (or `preview`) on the stack and measures it. */
async function timedRun(
  stack: AccountsStack,
  options: Options,
  command: "up" | "preview" | "preview --refresh",
  extraEnv: Record<string, string> = {},
): Promise<Measurement> {
  const ws = {
    ...stack.ws,
    env: {
      ...stack.ws.env,
      ...(options.checkpoints ? { PULUMI_SKIP_CHECKPOINTS: "false" } : {}),
      ...extraEnv,
    },
  };
  stack.emulator.requestLog.clear();
  const stopWatching = watchStateWrites(stack);
  const stopSampling = sampleProcesses();
  const parallel = options.parallel !== undefined ? ["--parallel", String(options.parallel)] : [];
  // `up --skip-preview`, as the end-to-end tests and CI apply: a preview would run the program a
  // second time (its start-up cost again) but make no Twilio call.
  const args =
    command === "up" ? ["up", "--yes", "--skip-preview"] : command.split(" ").filter(Boolean);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof runPulumiWithEvents>>;
  let stateWrites: number | undefined;
  let usage: ProcessUsage;
  try {
    result = await runPulumiWithEvents(ws, [...args, ...parallel, "--stack", stack.stack], {
      echo: options.verbose,
    });
  } finally {
    stateWrites = stopWatching();
    usage = stopSampling();
  }
  const wallMs = performance.now() - started;
  const file = stateFile(stack);
  return {
    wallMs,
    calls: stack.emulator.requestLog.entries().length,
    mutations: stack.emulator.requestLog.countMutations(),
    changes: summaryOf(result.events),
    memory: usage.memory,
    cpuSeconds: usage.cpuSeconds,
    ...(file ? { stateBytes: statSync(file).size } : {}),
    ...(stateWrites !== undefined ? { stateWrites } : {}),
  };
}

/** Throws unless the run planned nothing but `same` steps. */
function checkNoop(m: Measurement, what: string): void {
  const changed = Object.keys(m.changes ?? {}).filter((op) => op !== "same");
  if (changed.length > 0) throw new Error(`${what} planned changes: ${formatChanges(m.changes)}`);
}

async function measurePulumi(
  count: number,
  options: Options,
): Promise<
  Pick<SizeResult, "pulumiUp" | "noopPreview" | "noopRefreshPreview" | "noopUp" | "before">
> {
  progress(`${count} accounts, Pulumi: creating a stack (emulator, file backend, config)`);
  const stack = await createAccountsStack({
    faults: { latency: { ms: options.latencyMs } },
    numbersPerAreaCode: numbersPerAreaCode(count),
    requestLogLimit: Math.max(10_000, count * 20),
  });
  const dispose = onCleanup(`stack ${stack.stack}`, () => stack.dispose());
  try {
    stack.writeAccounts(accountsYaml(benchAccounts(count)));

    progress(`${count} accounts, Pulumi: pulumi up (${options.latencyMs} ms per Twilio request)`);
    const pulumiUp = await timedRun(stack, options, "up");
    checkProvisioned(stack.emulator.state, count, `pulumi up of ${count} accounts`);
    progress(
      `${count} accounts, Pulumi: up done in ${seconds(pulumiUp.wallMs)} s, ${pulumiUp.calls} Twilio calls (${formatChanges(pulumiUp.changes)})`,
    );

    progress(`${count} accounts, Pulumi: pulumi preview of the unchanged stack`);
    const noopPreview = await timedRun(stack, options, "preview");
    checkNoop(noopPreview, `the preview of the unchanged ${count}-account stack`);
    progress(`${count} accounts, Pulumi: preview done in ${seconds(noopPreview.wallMs)} s`);

    // What `npm run pulumi -- preview` and `npm run plan` run: drift is seen by default, at the
    // cost of one Twilio read per resource (docs/providers.md, "Drift").
    progress(`${count} accounts, Pulumi: pulumi preview --refresh of the unchanged stack`);
    const noopRefreshPreview = await timedRun(stack, options, "preview --refresh");
    checkNoop(noopRefreshPreview, `the refreshing preview of the unchanged ${count}-account stack`);
    progress(
      `${count} accounts, Pulumi: preview --refresh done in ${seconds(noopRefreshPreview.wallMs)} s, ${noopRefreshPreview.calls} Twilio reads`,
    );

    let before: SizeResult["before"];
    if (options.baseline) {
      // Right after the runs they are compared with, on the same stack and Twilio.
      progress(`${count} accounts, Pulumi: both no-op previews with the settings before issue 21`);
      const preview = await timedRun(stack, options, "preview", BEFORE_ISSUE_21_ENV);
      checkNoop(preview, `the baseline preview of the unchanged ${count}-account stack`);
      const refresh = await timedRun(stack, options, "preview --refresh", BEFORE_ISSUE_21_ENV);
      checkNoop(refresh, `the baseline refreshing preview of the unchanged ${count}-account stack`);
      before = { noopPreview: preview, noopRefreshPreview: refresh };
      progress(
        `${count} accounts, Pulumi: baseline previews done in ${seconds(preview.wallMs)} s and ${seconds(refresh.wallMs)} s`,
      );
    }

    progress(`${count} accounts, Pulumi: no-op pulumi up`);
    const noopUp = await timedRun(stack, options, "up");
    checkNoop(noopUp, `the no-op up of ${count} accounts`);
    checkProvisioned(stack.emulator.state, count, `no-op up of ${count} accounts`);
    progress(
      `${count} accounts, Pulumi: no-op up done in ${seconds(noopUp.wallMs)} s, ${noopUp.mutations} mutating calls`,
    );
    return { pulumiUp, noopPreview, noopRefreshPreview, noopUp, ...(before ? { before } : {}) };
  } finally {
    progress(`${count} accounts, Pulumi: removing the stack`);
    await dispose();
  }
}

async function measureSequential(count: number, options: Options): Promise<Measurement> {
  progress(`${count} accounts, sequential: starting an emulator`);
  const emulator = await startEmulator({
    faults: { latency: { ms: options.latencyMs } },
    numbersPerAreaCode: numbersPerAreaCode(count),
    requestLogLimit: Math.max(10_000, count * 20),
  });
  const close = onCleanup("sequential emulator", () => emulator.close());
  try {
    const client = createTwilioClient({
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      baseUrl: emulator.baseUrl,
    });
    const messaging = new SeedStyleTwilioMessaging(client, {
      inboundRequestUrl: INBOUND_URL,
      stickySender: true,
    });
    const accounts: SeedStyleAccount[] = benchAccounts(count).map((a) => ({
      accountId: a.id,
      accountName: a.name,
      areaCode: a.areaCode ?? "",
    }));
    progress(`${count} accounts, sequential: provisioning one account after another`);
    emulator.requestLog.clear();
    const started = performance.now();
    await provisionSequentially(messaging, accounts, () => interrupted);
    const wallMs = performance.now() - started;
    const measurement = {
      wallMs,
      calls: emulator.requestLog.entries().length,
      mutations: emulator.requestLog.countMutations(),
    };
    checkProvisioned(emulator.state, count, `sequential provisioning of ${count} accounts`);
    progress(
      `${count} accounts, sequential: done in ${seconds(wallMs)} s, ${measurement.calls} Twilio calls`,
    );
    return measurement;
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const cell = (text: string, i: number) =>
    rightAligned[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

function cpu(seconds: CpuSeconds | undefined): string {
  if (!seconds) return "";
  const one = (value: number | undefined) => (value === undefined ? "?" : value.toFixed(1));
  return `${one(seconds.cli)} / ${one(seconds.program)} / ${one(seconds.provider)}`;
}

function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? "" : (bytes / 1_000_000).toFixed(1);
}

/** Peak resident memory of program + CLI + provider (each role's own peak, summed). */
function totalMemory(m: Measurement): number | undefined {
  if (!m.memory) return undefined;
  return (m.memory.cli ?? 0) + (m.memory.program ?? 0) + (m.memory.provider ?? 0);
}

/** What Twilio's reads alone take: `calls` reads at `latencyMs` each, `parallel` at a time. */
function readFloorMs(calls: number, options: Options): number {
  return (calls * options.latencyMs) / (options.parallel ?? DEFAULT_PARALLEL);
}

function report(results: SizeResult[], header: string, options: Options): void {
  const rows: string[][] = [];
  for (const r of results) {
    const row = (run: string, m: Measurement) => [
      String(r.accounts),
      run,
      seconds(m.wallMs),
      (m.wallMs / r.accounts).toFixed(1),
      String(m.calls),
      (m.calls / r.accounts).toFixed(2),
      String(m.mutations),
      megabytes(m.stateBytes),
      m.stateWrites === undefined ? "" : String(m.stateWrites),
      megabytes(m.memory?.cli),
      megabytes(m.memory?.program),
      megabytes(m.memory?.provider),
      megabytes(totalMemory(m)),
      cpu(m.cpuSeconds),
    ];
    rows.push(row("pulumi up", r.pulumiUp));
    rows.push(row("no-op pulumi preview", r.noopPreview));
    if (r.before) rows.push(row("  same, before issue 21", r.before.noopPreview));
    rows.push(row("no-op preview --refresh", r.noopRefreshPreview));
    if (r.before) rows.push(row("  same, before issue 21", r.before.noopRefreshPreview));
    rows.push(row("no-op pulumi up", r.noopUp));
    if (r.sequential) rows.push(row("sequential (seed style)", r.sequential));
  }
  console.log(header);
  console.log("");
  console.log(
    table(
      [
        "accounts",
        "run",
        "wall s",
        "ms/account",
        "Twilio calls",
        "calls/account",
        "mutating",
        "state MB",
        "state writes",
        "CLI MB",
        "program MB",
        "provider MB",
        "sum MB",
        "CPU s: CLI / program / provider",
      ],
      rows,
      [true, false, true, true, true, true, true, true, true, true, true, true, true, false],
    ),
  );

  const compared = results.filter((r) => r.sequential);
  if (compared.length > 0) {
    console.log("");
    console.log(
      table(
        ["accounts", "pulumi up s", "sequential s", "pulumi ÷ sequential", "faster"],
        compared.map((r) => {
          const sequentialMs = r.sequential?.wallMs ?? 0;
          return [
            String(r.accounts),
            seconds(r.pulumiUp.wallMs),
            seconds(sequentialMs),
            `${(r.pulumiUp.wallMs / sequentialMs).toFixed(2)}×`,
            r.pulumiUp.wallMs < sequentialMs ? "pulumi" : "sequential",
          ];
        }),
        [true, true, true, true, false],
      ),
    );
  }

  console.log("");
  console.log("targets:");
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  for (const r of results) {
    const perAccount = r.pulumiUp.calls / r.accounts;
    console.log(
      `- at most ${TARGET_CALLS_PER_ACCOUNT} Twilio calls per new account (${r.accounts} accounts): ${verdict(perAccount <= TARGET_CALLS_PER_ACCOUNT)} (${perAccount.toFixed(2)})`,
    );
  }
  const target = results.find((r) => r.accounts === TARGET_SIZE);
  const base = results.find((r) => r.accounts === BASE_SIZE);
  if (!target) {
    console.log(
      `- the ${TARGET_SIZE}-account targets: not measured (needs ${TARGET_SIZE} in --sizes)`,
    );
  } else {
    const upSeconds = target.pulumiUp.wallMs / 1000;
    console.log(
      `- ${TARGET_SIZE}-account pulumi up under ${TARGET_UP_SECONDS} s: ${verdict(upSeconds < TARGET_UP_SECONDS)} (${upSeconds.toFixed(1)} s)`,
    );
    if (target.sequential) {
      const speedup = target.sequential.wallMs / target.pulumiUp.wallMs;
      console.log(
        `- ${TARGET_SIZE}-account pulumi up at least ${TARGET_SPEEDUP}× faster than the sequential script: ${verdict(speedup >= TARGET_SPEEDUP)} (${speedup.toFixed(2)}×: ${seconds(target.pulumiUp.wallMs)} s vs ${seconds(target.sequential.wallMs)} s)`,
      );
    } else {
      console.log(
        `- ${TARGET_SIZE}-account speed-up over the sequential script: not measured (--skip-sequential)`,
      );
    }
    for (const [what, m] of [
      ["no-op preview", target.noopPreview],
      ["no-op preview --refresh (npm run pulumi, plan)", target.noopRefreshPreview],
      ["no-op up", target.noopUp],
    ] as const) {
      console.log(
        `- ${TARGET_SIZE}-account ${what} under ${TARGET_NOOP_SECONDS} s: ${verdict(m.wallMs / 1000 < TARGET_NOOP_SECONDS)} (${seconds(m.wallMs)} s)`,
      );
    }
    if (base) {
      const ratio =
        target.pulumiUp.wallMs / target.accounts / (base.pulumiUp.wallMs / base.accounts);
      console.log(
        `- cost per account at ${TARGET_SIZE} at most ${TARGET_SCALING}× that at ${BASE_SIZE}: ${verdict(ratio <= TARGET_SCALING)} (${ratio.toFixed(2)}×)`,
      );
    } else {
      console.log(`- cost per account against ${BASE_SIZE} accounts: not measured`);
    }
  }
  for (const r of results) {
    const m = r.noopRefreshPreview;
    const floor = readFloorMs(m.calls, options);
    console.log(
      `- ${r.accounts}-account no-op preview --refresh within ${TARGET_REFRESH_OVER_FLOOR}× the floor of its Twilio reads (${m.calls} reads: ${seconds(floor)} s): ${verdict(m.wallMs <= TARGET_REFRESH_OVER_FLOOR * floor)} (${seconds(m.wallMs)} s, ${(m.wallMs / floor).toFixed(2)}×)`,
    );
  }
  const bySize = [...results].sort((a, b) => a.accounts - b.accounts);
  const smallest = bySize[0];
  const largest = bySize[bySize.length - 1];
  if (smallest && largest && largest.accounts > smallest.accounts) {
    const perAccount = (r: SizeResult) => r.noopPreview.wallMs / r.accounts;
    console.log(
      `- no-op preview per account at ${largest.accounts} no more than at ${smallest.accounts}: ${verdict(perAccount(largest) <= perAccount(smallest))} (${perAccount(largest).toFixed(1)} ms against ${perAccount(smallest).toFixed(1)} ms)`,
    );
  }
  for (const r of results.filter((r) => r.accounts >= TARGET_SIZE)) {
    const runs = [r.pulumiUp, r.noopPreview, r.noopRefreshPreview, r.noopUp];
    const peak = Math.max(...runs.map((m) => totalMemory(m) ?? 0));
    const limit = (TARGET_GB_PER_1000 * 1e9 * r.accounts) / 1000;
    console.log(
      `- ${r.accounts} accounts: peak memory of program + CLI + provider at most ${TARGET_GB_PER_1000} GB per 1,000 accounts (${(limit / 1e9).toFixed(2)} GB): ${verdict(peak <= limit)} (${(peak / 1e9).toFixed(2)} GB, the largest of the four runs)`,
    );
  }
  for (const r of results) {
    console.log(
      `- no-op up after the ${r.accounts}-account up makes 0 mutating calls: ${verdict(r.noopUp.mutations === 0)} (${r.noopUp.mutations})`,
    );
  }
  for (const r of results) {
    if ((r.noopUp.stateWrites ?? 0) > NOOP_STATE_WRITES_EXPECTED) {
      console.log(
        `note: the no-op up of ${r.accounts} accounts rewrote the state ${r.noopUp.stateWrites} times (usually once). The engine writes a checkpoint for an unchanged resource when its stored inputs differ, e.g. when the serialized provider code changed since the previous up (an edit under providers/ or src/ while the benchmark ran).`,
      );
    }
  }
}

function pulumiVersion(): string {
  try {
    return execFileSync(join(ensurePulumiCli(), "pulumi"), ["version"], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).trim();
  } catch {
    return "?";
  }
}

function header(options: Options, loadAtStart: number[]): string {
  const cores = cpus();
  const load = (values: number[]) => values.map((l) => l.toFixed(2)).join(" ");
  return [
    `provisioning benchmark, ${new Date().toISOString()}`,
    `machine: ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}); load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end; node ${process.version}; pulumi ${pulumiVersion()}`,
    `emulator latency ${options.latencyMs} ms on every Twilio request; pulumi: ${pulumiSettings(options)}`,
  ].join("\n");
}

async function main(): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (parsed === "help") {
      console.log(HELP);
      return 0;
    }
    options = parsed;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }

  const loadAtStart = loadavg();
  progress(
    `sizes ${options.sizes.join(", ")}; latency ${options.latencyMs} ms; pulumi: ${pulumiSettings(options)}; load average ${loadAtStart[0]?.toFixed(2)}`,
  );
  ensurePulumiCli();
  const results: SizeResult[] = [];
  try {
    for (const count of options.sizes) {
      const pulumi = await measurePulumi(count, options);
      const sequential = options.sequential ? await measureSequential(count, options) : undefined;
      results.push({ accounts: count, ...pulumi, ...(sequential ? { sequential } : {}) });
    }
  } finally {
    await cleanUpAll();
  }
  progress("done");
  report(results, header(options, loadAtStart), options);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    await cleanUpAll();
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
