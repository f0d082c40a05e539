/**
 * `npm start`: the whole job on the embedded defaults, for a newcomer with no Twilio account and
 * no database server (src/start/job.ts has the steps and why they come in that order).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { JobStopped, runLocalJob } from "../src/start/job";
import { createStepRunner, formatSeconds } from "../src/start/steps";
import { isE164 } from "../src/validation/phone-numbers";
import { repoRoot } from "./lib/pulumi";

const DEFAULT_TEST_RECIPIENT = "+15145550199";

const HELP = `Usage: npm start [-- options]

The whole job against a local Twilio emulator and an embedded database, with the real Pulumi CLI:
starts the emulator, opens the embedded database (.local/db/), prints the plan (pulumi preview),
runs pulumi up on the local stack "local", syncs the stack outputs into VapiPhoneNumber rows,
prints the accounts with their numbers, Messaging Service SIDs and rows, and sends one test SMS per
account through the sender package. Running it again changes nothing, and says so.

Options:
  --accounts <file>      accounts YAML to deploy (repeatable; default config/accounts.example.yaml)
  --port <n>             emulator port (default 4010)
  --database-url <url>   a PostgreSQL database instead of the embedded one (DATABASE_URL is not
                         read here, so a demo never writes into a database by accident)
  --to <e164>            recipient of the test messages (default ${DEFAULT_TEST_RECIPIENT})
  --no-send              skip the test messages
  --fresh                forget the local emulator state, stack and database first (start over)
  -h, --help             show this help

Progress goes to stderr, results (plan, tables) to stdout. State lives in .local/ (git-ignored).
Against real Twilio use \`npm run pulumi -- up\` with your own stack (see README).
Exit codes: 0 done, 1 a step failed (its reason first), 2 usage.`;

function usage(message: string): number {
  process.stderr.write(`npm start: ${message}\n\n${HELP}\n`);
  return 2;
}

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  function parse() {
    return parseArgs({
      options: {
        accounts: { type: "string", multiple: true },
        port: { type: "string", default: "4010" },
        "database-url": { type: "string" },
        to: { type: "string", default: DEFAULT_TEST_RECIPIENT },
        "no-send": { type: "boolean", default: false },
        fresh: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
  }
  try {
    values = parse().values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return usage(`--port expects a TCP port, got '${values.port}'`);
  }
  if (!isE164(values.to)) return usage(`--to expects an E.164 number, got '${values.to}'`);
  if (values.fresh) rmSync(join(repoRoot, ".local"), { recursive: true, force: true });
  if (!values["database-url"] && process.env.DATABASE_URL) {
    // The demo writes rows: only into the database named on its command line.
    process.stderr.write(
      "[start] DATABASE_URL is set but not used: pass --database-url to use it\n",
    );
    delete process.env.DATABASE_URL;
  }

  const steps = createStepRunner((line) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  try {
    await runLocalJob({
      accounts: values.accounts ?? ["config/accounts.example.yaml"],
      port,
      databaseUrl: values["database-url"],
      testRecipient: values.to,
      send: !values["no-send"],
      steps,
      out: (text) => process.stdout.write(`${text.trimEnd()}\n\n`),
    });
  } catch (error) {
    if (!(error instanceof JobStopped)) throw error;
    process.stderr.write(`npm start: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`[start] done in ${formatSeconds(performance.now() - started)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  },
);
