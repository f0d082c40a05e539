/**
 * `npm run bench:shards`: the provisioning benchmark's sharded mode (docs/shards.md): N accounts
 * split into K shards, each shard an ordinary stack with its own Twilio emulator (one runner
 * talking to Twilio each), the shards run concurrently as CI's matrix would, at most C at a time
 * (this machine has 2 cores: C defaults to 2). Per shard, as its runner would see it:
 *   1. the plan of the first deployment (`pulumi preview`, every account new), saved as the plan
 *      job saves it, for the merged plan;
 *   2. `pulumi up`;
 *   3. the refreshing no-op plan (`pulumi preview --refresh`, what a pull request waits for);
 *   4. a no-op `pulumi up`, which must make zero mutating Twilio calls (counted on the shard's own
 *      emulator).
 * Then the shards' first plans are merged into one (src/plan/merge.ts, as npm run plan:merge) and
 * its Markdown's size is compared with GitHub's comment limit (65,536 characters).
 *
 * Prints the wall time here, the per-shard figures (what a runner each would take), peak memory
 * of everything running at once, the merged plan's size and the no-op check per shard. Figures are
 * measured, never asserted; the exit code is non-zero only when a run fails or a no-op mutates.
 * Reuses the account generator's conventions of bench/provisioning.ts (same area codes, same
 * shape of account), without importing it (it runs its own main).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type RunningEmulator,
  startEmulator,
} from "../src/emulator/server";
import { mergePlans, type ShardPlan } from "../src/plan/merge";
import { buildPlan, hasChanges, type Plan } from "../src/plan/model";
import { parsePreviewJson } from "../src/plan/preview-json";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../src/plan/render";
import { runPreview } from "../src/plan/run-preview";
import { LOCAL_STACK_PASSPHRASE, type PulumiWorkspace } from "../src/pulumi/environment";
import { runPulumiWithEvents } from "../src/pulumi/events";
import { initStack, runPulumi } from "../src/pulumi/run";
import { repoRoot } from "../src/util/repo-root";
import { accountsYaml, type TestAccount } from "../test/support/accounts-yaml";
import { sampleProcesses } from "./process-usage";

const HELP = `usage: npm run bench:shards -- [options]

N accounts in K shards (one stack and one emulator each), run concurrently as GitHub Actions'
matrix would, at most C at a time. Per shard: the first deployment's plan, pulumi up, the
refreshing no-op plan and a no-op up (zero mutating Twilio calls expected). Then the merged plan's
Markdown size against GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit.

options:
  --accounts N        accounts in all (default 10000)
  --shards K          shards (default 10)
  --concurrency C     shards running at once (default 2: this machine's cores)
  --latency-ms MS     emulator latency on every Twilio request (default 100)
  -h, --help          this text

The full run: npm run bench:shards -- --accounts 10000 --shards 10 (tens of minutes here).
The exit code is non-zero only when a run fails or a no-op up mutates.`;

// The same area codes as bench/provisioning.ts: accounts take them in turn.
// biome-ignore format: a table reads better in rows
const AREA_CODES = [
  "514", "438", "450", "579", "819", "873", "418", "581", "367", "613",
  "343", "416", "647", "437", "905", "289", "365", "604", "778", "236",
];
/** At most this many accounts per file (the loader's 512 KiB limit holds about 1,800). */
const ACCOUNTS_PER_FILE = 1000;

interface Options {
  accounts: number;
  shards: number;
  concurrency: number;
  latencyMs: number;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: "string", default: "10000" },
      shards: { type: "string", default: "10" },
      concurrency: { type: "string", default: "2" },
      "latency-ms": { type: "string", default: "100" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const int = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} expects an integer ≥ ${min}, got '${text}'`);
    return n;
  };
  const options = {
    accounts: int("accounts", values.accounts, 1),
    shards: int("shards", values.shards, 1),
    concurrency: int("concurrency", values.concurrency, 1),
    latencyMs: int("latency-ms", values["latency-ms"], 0),
  };
  if (options.shards > options.accounts) throw new Error("--shards may not exceed --accounts");
  return options;
}

const progress = (line: string) => process.stderr.write(`[bench:shards] ${line}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(1);

