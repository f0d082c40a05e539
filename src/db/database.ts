/**
 * The one way to open the database. With a URL (option or DATABASE_URL) it is PostgreSQL through
 * `@prisma/adapter-pg` (connection.ts); without, an embedded PostgreSQL (PGlite) in `.local/db/`,
 * migrated on first use, so a newcomer runs everything with no server. The Prisma client is the
 * same for both, so is every query made with it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { repoRoot } from "../util/repo-root";
import { type Database, openPostgres, redactUrl } from "./connection";
import { acquireEmbeddedLock } from "./embedded-lock";
import { PrismaClient } from "./generated/client";
import { type MigrateResult, migrate, type SqlSession } from "./migrations";

/** Where the embedded database lives unless told otherwise (git-ignored). */
export const DEFAULT_EMBEDDED_DIR = join(repoRoot, ".local", "db");

export interface OpenDatabaseOptions {
  /**
   * PostgreSQL connection URL. Left out (or empty): DATABASE_URL; when that is unset too, the
   * embedded database.
   */
  databaseUrl?: string;
  /** Data directory of the embedded database; default `.local/db/`. "memory://" keeps it in memory. */
  embeddedDir?: string;
  /**
   * Apply pending migrations before returning. Default: true for the embedded database (it is
   * ours), false for PostgreSQL (a deployment migrates on its own schedule: `npm run db:migrate`).
   */
  migrate?: boolean;
  /** Told about slow first-use work (creating the embedded database, applying migrations). */
  onProgress?: (message: string) => void;
}

/** The URL to use, or undefined for the embedded database. */
export function resolveDatabaseUrl(databaseUrl?: string): string | undefined {
  const url = databaseUrl || process.env.DATABASE_URL;
  return url ? url : undefined;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = resolveDatabaseUrl(options.databaseUrl);
  return url === undefined
    ? openEmbedded(
        options.embeddedDir ?? DEFAULT_EMBEDDED_DIR,
        options.migrate ?? true,
        options.onProgress,
      )
    : openMigratedPostgres(url, options.migrate ?? false);
}

/** Applies pending migrations to the database the options name (see openDatabase). */
export async function migrateDatabase(
  options: Omit<OpenDatabaseOptions, "migrate"> = {},
): Promise<MigrateResult & { location: string }> {
  const url = resolveDatabaseUrl(options.databaseUrl);
  if (url === undefined) {
    const dir = options.embeddedDir ?? DEFAULT_EMBEDDED_DIR;
    const embedded = await startEmbedded(dir);
    try {
      return { ...(await migrate(pgliteSession(embedded.pglite))), location: dir };
    } finally {
      await embedded.stop();
    }
  }
  return { ...(await withPgSession(url, migrate)), location: redactUrl(url) };
}

async function openMigratedPostgres(url: string, runMigrations: boolean): Promise<Database> {
  if (runMigrations) await withPgSession(url, migrate);
  return openPostgres(url);
}

async function openEmbedded(
  dir: string,
  runMigrations: boolean,
  onProgress?: (message: string) => void,
): Promise<Database> {
  if (!dir.startsWith("memory://") && !existsSync(dir)) {
    onProgress?.(`creating the embedded database in ${dir} (first use, a few seconds)…`);
  }
  const embedded = await startEmbedded(dir);
  try {
    if (runMigrations) {
      const { applied } = await migrate(pgliteSession(embedded.pglite));
      for (const name of applied) onProgress?.(`applied migration ${name}`);
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(embedded.pglite) });
  return {
    prisma,
    kind: "pglite",
    location: dir,
    close: async () => {
      await prisma.$disconnect();
      await embedded.stop();
    },
  };
}

async function startEmbedded(dir: string): Promise<{ pglite: PGlite; stop(): Promise<void> }> {
  if (dir.startsWith("memory://")) {
    const pglite = await PGlite.create(dir);
    return { pglite, stop: () => pglite.close() };
  }
  mkdirSync(dirname(dir), { recursive: true });
  const lock = await acquireEmbeddedLock(join(dirname(dir), `${basename(dir)}.lock`), dir);
  try {
    const pglite = await PGlite.create(dir);
    return {
      pglite,
      stop: async () => {
        try {
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function basename(dir: string): string {
  return resolve(dir).split(/[\\/]/).pop() ?? "db";
}

function pgliteSession(pglite: PGlite): SqlSession {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
    async exec(script: string) {
      await pglite.exec(script);
    },
  };
}

async function withPgSession<T>(
  url: string,
  work: (session: SqlSession) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url });
  // A connection the server ends also emits 'error'; the query in flight reports it (with its
  // context), so the event must not crash the process on top of that.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work({
      async query<Row>(sql: string, params?: unknown[]) {
        return (await client.query(sql, params)).rows as Row[];
      },
      async exec(script: string) {
        await client.query(script);
      },
    });
  } finally {
    await client.end();
  }
}
