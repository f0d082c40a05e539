/**
 * `npm run adopt -- --out FILE [--database-url URL] [--force]`: writes accounts YAML adopting the
 * numbers of existing rows that have a Twilio number SID but no Messaging Service SID
 * (src/sync/adopt.ts). Reads the database only; never calls Twilio.
 * Exit codes: 0 written (or nothing to adopt), 1 refused or failed (nothing written), 2 usage error.
 */
import { existsSync, writeFileSync } from "node:fs";
import { ConfigError } from "../config/errors";
import { planAdoption, readLegacyRows } from "../sync/adopt";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";
import { type InjectedDatabase, withDatabase } from "./database";

const USAGE = `Usage: npm run adopt -- --out FILE [--database-url URL] [--force]

Brings existing accounts under code: reads the VapiPhoneNumber rows that have a Twilio number SID
but no Messaging Service SID and writes accounts YAML that adopts those numbers by SID (with their
vapiPhoneId), one account per Account row. The YAML is checked by the same loader as the Pulumi
program before it is written. Reads the database only; calls no Twilio API.
Then: add FILE to the stack's accountFiles, \`pulumi preview\` (adoptions only), \`pulumi up\`,
\`npm run sync\` (docs/sync.md).

  --out FILE           the accounts YAML to write (a relative path starts where you run npm)
  --database-url URL   PostgreSQL (default: DATABASE_URL; unset: the embedded database in .local/db/)
  --force              overwrite FILE if it exists
  -h, --help           this text

Exit codes: 0 written (or nothing to adopt), 1 refused or failed (nothing written), 2 usage error.`;

/** The adopt command; `injected.database` is an open database to use instead of opening one (tests). */
export function adoptCommand(injected: InjectedDatabase = {}) {
  return defineCommand({
    script: "adopt",
    usage: USAGE,
    options: {
      out: { type: "string" },
      "database-url": { type: "string" },
      force: { type: "boolean" },
    },
    async run({ values }, io) {
      const out = values.out;
      if (!out) throw new UsageError("--out FILE is required");
      const target = resolvePath(io, out);
      if (existsSync(target) && !values.force) {
        io.err(`error: ${out} exists; pass --force to overwrite it\nNothing was written.\n`);
        return EXIT.failure;
      }

      try {
        return await withDatabase(io, values["database-url"], injected, async (db) => {
          const rows = await readLegacyRows(db);
          const plan = planAdoption(rows, out, db.location);
          for (const row of plan.skippedInactive) {
            io.err(
              `skipped inactive row: account ${row.accountId}, ${row.phoneNumber} (${row.twilioPhoneNumberSid}); set isActive to adopt it\n`,
            );
          }
          const accounts = plan.config.accounts;
          if (accounts.length === 0) {
            io.out(
              `Nothing to adopt: no active row in ${db.location} has a number SID without a Messaging Service SID. ${out} not written.\n`,
            );
            return EXIT.ok;
          }
          writeFileSync(target, plan.yaml);
          const numbers = accounts.reduce((sum, a) => sum + a.numbers.length, 0);
          io.out(
            `Wrote ${out}: ${accounts.length} account(s) adopting ${numbers} number(s) from ${db.location}.\n` +
              "Next: add it to the stack's accountFiles, `pulumi preview` (adoptions only), `pulumi up`, `npm run sync`.\n",
          );
          return EXIT.ok;
        });
      } catch (error) {
        const reason =
          error instanceof ConfigError
            ? `the database holds rows the accounts YAML cannot express:\n${error.message}`
            : (error as Error).message;
        io.err(`error: ${reason}\nNothing was written.\n`);
        return EXIT.failure;
      }
    },
  });
}

if (require.main === module) main(adoptCommand());
