/**
 * `npm run bench:sync`: what the post-deploy sync costs for many accounts on the real PostgreSQL,
 * next to the seed's way of writing SIDs (one `findFirst` + one `update` per number), in the same
 * run on the same server.
 *
 * On a database of its own (created here, dropped at the end, also on failure or Ctrl-C):
 *   1. N legacy rows (one per account, number known, no SIDs) → the seed-style loop writes them;
 *   2. the same rows with SIDs cleared again → the sync's first run writes them (updates), then a
 *      no-op sync;
 *   3. an empty database → the first sync creates N Account rows and N number rows.
 * Prints wall time, peak RSS and heap of this process, and whether the targets are met. Figures are
 * measured, never asserted: the exit code is non-zero only when something fails or a result is
 * wrong (rows without their SIDs). Progress goes to stderr, results to stdout.
 */
import { defineCommand, main, UsageError } from "../src/cli/command";
import { type Database, migrateDatabase, openDatabase } from "../src/db";
import type { StackOutputs } from "../src/sync/contract";
import { syncStackOutputs } from "../src/sync/sync";
import { createScratchDatabase, type ScratchDatabase } from "../test/db/scratch-postgres";
import { manyAccounts } from "../test/sync/fixtures";

const HELP = `Usage: npm run bench:sync -- [--accounts N]

Measures the post-deploy sync of N accounts (one number each; default 10000) on PostgreSQL
(POSTGRES_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres; a scratch database is
created and dropped) against a seed-style loop (findFirst + update per number), with peak memory.
Targets: first sync at least 10x faster than the loop and under 5 s; no-op sync under 1 s.
Prints figures only; exits non-zero only when something fails.`;

interface Measured {
  label: string;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
}

/** Runs `work`, sampling memory every 10 ms; peaks are of the whole process (baseline included). */
async function measure(label: string, work: () => Promise<unknown>): Promise<Measured> {
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 10);
  process.stderr.write(`bench:sync: ${label}…\n`);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
    sample();
  }
  const ms = performance.now() - started;
  return { label, ms, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
}

/** The seed's "Manual Setup" loop, applied to SIDs: one lookup and one update per number. */
async function seedStyleLoop(db: Database, outputs: StackOutputs): Promise<void> {
  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      const row = await db.prisma.vapiPhoneNumber.findFirst({
        where: { phoneNumber: number.phoneNumber ?? "" },
      });
      if (!row) continue;
      await db.prisma.vapiPhoneNumber.update({
        where: { id: row.id },
        data: {
          twilioPhoneNumberSid: number.sid,
          twilioMessagingServiceSid: account.messagingServiceSid,
          isActive: true,
        },
      });
    }
  }
}

/** N legacy rows without SIDs, written in bulk (setup, not measured). */
async function seedLegacyRows(db: Database, outputs: StackOutputs): Promise<void> {
  const accounts = outputs.accounts;
  const numbers = accounts.map((a) => a.numbers[0]);
  await db.prisma.$executeRaw`
    INSERT INTO "accounts" ("id", "name", "updated_at")
    SELECT * , now() FROM unnest(${accounts.map((a) => a.accountId)}::uuid[], ${accounts.map((a) => a.name)}::text[])`;
  await db.prisma.$executeRaw`
    INSERT INTO "vapi_phone_numbers" ("id", "account_id", "vapi_phone_id", "phone_number", "name", "updated_at")
    SELECT gen_random_uuid(), a, v, p, 'Main Line', now()
    FROM unnest(${accounts.map((a) => a.accountId)}::uuid[], ${numbers.map((n) => n?.vapiPhoneId ?? "")}::text[],
                ${numbers.map((n) => n?.phoneNumber ?? "")}::text[]) AS t(a, v, p)`;
}

async function clearSids(db: Database): Promise<void> {
  await db.prisma.$executeRaw`
    UPDATE "vapi_phone_numbers" SET "twilio_phone_number_sid" = NULL, "twilio_messaging_service_sid" = NULL, "is_active" = false`;
}

