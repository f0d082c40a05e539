/**
 * The database room (src/db/): the Prisma schema and its committed client (generated/), the
 * migrations and their runner, and the one factory every part opens the database with
 * (database.ts, on connection.ts: what an open database is, and PostgreSQL by URL). The sender
 * package does not use this room: it reads through the backend's own client or `pg`.
 *
 * Imports only src/util. Never the rooms that use it (sync, start, sender, cli), nor scripts/,
 * bench/ or test/.
 */
export { type Database, redactUrl } from "./connection";
export {
  DEFAULT_EMBEDDED_DIR,
  migrateDatabase,
  type OpenDatabaseOptions,
  openDatabase,
  resolveDatabaseUrl,
} from "./database";
export type { Account, Prisma, VapiPhoneNumber } from "./generated/client";
export { PrismaClient } from "./generated/client";
export { type MigrateResult, readMigrations } from "./migrations";
