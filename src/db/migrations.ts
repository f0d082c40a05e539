/**
 * Applies the committed migrations (src/db/migrations/<name>/migration.sql) and records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so a real deployment can switch to
 * Prisma's own command at any time: it sees these as applied and applies only newer ones.
 *
 * Why not `prisma migrate deploy` itself: it needs Prisma's native schema engine, which is
 * downloaded at run time and cannot be here (docs/sync.md, "Migrations").
 *
 * What matches Prisma: the table definition, the checksum (sha256 of the script, lower-case hex)
 * and how a recorded checksum is compared with the file (scriptMatchesChecksum: Prisma's schema
 * engine, schema-connector/src/checksum.rs), a row per migration with started_at / finished_at /
 * applied_steps_count = 1, and the advisory lock key Prisma takes (72707369), so this runner and
 * `prisma migrate deploy` also exclude each other.
 * What is stricter: each migration runs in one transaction with its row, so a failure leaves no
 * half-applied migration behind (Prisma would leave a failed row that blocks later deploys); and a
 * migration edited after it was applied stops every run, with the words of `prisma migrate dev`
 * ("The migration `…` was modified after it was applied."), where `prisma migrate deploy` itself
 * does not compare checksums at all: a database whose history no longer matches the files must
 * not be migrated further on the assumption that it does.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export const MIGRATIONS_DIR = join(__dirname, "migrations");

/** The key Prisma's schema engine locks on PostgreSQL during migrate commands. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** A plain SQL connection (not Prisma): migrations are multi-statement scripts. */
export interface SqlSession {
  /** Runs one statement with $1… parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements, no parameters. */
  exec(script: string): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Prisma's own definition of its bookkeeping table (schema engine, PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** sha256 of the script's UTF-8 bytes, lower-case hex: the checksum Prisma records. */
function checksumOf(script: string | Buffer): string {
  return createHash("sha256").update(script).digest("hex");
}

/**
 * Whether a migration script matches the checksum recorded for it, as Prisma decides: the script
 * as it is, with CRLF turned to LF, or with LF turned to CRLF (a checkout on Windows changes line
 * endings, not the migration); and a recorded checksum that is not 64 characters long was written
 * by an old Prisma that did not zero-pad each byte's hex (prisma-engines issue 1887).
 */
export function scriptMatchesChecksum(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, "\n"), script.replace(/\n/g, "\r\n")];
  const unpadded = recorded !== "" && recorded.length !== 64;
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant).digest();
    const rendered = unpadded
      ? [...digest].map((byte) => byte.toString(16)).join("")
      : digest.toString("hex");
    return rendered === recorded;
  });
}

/** The migrations in the order Prisma applies them: by directory name. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: checksumOf(bytes),
      };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies every migration not yet recorded as finished. Idempotent; concurrent runs wait for each
 * other on the advisory lock. Throws (reason first), applying nothing, on a migration that failed
 * earlier outside this runner (like Prisma's P3009) and on one edited after it was applied.
 */
export async function migrate(
  session: SqlSession,
  migrations: Migration[] = readMigrations(),
): Promise<MigrateResult> {
  await session.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  let result: MigrateResult;
  try {
    result = await migrateLocked(session, migrations);
  } catch (error) {
    // After a failure the session may be gone, and its lock with it: the first error is the one
    // to read, not the unlock's.
    await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => {});
    throw error;
  }
  await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  return result;
}

async function migrateLocked(session: SqlSession, migrations: Migration[]): Promise<MigrateResult> {
  await session.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await session.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    throw new Error(
      `migration ${failed.map((row) => row.migration_name).join(", ")} failed earlier and was not resolved: ` +
        "fix the database, then mark it with `prisma migrate resolve` (see docs/sync.md)",
    );
  }
  const applied = rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null);
  const finished = new Map(applied.map((row) => [row.migration_name, row.checksum]));
  const edited = migrations.filter((migration) => {
    const recorded = finished.get(migration.name);
    return recorded !== undefined && !scriptMatchesChecksum(migration.sql, recorded);
  });
  if (edited.length > 0) throw new Error(modifiedAfterApplied(edited, finished));
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    if (finished.has(migration.name)) {
      result.alreadyApplied.push(migration.name);
      continue;
    }
    await applyOne(session, migration);
    result.applied.push(migration.name);
  }
  return result;
}

/** Prisma's sentence per edited migration, then what was compared and what to do. */
function modifiedAfterApplied(edited: Migration[], recorded: Map<string, string>): string {
  const lines = edited.map(
    (migration) =>
      `The migration \`${migration.name}\` was modified after it was applied (checksum recorded in _prisma_migrations ${recorded.get(migration.name)}, file now ${migration.checksum}).`,
  );
  return [
    ...lines,
    "Nothing was applied. Restore the migration as it was applied (git log -p on its migration.sql) and put the change in a new migration; if the edit was deliberate and the database already matches it, record the file's checksum in _prisma_migrations by hand (see docs/sync.md).",
  ].join("\n");
}

async function applyOne(session: SqlSession, migration: Migration): Promise<void> {
  await session.exec("BEGIN");
  try {
    const id = randomUUID();
    await session.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await session.exec(migration.sql);
    // clock_timestamp(), not now(): inside one transaction now() would equal started_at.
    await session.query(
      `UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = $1`,
      [id],
    );
    await session.exec("COMMIT");
  } catch (error) {
    const reason = messageOf(error);
    try {
      await session.exec("ROLLBACK");
    } catch (rollbackError) {
      // The original failure first; then why the rollback did not happen (typically the connection
      // is gone, and PostgreSQL has then discarded the transaction itself).
      throw new Error(
        `migration ${migration.name} failed: ${reason}; and its ROLLBACK failed too (${messageOf(rollbackError)}): check with \`SELECT * FROM "_prisma_migrations" WHERE migration_name = '${migration.name}'\` that nothing of it was recorded before running again`,
      );
    }
    throw new Error(`migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
