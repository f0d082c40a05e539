/**
 * The post-deploy sync on the real PostgreSQL (a database of this run, created and dropped here)
 * and on the embedded PGlite: idempotence, atomicity, concurrency, release, the problems it
 * reports, --dry-run, and bad outputs.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/command";
import { syncCommand } from "../../src/cli/sync";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import type { StackOutputs } from "../../src/sync/contract";
import { type SyncReport, syncStackOutputs } from "../../src/sync/sync";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import {
  accountId,
  activeAccount,
  dumpTables,
  emptyTables,
  manyAccounts,
  numberSid,
  outputsOf,
  phoneNumber,
  releasedAccount,
  rowContents,
  seedRow,
  serviceSid,
  vapiPhoneId,
  withMainNumber,
} from "./fixtures";

/** What two syncs started at once reported, and the rows they left. */
interface TwoSyncs {
  reports: SyncReport[];
  rows: unknown[];
}

interface Target {
  label: string;
  /**
   * Runs two syncs of `outputs` at once, each with its own handle on the database: two
   * connections to PostgreSQL; two processes on an embedded database in a data directory (one
   * process cannot open it twice, and it is the lock between processes that keeps them apart).
   */
  twoSyncsAtOnce(outputs: StackOutputs): Promise<TwoSyncs>;
  setUp(): Promise<Database>;
  tearDown(): Promise<void>;
  /** CLI arguments and injection that make `npm run sync` use this database. */
  cli(): { args: string[]; injected: { database?: Database } };
}

function postgres(): Target {
  let scratch: ScratchDatabase;
  const handles: Database[] = [];
  const open = async () => {
    const db = await openDatabase({ databaseUrl: scratch.url });
    handles.push(db);
    return db;
  };
  const target: Target = {
    label: "PostgreSQL",
    async twoSyncsAtOnce(outputs) {
      const [one, other] = [handles[0] as Database, await open()];
      const results = await Promise.all([
        syncStackOutputs(one, outputs),
        syncStackOutputs(other, outputs),
      ]);
      return { reports: results.map((r) => r.report), rows: await rowContents(one) };
    },
    async setUp() {
      scratch = await createScratchDatabase("sync_test");
      await migrateDatabase({ databaseUrl: scratch.url });
      return open();
    },
    async tearDown() {
      for (const db of handles) await db.close();
      await scratch?.drop();
    },
    cli: () => ({ args: ["--database-url", scratch.url], injected: {} }),
  };
  return target;
}

const run = promisify(execFile);
const repoRoot = join(__dirname, "..", "..");

/** `syncStackOutputs` in a process of its own, on the embedded database in `embeddedDir`. */
async function syncInAnotherProcess(embeddedDir: string, outputsPath: string): Promise<SyncReport> {
  const script = `
    const { readFileSync } = require("node:fs");
    const { openDatabase } = require(${JSON.stringify(join(repoRoot, "src/db"))});
    const { syncStackOutputs } = require(${JSON.stringify(join(repoRoot, "src/sync/sync"))});
    (async () => {
      const db = await openDatabase({ databaseUrl: "", embeddedDir: ${JSON.stringify(embeddedDir)} });
      try {
        const { report } = await syncStackOutputs(db, JSON.parse(readFileSync(${JSON.stringify(outputsPath)}, "utf8")));
        process.stdout.write(JSON.stringify(report));
      } finally {
        await db.close();
      }
    })();`;
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const { stdout } = await run(process.execPath, ["-r", "tsx/cjs", "-e", script], {
    cwd: repoRoot,
    env,
  });
  return JSON.parse(stdout) as SyncReport;
}

