/**
 * `npm run schema [-- --check]`: regenerates config/accounts.schema.json from the zod schema
 * (src/config/json-schema.ts), or only checks that the checked-in file is up to date.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { ACCOUNTS_JSON_SCHEMA_PATH, renderAccountsJsonSchema } from "../config/json-schema";
import { defineCommand, EXIT, main } from "./command";

const USAGE = `Usage: npm run schema [-- --check]

Regenerates config/accounts.schema.json (the JSON Schema editors use for completion) from the zod
schema in src/config/schema.ts.

Options:
  --check      write nothing; exit 1 when the checked-in file is out of date
  -h, --help   show this help

Exit codes: 0 done (or up to date), 1 out of date (--check), 2 usage error.
`;

export const schemaCommand = defineCommand({
  script: "schema",
  usage: USAGE,
  options: { check: { type: "boolean" } },
  run({ values }, io) {
    const text = renderAccountsJsonSchema();
    const file = relative(io.cwd, ACCOUNTS_JSON_SCHEMA_PATH);
    if (values.check) {
      const current = existsSync(ACCOUNTS_JSON_SCHEMA_PATH)
        ? readFileSync(ACCOUNTS_JSON_SCHEMA_PATH, "utf8")
        : "";
      if (current === text) {
        io.out(`${file} is up to date\n`);
        return EXIT.ok;
      }
      io.err(`${file} is out of date: run npm run schema\n`);
      return EXIT.failure;
    }
    writeFileSync(ACCOUNTS_JSON_SCHEMA_PATH, text);
    io.out(`wrote ${file}\n`);
    return EXIT.ok;
  },
});

if (require.main === module) main(schemaCommand);