function benchAccounts(count: number): TestAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `5a4d0000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    name: `Shard Bench Clinic ${String(i + 1).padStart(5, "0")}`,
    areaCode: AREA_CODES[i % AREA_CODES.length] ?? "514",
  }));
}

interface ShardRun {
  name: string;
  stack: string;
  accounts: number;
  emulator: RunningEmulator;
  firstPlanMs?: number;
  upMs?: number;
  noopPlanMs?: number;
  noopUpMs?: number;
  upCalls?: number;
  noopPlanCalls?: number;
  noopMutations?: number;
  noopPlanChanges?: boolean;
  firstPlan?: Plan;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

async function plan(stack: string, refresh: boolean, env: NodeJS.ProcessEnv): Promise<Plan> {
  const run = await runPreview({ stack, refresh, env });
  if (run.stdout.trim() === "") throw new Error(`preview of ${stack} failed: ${run.stderr}`);
  const built = buildPlan(parsePreviewJson(run.stdout, `preview of ${stack}`), stack, repoRoot);
  if (built.errors.length > 0) throw new Error(`preview of ${stack}: ${built.errors.join("; ")}`);
  return built;
}

/** Runs `work` over the items, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  mkdirSync(join(repoRoot, ".local"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, ".local", "bench-shards-"));
  const ws: PulumiWorkspace = {
    projectDir: repoRoot,
    stateDir: join(dir, "state"),
    env: { TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN },
  };
  // runPreview reads the backend and the passphrase from this process's environment, as npm run plan.
  process.env.PULUMI_BACKEND_URL = `file://${ws.stateDir}`;
  process.env.PULUMI_CONFIG_PASSPHRASE = LOCAL_STACK_PASSPHRASE;
  const all = benchAccounts(options.accounts);
  const perShard = Math.ceil(options.accounts / options.shards);
  const shards: ShardRun[] = [];
  const manifest = relative(repoRoot, join(dir, "shards.yaml"));
  const lines = ["shards:"];
  const run = process.pid;
  try {
    for (let i = 0; i < options.shards; i++) {
      const name = `s${String(i + 1).padStart(2, "0")}`;
      const accounts = all.slice(i * perShard, (i + 1) * perShard);
      const folder = join(dir, name);
      mkdirSync(folder);
      for (let f = 0; f * ACCOUNTS_PER_FILE < accounts.length; f++) {
        const part = accounts.slice(f * ACCOUNTS_PER_FILE, (f + 1) * ACCOUNTS_PER_FILE);
        writeFileSync(
          join(folder, `part-${String(f + 1).padStart(2, "0")}.yaml`),
          accountsYaml(part),
        );
      }
      const emulator = await startEmulator({
        faults: { latency: { ms: options.latencyMs } },
        numbersPerAreaCode: Math.max(20, Math.ceil(accounts.length / AREA_CODES.length) + 5),
        requestLogLimit: Math.max(10_000, accounts.length * 20),
      });
      const stack = `bench-${name}-${run}`;
      shards.push({ name, stack, accounts: accounts.length, emulator });
      lines.push(
        `  - name: ${name}`,
        `    stack: ${stack}`,
        `    accounts: ${relative(repoRoot, folder)}`,
      );
    }
    writeFileSync(join(repoRoot, manifest), `${lines.join("\n")}\n`);
    for (const shard of shards) {
      await initStack(ws, shard.stack, {
        plain: {
          shards: manifest,
          twilioAccountSid: DEFAULT_ACCOUNT_SID,
          twilioBaseUrl: shard.emulator.baseUrl,
        },
      });
    }
    progress(
      `${options.accounts} accounts in ${options.shards} shards of ≤ ${perShard}, ${options.concurrency} at a time, ${options.latencyMs} ms per Twilio request`,
    );

    const stop = sampleProcesses();
    const [, wallMs] = await timed(() =>
      pool(shards, options.concurrency, async (shard) => {
        const env = { TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN };
        progress(`${shard.name}: first plan (${shard.accounts} accounts)`);
        [shard.firstPlan, shard.firstPlanMs] = await timed(() => plan(shard.stack, false, env));
        shard.emulator.requestLog.clear();
        progress(`${shard.name}: pulumi up`);
        [, shard.upMs] = await timed(() =>
          runPulumiWithEvents(ws, ["up", "--yes", "--skip-preview", "--stack", shard.stack]),
        );
        shard.upCalls = shard.emulator.requestLog.entries().length;
        shard.emulator.requestLog.clear();
        progress(`${shard.name}: refreshing no-op plan`);
        const [noop, noopMs] = await timed(() => plan(shard.stack, true, env));
        shard.noopPlanMs = noopMs;
        shard.noopPlanChanges = hasChanges(noop);
        shard.noopPlanCalls = shard.emulator.requestLog.entries().length;
        progress(`${shard.name}: no-op up`);
        [, shard.noopUpMs] = await timed(() =>
          runPulumiWithEvents(ws, ["up", "--yes", "--skip-preview", "--stack", shard.stack]),
        );
        shard.noopMutations = shard.emulator.requestLog.countMutations();
        progress(`${shard.name}: done`);
      }),
    );
    const usage = stop();

    const parts: ShardPlan[] = shards.map((s) => ({ shard: s.name, plan: s.firstPlan as Plan }));
    const merged = renderMarkdown(mergePlans(parts, "shards"), {
      fullPlanHint: "each shard's plan job prints its accounts in full",
    });
    const largestShardPlan = Math.max(
      ...shards.map((s) => renderMarkdown(s.firstPlan as Plan).length),
    );

    const out: string[] = [];
    out.push(
      `# bench:shards: ${options.accounts.toLocaleString("en-US")} accounts in ${options.shards} shards, ${options.concurrency} at a time, ${options.latencyMs} ms Twilio latency`,
      "",
      "| shard | accounts | first plan | up | Twilio calls (up) | refreshing no-op plan | its reads | no-op up | mutations (no-op) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const s of shards) {
      out.push(
        `| ${s.name} | ${s.accounts} | ${secs(s.firstPlanMs ?? 0)} s | ${secs(s.upMs ?? 0)} s | ${s.upCalls} | ${secs(s.noopPlanMs ?? 0)} s${s.noopPlanChanges ? " (CHANGES)" : ""} | ${s.noopPlanCalls} | ${secs(s.noopUpMs ?? 0)} s | ${s.noopMutations} |`,
      );
    }
    const slowest = Math.max(
      ...shards.map(
        (s) => (s.firstPlanMs ?? 0) + (s.upMs ?? 0) + (s.noopPlanMs ?? 0) + (s.noopUpMs ?? 0),
      ),
    );
    const gb = (bytes: number | undefined) => ((bytes ?? 0) / 1e9).toFixed(2);
    out.push(
      "",
      `wall time here (all shards, ${options.concurrency} at a time): ${secs(wallMs)} s`,
      `a runner per shard (the slowest shard's four steps): ${secs(slowest)} s`,
      `peak memory of everything running at once: CLI ${gb(usage.memory.cli)} GB, program ${gb(usage.memory.program)} GB, provider ${gb(usage.memory.provider)} GB`,
      `merged first plan: ${merged.length.toLocaleString("en-US")} characters of Markdown (GitHub's limit ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}; the renderer keeps it within ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} by collapsing accounts); the largest shard's own: ${largestShardPlan.toLocaleString("en-US")}`,
      `no-op check per shard: ${shards.every((s) => s.noopMutations === 0 && !s.noopPlanChanges) ? "every shard: no change planned, 0 mutating Twilio calls" : "FAILED (see the table)"}`,
    );
    process.stdout.write(`${out.join("\n")}\n`);
    return shards.every((s) => s.noopMutations === 0 && !s.noopPlanChanges) ? 0 : 1;
  } finally {
    for (const shard of shards) {
      await runPulumi(ws, ["stack", "rm", shard.stack, "--yes", "--force"], { check: false });
      await shard.emulator.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