function embedded(): Target {
  let db: Database;
  return {
    label: "embedded PGlite",
    async twoSyncsAtOnce(outputs) {
      const dir = mkdtempSync(join(tmpdir(), "sync-two-processes-"));
      try {
        const outputsPath = outputsFile(`two-processes-${Date.now()}.json`, outputs);
        const embeddedDir = join(dir, "db");
        const reports = await Promise.all([
          syncInAnotherProcess(embeddedDir, outputsPath),
          syncInAnotherProcess(embeddedDir, outputsPath),
        ]);
        const afterwards = await openDatabase({ databaseUrl: "", embeddedDir });
        try {
          return { reports, rows: await rowContents(afterwards) };
        } finally {
          await afterwards.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async setUp() {
      db = await openDatabase({ databaseUrl: "", embeddedDir: "memory://" });
      return db;
    },
    tearDown: async () => db?.close(),
    cli: () => ({ args: [], injected: { database: db } }),
  };
}

const workDir = mkdtempSync(join(tmpdir(), "sync-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function outputsFile(name: string, content: StackOutputs | string): string {
  const path = join(workDir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

async function cli(target: Target, args: string[]) {
  let out = "";
  let err = "";
  const { args: dbArgs, injected } = target.cli();
  const code = await runCommand(syncCommand(injected), [...args, ...dbArgs], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

describe.each([postgres(), embedded()])("sync on $label", (target) => {
  let db: Database;
  beforeAll(async () => {
    db = await target.setUp();
  });
  afterAll(() => target.tearDown());
  beforeEach(() => emptyTables(db));

  it("invariant 6, idempotent: first sync creates the rows and Accounts with the SIDs; the second reports everything unchanged", async () => {
    const outputs = manyAccounts(3);
    const first = await syncStackOutputs(db, outputs);
    expect(first.report).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      parked: 0,
      unmatched: [],
      conflicts: [],
    });
    expect(first.accountsCreated).toBe(3);
    expect(await rowContents(db)).toEqual(
      [1, 2, 3].map((n) => ({
        accountId: accountId(n),
        vapiPhoneId: vapiPhoneId(n),
        phoneNumber: phoneNumber(n),
        name: "main",
        twilioPhoneNumberSid: numberSid(n),
        twilioMessagingServiceSid: serviceSid(n),
        isActive: true,
      })),
    );
    expect(
      await db.prisma.account.findMany({
        orderBy: { id: "asc" },
        select: { id: true, name: true },
      }),
    ).toEqual([1, 2, 3].map((n) => ({ id: accountId(n), name: `Clinic ${n}` })));
    const before = await dumpTables(db);
    const second = await syncStackOutputs(db, outputs);
    expect(second.report).toMatchObject({ created: 0, updated: 0, unchanged: 3, deactivated: 0 });
    expect(await dumpTables(db)).toBe(before);
  });

  it("updates existing rows found by number SID or by phone number, and never changes an existing Account", async () => {
    await seedRow(db, 1, { twilioPhoneNumberSid: numberSid(1) }); // found by SID
    await seedRow(db, 2); // found by phone number
    await db.prisma.account.update({
      where: { id: accountId(1) },
      data: { name: "Renamed in the backend" },
    });
    const result = await syncStackOutputs(db, manyAccounts(2));
    expect(result.report).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect(result.accountsCreated).toBe(0);
    const rows = await db.prisma.vapiPhoneNumber.findMany({ orderBy: { phoneNumber: "asc" } });
    expect(
      rows.map((r) => [
        r.twilioPhoneNumberSid,
        r.twilioMessagingServiceSid,
        r.isActive,
        r.vapiAssistantId,
        r.name,
      ]),
    ).toEqual([
      [numberSid(1), serviceSid(1), true, "assistant-1", "Main Line"],
      [numberSid(2), serviceSid(2), true, "assistant-2", "Main Line"],
    ]);
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: accountId(1) } })).name).toBe(
      "Renamed in the backend",
    );
  });

  it("clears both SIDs of released numbers and deactivates their rows, deleting nothing", async () => {
    await syncStackOutputs(db, manyAccounts(3));
    const result = await syncStackOutputs(
      db,
      outputsOf([activeAccount(1), releasedAccount(2), activeAccount(3)]),
    );
    expect(result.report).toMatchObject({ created: 0, updated: 0, unchanged: 2, deactivated: 1 });
    expect(await rowContents(db)).toEqual([
      expect.objectContaining({
        phoneNumber: phoneNumber(1),
        isActive: true,
        twilioPhoneNumberSid: numberSid(1),
      }),
      expect.objectContaining({
        phoneNumber: phoneNumber(2),
        isActive: false,
        twilioPhoneNumberSid: null,
        twilioMessagingServiceSid: null,
      }),
      expect.objectContaining({
        phoneNumber: phoneNumber(3),
        isActive: true,
        twilioPhoneNumberSid: numberSid(3),
      }),
    ]);
    const again = await syncStackOutputs(
      db,
      outputsOf([activeAccount(1), releasedAccount(2), activeAccount(3)]),
    );
    expect(again.report).toMatchObject({ unchanged: 3, deactivated: 0 });
  });

  it("invariant 6, atomic: leaves the database exactly as it was when a statement fails half-way", async () => {
    await seedRow(db, 1);
    await syncStackOutputs(db, outputsOf([activeAccount(2)]));
    const before = await dumpTables(db);
    // The database itself refuses the last statement (the row creates), after the Account insert
    // and the updates of the same transaction went through.
    await db.prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_number() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'injected failure for %', NEW.phone_number; END $$ LANGUAGE plpgsql`);
    await db.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_number BEFORE INSERT ON vapi_phone_numbers
      FOR EACH ROW WHEN (NEW.phone_number = '${phoneNumber(5)}') EXECUTE FUNCTION refuse_number()`);
    try {
      const outputs = outputsOf([
        activeAccount(1),
        releasedAccount(2),
        activeAccount(3),
        activeAccount(4),
        activeAccount(5),
      ]);
      await expect(syncStackOutputs(db, outputs)).rejects.toThrow(
        /injected failure for \+15140000005/,
      );
      expect(await dumpTables(db)).toBe(before);
      const file = outputsFile(`failing-${target.label}.json`, outputs);
      const run = await cli(target, ["--outputs", file]);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /^error: the database refused the sync \(P0001\): injected failure for \+15140000005\nNothing was written\.\n$/,
      );
      expect(await dumpTables(db)).toBe(before);
    } finally {
      await db.prisma.$executeRawUnsafe("DROP TRIGGER refuse_number ON vapi_phone_numbers");
      await db.prisma.$executeRawUnsafe("DROP FUNCTION refuse_number()");
    }
  });

  it("runs two syncs started at once, each with its own handle, to the end, with the result of one sync", async () => {
    const outputs = manyAccounts(50);
    const { reports, rows } = await target.twoSyncsAtOnce(outputs);
    // One created everything; the other, serialized behind it, found it all done.
    expect(reports.map((r) => [r.created, r.unchanged]).sort()).toEqual([
      [0, 50],
      [50, 0],
    ]);
    await emptyTables(db);
    await syncStackOutputs(db, outputs);
    expect(rows).toHaveLength(50);
    expect(rows).toEqual(await rowContents(db));
  });

  it("lists unmatched and conflicting numbers, exits 1, and writes the rest", async () => {
    // Row of number 7 holds vapi-3: number 3's vapiPhoneId belongs to another phone number.
    await db.prisma.account.create({ data: { id: accountId(7), name: "Clinic 7" } });
    await db.prisma.vapiPhoneNumber.create({
      data: {
        accountId: accountId(7),
        vapiPhoneId: vapiPhoneId(3),
        phoneNumber: phoneNumber(7),
        name: "Main Line",
      },
    });
    const outputs = outputsOf([
      activeAccount(1),
      activeAccount(2, { vapiPhoneId: null }),
      activeAccount(3),
    ]);
    const json = await cli(target, [
      "--outputs",
      outputsFile(`problems-${target.label}.json`, outputs),
      "--json",
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      parked: 0,
      unmatched: [
        {
          accountId: accountId(2),
          number: "main",
          phoneNumber: phoneNumber(2),
          sid: numberSid(2),
          vapiPhoneId: null,
        },
      ],
      conflicts: [
        {
          accountId: accountId(3),
          number: "main",
          phoneNumber: phoneNumber(3),
          sid: numberSid(3),
          vapiPhoneId: vapiPhoneId(3),
          reason: expect.stringMatching(
            /^vapiPhoneId vapi-3 belongs to row [0-9a-f-]{36} of another phone number, \+15140000007$/,
          ),
        },
      ],
    });
    expect((await rowContents(db)).map((r) => (r as { phoneNumber: string }).phoneNumber)).toEqual([
      phoneNumber(1),
      phoneNumber(7),
    ]);

    const text = await cli(target, [
      "--outputs",
      outputsFile(`problems-${target.label}.json`, outputs),
    ]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      `Unmatched (no row has this number's SID or phone number, and the YAML gives no vapiPhoneId to create one):\n  account ${accountId(2)}  number main  ${phoneNumber(2)}  ${numberSid(2)}  no vapiPhoneId\n`,
    );
    expect(text.out).toMatch(
      new RegExp(
        `Conflicts \\(nothing written for these numbers\\):\\n  account ${accountId(3)}  number main  \\${phoneNumber(3)}  ${numberSid(3)}  vapiPhoneId vapi-3\\n    vapiPhoneId vapi-3 belongs to row`,
      ),
    );
    expect(text.out).toMatch(
      /Needs a look: 1 unmatched, 1 conflict\(s\); everything else was written\.\n$/,
    );
  });

  it("--dry-run reports what a sync would do and writes nothing", async () => {
    await seedRow(db, 1);
    const before = await dumpTables(db);
    const file = outputsFile(`dry-${target.label}.json`, manyAccounts(2));
    const dry = await cli(target, ["--outputs", file, "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    expect(await dumpTables(db)).toBe(before);
    const text = await cli(target, ["--outputs", file, "--dry-run"]);
    expect(text.out).toMatch(
      /^Dry run \(nothing written\): sync of .*dry-.*\.json into .*: 2 account\(s\), 2 number\(s\)\n/,
    );
    expect(text.out).toMatch(/Nothing was written \(--dry-run\)\.\n$/);
    expect(await dumpTables(db)).toBe(before);
    const real = await cli(target, ["--outputs", file, "--json"]);
    expect(JSON.parse(real.out)).toEqual(JSON.parse(dry.out));
  });

  it.each([
    ["not JSON", "{ accounts: [", /^error: outputs file .*not-json.* is not valid JSON/],
    [
      "a wrong SID",
      JSON.stringify({
        accounts: [withMainNumber(activeAccount(1), { sid: "PN123" })],
      }),
      /^error: outputs file .*a-wrong-sid.* does not hold the stack outputs the sync expects .*\n {2}accounts\[0\]\.numbers\[0\]\.sid: expected a phone number SID/,
    ],
    [
      "the whole stack export instead of the outputs",
      JSON.stringify({ version: 3, deployment: {} }),
      /^error: outputs file .* does not hold the stack outputs .*\n {2}accounts: /,
    ],
    [
      "an active account without its service",
      JSON.stringify({ accounts: [{ ...activeAccount(1), messagingServiceSid: null }] }),
      /\n {2}accounts\[0\]\.messagingServiceSid: an active account needs its Messaging Service SID/,
    ],
  ])(
    "a malformed outputs file (%s) changes nothing and names the problem",
    async (name, content, message) => {
      await syncStackOutputs(db, manyAccounts(1));
      const before = await dumpTables(db);
      const file = outputsFile(
        `${name.replaceAll(" ", "-").toLowerCase()}.json`,
        content as string,
      );
      const run = await cli(target, ["--outputs", file]);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(message);
      expect(run.err).toContain(file);
      expect(run.err).toMatch(/Nothing was written\.\n$/);
      expect(run.out).toBe("");
      expect(await dumpTables(db)).toBe(before);
    },
  );
});

describe("sync usage", () => {
  it.each([
    [[]],
    [["--stack", "dev", "--outputs", "x.json"]],
    [["--outputs"]],
    [["--outputs", "x.json", "--colour"]],
  ])("exits 2 with the usage for %j", async (args) => {
    let err = "";
    const code = await runCommand(syncCommand(), args, { out: () => {}, err: (t) => (err += t) });
    expect(code).toBe(2);
    expect(err).toMatch(/^error: .*\n\nUsage: npm run sync -- \(--stack NAME \| --outputs FILE\)/);
  });

  it("--help explains the command and exits 0", async () => {
    let out = "";
    expect(
      await runCommand(syncCommand(), ["--help"], { out: (t) => (out += t), err: () => {} }),
    ).toBe(0);
    expect(out).toContain("Exit codes: 0 clean, 1 unmatched or conflicting numbers");
  });
});

describe("sync failures before any write", () => {
  const file = () => outputsFile("one-account.json", manyAccounts(1));
  async function failing(args: string[]) {
    let out = "";
    let err = "";
    const code = await runCommand(syncCommand(), args, {
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    return { code, out, err };
  }

  it("names an unreachable database, without the password of its URL", async () => {
    const run = await failing([
      "--outputs",
      file(),
      "--database-url",
      "postgresql://postgres:s3cret-pw@127.0.0.1:1/app",
    ]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^error: Can't reach database server at 127\.0\.0\.1:1\nNothing was written\.\n$/,
    );
    expect(run.err + run.out).not.toContain("s3cret-pw");
  });

  it("says to run the migrations when the database has no tables", async () => {
    const bare = await createScratchDatabase("sync_unmigrated");
    try {
      const run = await failing(["--outputs", file(), "--database-url", bare.url]);
      expect(run.code).toBe(1);
      expect(run.err).toBe(
        'error: the database has no sync tables: run `npm run db:migrate` against it first (the database refused the sync (42P01): relation "vapi_phone_numbers" does not exist)\nNothing was written.\n',
      );
    } finally {
      await bare.drop();
    }
  });
});