async function checkAllSynced(db: Database, expected: number, after: string): Promise<void> {
  const synced = await db.prisma.vapiPhoneNumber.count({
    where: {
      twilioPhoneNumberSid: { not: null },
      twilioMessagingServiceSid: { not: null },
      isActive: true,
    },
  });
  if (synced !== expected)
    throw new Error(`after ${after}: ${synced} of ${expected} rows hold their SIDs`);
}

async function benchmark(count: number): Promise<number> {
  const outputs = manyAccounts(count);
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  let scratch: ScratchDatabase | undefined;
  let db: Database | undefined;
  const cleanUp = async () => {
    await db?.close();
    await scratch?.drop();
  };
  process.once("SIGINT", () => {
    void cleanUp().finally(() => process.exit(130));
  });
  try {
    scratch = await createScratchDatabase("bench_sync");
    await migrateDatabase({ databaseUrl: scratch.url });
    db = await openDatabase({ databaseUrl: scratch.url });
    const open = db;

    await seedLegacyRows(open, outputs);
    const loop = await measure(`seed-style loop over ${count} rows`, () =>
      seedStyleLoop(open, outputs),
    );
    await checkAllSynced(open, count, "the seed-style loop");

    await clearSids(open);
    const first = await measure(`first sync (${count} updates)`, () =>
      syncStackOutputs(open, outputs),
    );
    await checkAllSynced(open, count, "the first sync");
    let noOpReport = "";
    const noOp = await measure("no-op sync", async () => {
      const result = await syncStackOutputs(open, outputs);
      noOpReport = `${result.report.unchanged} unchanged`;
    });
    if (noOpReport !== `${count} unchanged`) throw new Error(`no-op sync reported ${noOpReport}`);

    await open.prisma.$executeRaw`TRUNCATE "vapi_phone_numbers", "accounts"`;
    const creating = await measure(
      `first sync into an empty database (${count} rows + Accounts)`,
      () => syncStackOutputs(open, outputs),
    );
    await checkAllSynced(open, count, "the creating sync");

    const rows = [loop, first, noOp, creating];
    console.log(
      `bench:sync: ${count} accounts (one number each) on PostgreSQL, ${new Date().toISOString()}`,
    );
    console.log(`(process RSS before the runs, outputs built: ${baselineRssMb.toFixed(0)} MB)`);
    console.log("");
    console.log(`| run | wall time | peak RSS | peak heap |`);
    console.log(`| --- | ---: | ---: | ---: |`);
    for (const r of rows) {
      console.log(
        `| ${r.label} | ${(r.ms / 1000).toFixed(2)} s | ${r.peakRssMb.toFixed(0)} MB | ${r.peakHeapMb.toFixed(0)} MB |`,
      );
    }
    const speedup = loop.ms / first.ms;
    const met = (ok: boolean) => (ok ? "met" : "NOT met");
    console.log("");
    console.log("targets:");
    console.log(
      `  first sync >= 10x faster than the loop: ${speedup.toFixed(1)}x (${met(speedup >= 10)})`,
    );
    console.log(`  first sync < 5 s: ${(first.ms / 1000).toFixed(2)} s (${met(first.ms < 5000)})`);
    console.log(`  no-op sync < 1 s: ${(noOp.ms / 1000).toFixed(2)} s (${met(noOp.ms < 1000)})`);
    return 0;
  } catch (error) {
    console.error(`bench:sync failed: ${error instanceof Error ? error.message : error}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main(
  defineCommand({
    script: "bench:sync",
    usage: HELP,
    options: { accounts: { type: "string" } },
    async run({ values }) {
      const count = Number.parseInt(values.accounts ?? "10000", 10);
      if (!Number.isInteger(count) || count < 1) {
        throw new UsageError("--accounts takes a positive whole number");
      }
      const code = await benchmark(count);
      // The scratch database's pool may keep the process alive a while: end now.
      process.exit(code);
    },
  }),
);
