/**
 * The committed migrations and the Prisma schema agree, on the real PostgreSQL and on the embedded
 * database: every field of every model is written and read back through the generated client on a
 * database built only by the migrations. The runner records migrations as `prisma migrate deploy`
 * does, once, even when two runs race.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase, openDatabase, readMigrations } from "../../src/db";
import {
  MIGRATIONS_DIR,
  migrate,
  type SqlSession,
  scriptMatchesChecksum,
} from "../../src/db/migrations";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-postgres";

interface Target {
  label: string;
  options: { databaseUrl?: string; embeddedDir?: string };
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
}

function postgresTarget(): Target {
  let scratch: ScratchDatabase | undefined;
  const target: Target = {
    label: "PostgreSQL",
    options: {},
    async setUp() {
      scratch = await createScratchDatabase("db_schema_test");
      target.options = { databaseUrl: scratch.url };
    },
    async tearDown() {
      await scratch?.drop();
    },
  };
  return target;
}

function embeddedTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), "sync-embedded-db-"));
  return {
    label: "embedded PGlite",
    // A variable that points elsewhere must not divert the embedded case.
    options: { databaseUrl: "", embeddedDir: join(dir, "db") },
    async setUp() {
      delete process.env.DATABASE_URL;
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Prisma's checksum of a migration script, computed without this project's code: coreutils'
 * sha256sum of the script's bytes, lower-case hex, which is what Prisma's schema engine records
 * (schema-connector/src/checksum.rs: Sha256 of the script, each byte as two hex digits).
 */
function prismaChecksum(script: string | Buffer): string {
  return execFileSync("sha256sum", { input: script, encoding: "utf8" }).split(" ")[0] ?? "";
}

