/**
 * `npm run sync -- (--stack NAME | --outputs FILE) [--database-url URL] [--dry-run] [--json]`:
 * writes the SIDs of a deployed stack into `VapiPhoneNumber` rows (docs/sync.md).
 * Exit codes: 0 clean, 1 unmatched or conflicting numbers or a failure, 2 usage error.
 */
import { type StackOutputs, StackOutputsError } from "../sync/contract";
import { readOutputsFile, readStackOutputs } from "../sync/read-outputs";
import { isClean, renderJson, renderSummary } from "../sync/report";
import { syncStackOutputs } from "../sync/sync";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";
import { type InjectedDatabase, withDatabase } from "./database";

const USAGE = `Usage: npm run sync -- (--stack NAME | --outputs FILE) [--database-url URL] [--dry-run] [--json]

Writes the Twilio SIDs of a deployed stack into VapiPhoneNumber rows, in one transaction
(docs/sync.md). For each active number: the row with its number SID, else its phone number, gets
both SIDs and isActive true; with no row and a vapiPhoneId in the YAML, the row (and its Account,
if missing) is created. Released numbers: both SIDs cleared, isActive false; rows are never
deleted. A second run changes nothing.

  --stack NAME         read \`pulumi stack output --json\` of this stack (PULUMI_BACKEND_URL, or
                       the local backend .local/pulumi-state; "local", npm start's stack, is
                       always on the local backend)
  --outputs FILE       read a file holding what \`pulumi stack output --json\` printed
                       (a relative path starts where you run npm)
  --database-url URL   PostgreSQL (default: DATABASE_URL; unset: the embedded database in
                       .local/db/, created and migrated on first use)
  --dry-run            report what would change; write nothing
  --json               print {created, updated, unchanged, deactivated, parked, unmatched, conflicts}
                       (and renumbered: the rows moved to a number bought again, when any)
  -h, --help           this text

Exit codes: 0 clean, 1 unmatched or conflicting numbers (listed) or a failure (nothing
written), 2 usage error.`;

/** The sync command; `injected.database` is an open database to use instead of opening one (tests). */
export function syncCommand(injected: InjectedDatabase = {}) {
  return defineCommand({
    script: "sync",
    usage: USAGE,
    options: {
      stack: { type: "string" },
      outputs: { type: "string" },
      "database-url": { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
    },
    async run({ values }, io) {
      const { stack, outputs: outputsFile } = values;
      if ((stack === undefined) === (outputsFile === undefined)) {
        throw new UsageError("give exactly one of --stack NAME or --outputs FILE");
      }
      if (stack === "" || outputsFile === "") {
        throw new UsageError("--stack and --outputs need a value");
      }

      let outputs: StackOutputs;
      const source = stack !== undefined ? `stack ${stack}` : `${outputsFile}`;
      try {
        outputs =
          stack !== undefined
            ? await readStackOutputs(stack)
            : await readOutputsFile(resolvePath(io, outputsFile as string));
      } catch (error) {
        if (error instanceof StackOutputsError) {
          io.err(`error: ${error.message}\nNothing was written.\n`);
          return EXIT.failure;
        }
        throw error;
      }

      try {
        return await withDatabase(io, values["database-url"], injected, async (db) => {
          const result = await syncStackOutputs(db, outputs, {
            dryRun: values["dry-run"] === true,
          });
          io.out(
            values.json
              ? `${renderJson(result.report)}\n`
              : `${renderSummary(result, source, db.location)}\n`,
          );
          return isClean(result.report) ? EXIT.ok : EXIT.failure;
        });
      } catch (error) {
        io.err(`error: ${explain(error)}\nNothing was written.\n`);
        return EXIT.failure;
      }
    },
  });
}

/** The reason first; a missing table means the database was never migrated. */
function explain(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  // Prisma wraps a database error in "Invalid `prisma.$executeRaw()` invocation: …"; the
  // database's own words (in meta) are the reason.
  type DatabaseWords = {
    code?: unknown;
    message?: unknown;
    originalCode?: unknown;
    originalMessage?: unknown;
  };
  const cause = (error as { meta?: { driverAdapterError?: { cause?: DatabaseWords } } }).meta
    ?.driverAdapterError?.cause;
  const words = cause?.originalMessage ?? cause?.message;
  if (typeof words === "string") {
    message = `the database refused the sync (${String(cause?.originalCode ?? cause?.code)}): ${words}`;
  }
  if (
    /relation "(vapi_phone_numbers|accounts)" does not exist|table .* does not exist/i.test(message)
  ) {
    return `the database has no sync tables: run \`npm run db:migrate\` against it first (${message.trim()})`;
  }
  return message.trim();
}

if (require.main === module) main(syncCommand());
