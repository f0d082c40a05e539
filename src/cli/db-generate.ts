/**
 * `npm run db:generate`: regenerates the committed Prisma client (src/db/generated/) from
 * src/db/schema.prisma (see src/db/generate-client.ts for why it is committed).
 */
import { generateClient } from "../db/generate-client";

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(`Usage: npm run db:generate

Regenerates the Prisma client (src/db/generated/, committed) from src/db/schema.prisma.
Run it after changing the schema, and add a migration (docs/sync.md, "Migrations").`);
  process.exit(0);
}
const { code, output } = generateClient();
process.stdout.write(output);
process.exit(code);
