/**
 * Generates config/accounts.schema.json (for YAML completion in editors) from the zod schema.
 * The command is `npm run schema` (src/cli/schema.ts: `--check` only compares, `--help` explains);
 * a test fails when the checked-in file is out of date.
 */
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { z } from "zod";
import { repoRoot } from "../util/repo-root";
import { AccountsFileSchema } from "./schema";

export const ACCOUNTS_JSON_SCHEMA_PATH = join(repoRoot, "config", "accounts.schema.json");

/** The JSON Schema (draft-07, which yaml-language-server and most editors understand). */
export function generateAccountsJsonSchema(): Record<string, unknown> {
  // io "input": describe what may be written in the file (defaults optional, areaCode 514 or "514").
  return z.toJSONSchema(AccountsFileSchema, { io: "input", target: "draft-07" }) as Record<
    string,
    unknown
  >;
}

/**
 * The file's exact text: JSON passed through the project's formatter (biome), so the generated
 * file is deterministic and also passes `npm run lint` unchanged.
 */
export function renderAccountsJsonSchema(): string {
  const json = `${JSON.stringify(generateAccountsJsonSchema(), null, 2)}\n`;
  const biome = require.resolve("@biomejs/biome/bin/biome");
  const formatted = execFileSync(
    process.execPath,
    [biome, "format", `--stdin-file-path=${relative(repoRoot, ACCOUNTS_JSON_SCHEMA_PATH)}`],
    { cwd: repoRoot, input: json, encoding: "utf8" },
  );
  return formatted.endsWith("\n") ? formatted : `${formatted}\n`;
}
