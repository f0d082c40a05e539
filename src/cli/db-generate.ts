/**
 * `npm run db:generate`: regenerates the committed Prisma client (src/db/generated/) from
 * src/db/schema.prisma (see src/db/generate-client.ts for why it is committed).
 */
import { generateClient } from "../db/generate-client";
import { defineCommand, main } from "./command";

const USAGE = `Usage: npm run db:generate

Regenerates the Prisma client (src/db/generated/, committed) from src/db/schema.prisma.
Run it after changing the schema, and add a migration (docs/sync.md, "Migrations").

Exit codes: 0 generated, 1 prisma generate failed (its output above), 2 usage error.`;

export const dbGenerateCommand = defineCommand({
  script: "db:generate",
  usage: USAGE,
  options: {},
  run(_args, io) {
    const { code, output } = generateClient();
    io.out(output);
    return code;
  },
});

if (require.main === module) main(dbGenerateCommand);
