/**
 * `npm run sync -- (--stack NAME | --outputs FILE) [--database-url URL] [--dry-run] [--json]`:
 * writes the SIDs of a deployed stack into `VapiPhoneNumber` rows (docs/sync.md).
 * Exit codes: 0 clean, 1 unmatched or conflicting numbers or a failure, 2 usage error.
 */
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "../db";
import { type StackOutputs, StackOutputsError } from "../sync/contract";
import { readOutputsFile, readStackOutputs } from "../sync/read-outputs";
import { isClean, renderJson, renderSummary } from "../sync/report";
import { syncStackOutputs } from "../sync/sync";
import { type CliIo, processIo, runAsMain } from "./io";

const USAGE = `Usage: npm run sync -- (--stack NAME | --outputs FILE) [--database-url URL] [--dry-run] [--json]

Writes the Twilio SIDs of a deployed stack into VapiPhoneNumber rows, in one transaction
(docs/sync.md). For each active number: the row with its number SID, else its phone number, gets
both SIDs and isActive true; with no row and a vapiPhoneId in the YAML, the row (and its Account,
if missing) is created. Released numbers: both SIDs cleared, isActive false; rows are never
deleted. A second run changes nothing.

  --stack NAME         read \`pulumi stack output --json\` of this stack (PULUMI_BACKEND_URL, or
                       the local backend .local/pulumi-state)
  --outputs FILE       read a file holding what \`pulumi stack output --json\` printed
  --database-url URL   PostgreSQL (default: DATABASE_URL; unset: the embedded database in
                       .local/db/, created and migrated on first use)
  --dry-run            report what would change; write nothing
  --json               print {created, updated, unchanged, deactivated, unmatched, conflicts}
  -h, --help           this text

Exit codes: 0 clean, 1 unmatched or conflicting numbers (listed) or a failure (nothing
written), 2 usage error.`;

interface SyncArgs {
  stack?: string;
  outputs?: string;
  databaseUrl?: string;
  dryRun: boolean;
  json: boolean;
}

function parse(args: readonly string[]): SyncArgs | "help" | string {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        stack: { type: "string" },
        outputs: { type: "string" },
        "database-url": { type: "string" },
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return "help";
  const stack = values.stack as string | undefined;
  const outputs = values.outputs as string | undefined;
  if ((stack === undefined) === (outputs === undefined)) {
    return "give exactly one of --stack NAME or --outputs FILE";
  }
  if (stack === "" || outputs === "") return "--stack and --outputs need a value";
  return {
    stack,
    outputs,
    databaseUrl: values["database-url"] as string | undefined,
    dryRun: values["dry-run"] === true,
    json: values.json === true,
  };
}

/** Runs the command; returns the exit code. */
export async function runSyncCli(
  args: readonly string[],
  io: CliIo,
  /** An open database to use instead of opening one (tests of the embedded database). */
  injected: { database?: Database } = {},
): Promise<number> {
  const parsed = parse(args);
  if (parsed === "help") {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (typeof parsed === "string") {
    io.err(`error: ${parsed}\n\n${USAGE}\n`);
    return 2;
  }

  let outputs: StackOutputs;
  const source = parsed.stack !== undefined ? `stack ${parsed.stack}` : `${parsed.outputs}`;
  try {
    outputs =
      parsed.stack !== undefined
        ? await readStackOutputs(parsed.stack)
        : await readOutputsFile(parsed.outputs as string);
  } catch (error) {
    if (error instanceof StackOutputsError) {
      io.err(`error: ${error.message}\nNothing was written.\n`);
      return 1;
    }
    throw error;
  }

  let db: Database | undefined;
  try {
    db =
      injected.database ??
      (await openDatabase({
        databaseUrl: parsed.databaseUrl,
        onProgress: (message) => io.err(`${message}\n`),
      }));
    const result = await syncStackOutputs(db, outputs, { dryRun: parsed.dryRun });
    io.out(
      parsed.json
        ? `${renderJson(result.report)}\n`
        : `${renderSummary(result, source, db.location)}\n`,
    );
    return isClean(result.report) ? 0 : 1;
  } catch (error) {
    io.err(`error: ${explain(error)}\nNothing was written.\n`);
    return 1;
  } finally {
    if (db !== injected.database) await db?.close();
  }
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

if (require.main === module) runAsMain("sync", (args) => runSyncCli(args, processIo));
