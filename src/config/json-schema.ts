/**
 * Generates config/accounts.schema.json (for YAML completion in editors) from the zod schema.
 * Run with `npm run schema` (`--check` only compares, `--help` explains); a test fails when the
 * checked-in file is out of date.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { AccountsFileSchema } from "./schema";

const REPO_ROOT = join(__dirname, "..", "..");
export const ACCOUNTS_JSON_SCHEMA_PATH = join(REPO_ROOT, "config", "accounts.schema.json");

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
    [biome, "format", `--stdin-file-path=${relative(REPO_ROOT, ACCOUNTS_JSON_SCHEMA_PATH)}`],
    { cwd: REPO_ROOT, input: json, encoding: "utf8" },
  );
  return formatted.endsWith("\n") ? formatted : `${formatted}\n`;
}

const USAGE = `Usage: npm run schema [-- --check]

Regenerates config/accounts.schema.json (the JSON Schema editors use for completion) from the zod
schema in src/config/schema.ts.

Options:
  --check      write nothing; exit 1 when the checked-in file is out of date
  -h, --help   show this help

Exit codes: 0 done (or up to date), 1 out of date (--check), 2 usage error.
`;

/** Runs the command; returns the exit code. */
export function runSchemaCli(
  args: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void },
): number {
  const check = args.includes("--check");
  if (args.includes("--help") || args.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  const unknown = args.find((arg) => arg !== "--check");
  if (unknown !== undefined) {
    io.err(`error: unknown argument ${unknown}\n\n${USAGE}`);
    return 2;
  }
  const text = renderAccountsJsonSchema();
  const file = relative(process.cwd(), ACCOUNTS_JSON_SCHEMA_PATH);
  if (check) {
    const current = existsSync(ACCOUNTS_JSON_SCHEMA_PATH)
      ? readFileSync(ACCOUNTS_JSON_SCHEMA_PATH, "utf8")
      : "";
    if (current === text) {
      io.out(`${file} is up to date\n`);
      return 0;
    }
    io.err(`${file} is out of date: run npm run schema\n`);
    return 1;
  }
  writeFileSync(ACCOUNTS_JSON_SCHEMA_PATH, text);
  io.out(`wrote ${file}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = runSchemaCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
