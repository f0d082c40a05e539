/**
 * The database room: the Prisma schema and its committed client (generated/), the migrations and
 * their runner, and the one factory every part opens the database with.
 */
export {
  type Database,
  DEFAULT_EMBEDDED_DIR,
  migrateDatabase,
  type OpenDatabaseOptions,
  openDatabase,
  redactUrl,
  resolveDatabaseUrl,
} from "./database";
export type { Account, Prisma, VapiPhoneNumber } from "./generated/client";
export { PrismaClient } from "./generated/client";
export { type MigrateResult, readMigrations } from "./migrations";
