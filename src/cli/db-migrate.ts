/**
 * `npm run db:migrate -- [--database-url URL]`: applies the committed migrations (src/db/migrations)
 * and records them in `_prisma_migrations` as `prisma migrate deploy` would. Idempotent.
 */
import { migrateDatabase } from "../db";
import { defineCommand, EXIT, main } from "./command";

const USAGE = `Usage: npm run db:migrate -- [--database-url URL]

Applies the migrations in src/db/migrations that the database has not recorded yet, each in one
transaction, and records them in _prisma_migrations exactly as \`prisma migrate deploy\` does
(a deployment can use either). Running it again applies nothing.

  --database-url URL   PostgreSQL to migrate (default: DATABASE_URL; unset: the embedded
                       database in .local/db/)
  -h, --help           this text

Exit codes: 0 migrated (or nothing to do), 1 a migration failed (rolled back), 2 usage error.`;

export const dbMigrateCommand = defineCommand({
  script: "db:migrate",
  usage: USAGE,
  options: { "database-url": { type: "string" } },
  async run({ values }, io) {
    try {
      const result = await migrateDatabase({ databaseUrl: values["database-url"] });
      for (const name of result.applied) io.out(`applied ${name}\n`);
      io.out(
        `${result.location}: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied\n`,
      );
      return EXIT.ok;
    } catch (error) {
      io.err(`db:migrate failed: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
  },
});

if (require.main === module) main(dbMigrateCommand);
