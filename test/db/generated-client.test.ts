/**
 * The Prisma client is committed (a fresh clone runs with no generate step): it must be exactly
 * what `npm run db:generate` makes of the committed schema.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { generateClient, SCHEMA_PATH } from "../../src/db/generate-client";

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

it("the committed client in src/db/generated is what the schema generates (run npm run db:generate)", () => {
  const dir = mkdtempSync(join(tmpdir(), "sync-generate-"));
  try {
    cpSync(SCHEMA_PATH, join(dir, "schema.prisma"));
    const { code, output } = generateClient(join(dir, "schema.prisma"));
    expect(code, output).toBe(0);
    expect(filesUnder(join(SCHEMA_PATH, "..", "generated"))).toEqual(
      filesUnder(join(dir, "generated")),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