describe.each([postgresTarget(), embeddedTarget()])("on $label", (target) => {
  beforeAll(() => target.setUp());
  afterAll(() => target.tearDown());

  it("applies each migration once and records it in _prisma_migrations as Prisma does", async () => {
    const first = await migrateDatabase(target.options);
    const second = await migrateDatabase(target.options);
    const names = readMigrations().map((m) => m.name);
    expect(first.applied).toEqual(names);
    expect(second).toMatchObject({ applied: [], alreadyApplied: names });

    const db = await openDatabase(target.options);
    try {
      const rows = await db.prisma.$queryRaw<
        Array<{
          migration_name: string;
          checksum: string;
          started_at: Date;
          finished_at: Date | null;
          rolled_back_at: Date | null;
          applied_steps_count: number;
          logs: string | null;
        }>
      >`SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name`;
      expect(rows.map((row) => row.migration_name)).toEqual(names);
      for (const row of rows) {
        const file = readFileSync(join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.checksum).toBe(prismaChecksum(file));
        expect(row.applied_steps_count).toBe(1);
        expect(row.rolled_back_at).toBeNull();
        expect(row.logs).toBeNull();
        expect(row.finished_at).not.toBeNull();
        expect(new Date(row.finished_at ?? 0).getTime()).toBeGreaterThanOrEqual(
          new Date(row.started_at).getTime(),
        );
      }
    } finally {
      await db.close();
    }
  });

  it("writes and reads back every field of Account and VapiPhoneNumber through the generated client", async () => {
    const db: Database = await openDatabase(target.options);
    try {
      const account = await db.prisma.account.create({
        data: { id: "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11", name: "Downtown Montreal Dentistry" },
      });
      const written = {
        accountId: account.id,
        vapiPhoneId: "30eb318f-70d2-4600-b21d-21673479d7f9",
        phoneNumber: "+15145550100",
        vapiAssistantId: "assistant-1",
        vapiSquadId: "squad-1",
        twilioPhoneNumberSid: `PN${"a".repeat(32)}`,
        twilioMessagingServiceSid: `MG${"b".repeat(32)}`,
        name: "Main Line",
        isActive: false,
      };
      const created = await db.prisma.vapiPhoneNumber.create({ data: written });
      const read = await db.prisma.vapiPhoneNumber.findUniqueOrThrow({
        where: { vapiPhoneId: written.vapiPhoneId },
        include: { account: true },
      });
      expect(read).toMatchObject(written);
      expect(read.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(read.id).toBe(created.id);
      expect(read.createdAt).toBeInstanceOf(Date);
      expect(read.updatedAt).toBeInstanceOf(Date);
      expect(read.account).toEqual(account);
      expect(account.createdAt).toBeInstanceOf(Date);
      expect(account.updatedAt).toBeInstanceOf(Date);

      // Defaults come from the migration: is_active true, created_at now.
      const defaults = await db.prisma.vapiPhoneNumber.create({
        data: {
          accountId: account.id,
          vapiPhoneId: "vapi-2",
          phoneNumber: "+15145550101",
          name: "After hours",
        },
      });
      expect(defaults).toMatchObject({
        isActive: true,
        vapiAssistantId: null,
        vapiSquadId: null,
        twilioPhoneNumberSid: null,
        twilioMessagingServiceSid: null,
      });

      // The unique keys and the relation are constraints of the database, not only of the client.
      await expect(
        db.prisma.vapiPhoneNumber.create({
          data: { ...written, phoneNumber: "+15145550102" },
        }),
      ).rejects.toThrow(/Unique constraint/);
      await expect(
        db.prisma.vapiPhoneNumber.create({
          data: { ...written, vapiPhoneId: "vapi-3" },
        }),
      ).rejects.toThrow(/Unique constraint/);
      await expect(
        db.prisma.vapiPhoneNumber.create({
          data: {
            ...written,
            accountId: "7c9e1041-f9df-45aa-8318-1b59c5c36511",
            vapiPhoneId: "vapi-4",
            phoneNumber: "+15145550104",
          },
        }),
      ).rejects.toThrow(/Foreign key constraint/);
    } finally {
      await db.close();
    }
  });
});

describe("the migration runner on PostgreSQL", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase("db_migrate_test");
  });
  afterAll(() => scratch.drop());

  async function withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: scratch.url });
    // A connection the server ends (one test does that on purpose) also emits an 'error' event.
    client.on("error", () => {});
    await client.connect();
    try {
      return await work({
        query: async (sql, params) => (await client.query(sql, params)).rows,
        exec: async (script) => {
          await client.query(script);
        },
      });
    } finally {
      await client.end();
    }
  }

  it("two runs started at once both finish and apply each migration once", async () => {
    const results = await Promise.all([
      migrateDatabase({ databaseUrl: scratch.url }),
      migrateDatabase({ databaseUrl: scratch.url }),
    ]);
    const names = readMigrations().map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
    expect(results.flatMap((r) => r.alreadyApplied).sort()).toEqual(names);
    const count = await withSession((s) =>
      s.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`),
    );
    expect(count).toEqual([{ n: names.length }]);
  });

  it("rolls a failing migration back whole, names it, and records nothing for it", async () => {
    const broken = [
      {
        name: "20991231000000_broken",
        sql: 'CREATE TABLE "half_done" ("id" INT);\nSELECT no_such_function();',
        checksum: "0".repeat(64),
      },
    ];
    await expect(withSession((s) => migrate(s, broken))).rejects.toThrow(
      /^migration 20991231000000_broken failed and was rolled back: .*no_such_function/,
    );
    const left = await withSession(async (s) => ({
      table: await s.query(`SELECT to_regclass('half_done') AS t`),
      rows: await s.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [
        broken[0]?.name,
      ]),
    }));
    expect(left).toEqual({ table: [{ t: null }], rows: [] });
  });

  it("reports a migration's own error first when its ROLLBACK fails too (the connection is gone)", async () => {
    const dying = [
      {
        name: "20991231000001_connection_lost",
        sql: 'CREATE TABLE "never_kept" ("id" INT);\nSELECT pg_terminate_backend(pg_backend_pid());',
        checksum: "1".repeat(64),
      },
    ];
    const error = await withSession((s) => migrate(s, dying)).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error?.message).toMatch(
      /^migration 20991231000001_connection_lost failed: terminating connection due to administrator command; and its ROLLBACK failed too \(.+\): check with `SELECT \* FROM "_prisma_migrations" WHERE migration_name = '20991231000001_connection_lost'` that nothing of it was recorded before running again$/,
    );
    // PostgreSQL discarded the transaction with its connection: nothing of it was kept.
    const left = await withSession(async (s) => ({
      table: await s.query(`SELECT to_regclass('never_kept') AS t`),
      rows: await s.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [
        dying[0]?.name,
      ]),
    }));
    expect(left).toEqual({ table: [{ t: null }], rows: [] });
  });
});

describe("a migration edited after it was applied", () => {
  let scratch: ScratchDatabase;
  const [first] = readMigrations();
  const name = first?.name ?? "";
  const file = readFileSync(join(MIGRATIONS_DIR, name, "migration.sql"));

  beforeAll(async () => {
    scratch = await createScratchDatabase("db_checksum_test");
    await migrateDatabase({ databaseUrl: scratch.url });
  });
  afterAll(() => scratch.drop());

  /** Records `checksum` for the first migration, as if it had been applied with another file. */
  async function recordChecksum(checksum: string): Promise<void> {
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query(
        `UPDATE "_prisma_migrations" SET "checksum" = $1 WHERE "migration_name" = $2`,
        [checksum, name],
      );
    } finally {
      await client.end();
    }
  }

  /** `npm run db:migrate -- --database-url …`, as a person runs it. */
  function dbMigrate() {
    const result = spawnSync(
      join(__dirname, "..", "..", "node_modules", ".bin", "tsx"),
      ["src/cli/db-migrate.ts", "--database-url", scratch.url],
      { cwd: join(__dirname, "..", ".."), encoding: "utf8" },
    );
    return { code: result.status, out: result.stdout, err: result.stderr };
  }

  it("stops npm run db:migrate with Prisma's words, applying nothing", async () => {
    // The file as it was applied had one more line; the repository's file is the edited one.
    const asApplied = prismaChecksum(Buffer.concat([file, Buffer.from("-- since removed\n")]));
    await recordChecksum(asApplied);
    const run = dbMigrate();
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `db:migrate failed: The migration \`${name}\` was modified after it was applied (checksum recorded in _prisma_migrations ${asApplied}, file now ${prismaChecksum(file)}).\n` +
        "Nothing was applied. Restore the migration as it was applied (git log -p on its migration.sql) and put the change in a new migration; if the edit was deliberate and the database already matches it, record the file's checksum in _prisma_migrations by hand (see docs/sync.md).\n",
    );
    expect(run.out).toBe("");
  });

  it("runs on when only the line endings differ (a Windows checkout), as Prisma does", async () => {
    const crlf = file.toString("utf8").replace(/\n/g, "\r\n");
    await recordChecksum(prismaChecksum(crlf));
    const run = dbMigrate();
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    // Every migration of the repository was applied before the test (one per directory).
    const migrations = readMigrations().length;
    expect(run.out).toContain(`0 migration(s) applied, ${migrations} already applied`);
  });

  it("matches checksums the way Prisma's schema engine does", () => {
    // Prisma's own cases (checksum.rs tests): line-ending agnostic both ways, and nothing else.
    for (const [script, other] of [
      ["ab\ncd\nef\ngh\rab", "ab\r\ncd\r\nef\r\ngh\rab"],
      ["ab\ncd\nef\ngh\rab\n", "ab\r\ncd\r\nef\r\ngh\rab\r\n"],
    ] as const) {
      expect(scriptMatchesChecksum(script, prismaChecksum(other))).toBe(true);
      expect(scriptMatchesChecksum(other, prismaChecksum(script))).toBe(true);
    }
    expect(scriptMatchesChecksum("abc", prismaChecksum("abcd"))).toBe(false);
    expect(scriptMatchesChecksum("abc\n", prismaChecksum("abc"))).toBe(false);
    // Old Prisma versions wrote each byte's hex without its leading zero (prisma-engines#1887).
    const padded = prismaChecksum("hello");
    expect(padded).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    const unpadded = (padded.match(/../g) ?? []).map((byte) => byte.replace(/^0/, "")).join("");
    expect(unpadded.length).toBeLessThan(64);
    expect(scriptMatchesChecksum("hello", unpadded)).toBe(true);
    expect(scriptMatchesChecksum("hello!", unpadded)).toBe(false);
  });
});

describe("the embedded database", () => {
  it("is migrated on first use, keeps its data, and refuses a second open in the same process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sync-embedded-reopen-"));
    try {
      const options = { databaseUrl: "", embeddedDir: join(dir, "db") };
      const first = await openDatabase(options);
      await first.prisma.account.create({
        data: { id: "b329f0bd-3fcd-472f-ac93-596b2f650edc", name: "Kitsilano Family Dental" },
      });
      await expect(openDatabase(options)).rejects.toThrow(/already open in this process/);
      await first.close();
      const second = await openDatabase(options);
      try {
        expect(await second.prisma.account.findMany({ select: { name: true } })).toEqual([
          { name: "Kitsilano Family Dental" },
        ]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
