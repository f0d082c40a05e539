/**
 * Regenerates the Prisma client in src/db/generated/ from src/db/schema.prisma (`npm run
 * db:generate`, src/cli/db-generate.ts). The client is committed (a fresh clone needs no generate step, no network
 * and no install script); test/db/generated-client.test.ts fails when it is out of date.
 *
 * Prisma 7 insists on locating its native schema engine even for `generate`, which does not run
 * it, and tries to download it when absent (impossible here). Pointing PRISMA_SCHEMA_ENGINE_BINARY
 * at an existing file that is not executable satisfies the check; were it ever run, it would fail
 * at once instead of doing something unexpected.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { repoRoot } from "../util/repo-root";

export const SCHEMA_PATH = resolve(__dirname, "schema.prisma");

/** Runs `prisma generate` for `schemaPath` (its generator writes next to it, to ./generated). */
export function generateClient(schemaPath: string = SCHEMA_PATH): { code: number; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      join(repoRoot, "node_modules", "prisma", "build", "index.js"),
      "generate",
      "--schema",
      schemaPath,
    ],
    {
      cwd: repoRoot,
      encoding: "utf8",
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schemaPath,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
      },
    },
  );
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
