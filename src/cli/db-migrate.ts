/**
 * `npm run db:migrate -- [--database-url URL]`: applies the committed migrations (src/db/migrations)
 * and records them in `_prisma_migrations` as `prisma migrate deploy` would. Idempotent.
 */
import { parseArgs } from "node:util";
import { migrateDatabase } from "../db";

const HELP = `Usage: npm run db:migrate -- [--database-url URL]

Applies the migrations in src/db/migrations that the database has not recorded yet, each in one
transaction, and records them in _prisma_migrations exactly as \`prisma migrate deploy\` does
(a deployment can use either). Running it again applies nothing.

  --database-url URL   PostgreSQL to migrate (default: DATABASE_URL; unset: the embedded
                       database in .local/db/)
  -h, --help           this text

Exit codes: 0 migrated (or nothing to do), 1 a migration failed (rolled back), 2 usage error.`;

async function main(): Promise<number> {
  let values: { "database-url"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { "database-url": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  try {
    const result = await migrateDatabase({ databaseUrl: values["database-url"] });
    for (const name of result.applied) console.log(`applied ${name}`);
    console.log(
      `${result.location}: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`,
    );
    return 0;
  } catch (error) {
    console.error(`db:migrate failed: ${(error as Error).message}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
