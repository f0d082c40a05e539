/**
 * `npm start`: the whole job on the embedded defaults, for a newcomer with no Twilio account and
 * no database server. This entry point is the manager: it starts the emulator, opens the database
 * and creates the sender, then hands them to the job (src/start/job.ts has the steps and why they
 * come in that order), and closes them when it ends.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Database, openDatabase } from "../db";
import { type RunningEmulator, startEmulator } from "../emulator/server";
import { programPath } from "../plan/run-preview";
import { createSmsSender, type SmsSender } from "../sender";
import { JobStopped, type LocalTwilio, runLocalJob } from "../start/job";
import { createStepRunner, formatSeconds, type StepRunner } from "../start/steps";
import { repoRoot } from "../util/repo-root";
import { isE164 } from "../validation/phone-numbers";
import { defineCommand, EXIT, main, UsageError } from "./command";
import { LOCAL_CREDENTIALS } from "./local-twilio";

const DEFAULT_TEST_RECIPIENT = "+15145550199";
const DEFAULT_ACCOUNTS = "config/accounts.example.yaml";

/** The number config/accounts.example.yaml adopts: it exists in the emulator's account from the start. */
export const EXAMPLE_ADOPTED_NUMBER = {
  sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4",
  phoneNumber: "+16045550142",
  friendlyName: "Kitsilano front desk (bought before this project)",
};

const USAGE = `Usage: npm start [-- options]

The whole job against a local Twilio emulator and an embedded database, with the real Pulumi CLI:
starts the emulator, opens the embedded database (.local/db/), prints the plan (pulumi preview),
runs pulumi up on the local stack "local", syncs the stack outputs into VapiPhoneNumber rows,
prints the accounts with their numbers, Messaging Service SIDs and rows, and sends one test SMS per
account through the sender package. Running it again changes nothing, and says so.

Options:
  --accounts <file>      accounts YAML to deploy (repeatable; default ${DEFAULT_ACCOUNTS});
                         relative to where you run npm
  --port <n>             emulator port (default 4010)
  --database-url <url>   a PostgreSQL database instead of the embedded one (DATABASE_URL is not
                         read here, so a demo never writes into a database by accident)
  --to <e164>            recipient of the test messages (default ${DEFAULT_TEST_RECIPIENT})
  --no-send              skip the test messages
  --fresh                forget the local emulator state, stack and database first (start over)
  -h, --help             show this help

Progress goes to stderr, results (plan, tables) to stdout. State lives in .local/ (git-ignored).
Against real Twilio use \`npm run pulumi -- up\` with your own stack (see README).
Exit codes: 0 done, 1 a step failed (its reason first) or the sync left a conflict or an
unmatched number (the table names it; no test SMS is sent then), 2 usage.`;

export const startCommand = defineCommand({
  script: "start",
  prefix: "npm start",
  usage: USAGE,
  options: {
    accounts: { type: "string", multiple: true },
    port: { type: "string", default: "4010" },
    "database-url": { type: "string" },
    to: { type: "string", default: DEFAULT_TEST_RECIPIENT },
    "no-send": { type: "boolean", default: false },
    fresh: { type: "boolean", default: false },
  },
  async run({ values }, io) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port expects a TCP port, got '${values.port}'`);
    }
    if (!isE164(values.to))
      throw new UsageError(`--to expects an E.164 number, got '${values.to}'`);
    if (values.fresh) rmSync(join(repoRoot, ".local"), { recursive: true, force: true });
    if (!values["database-url"] && io.env.DATABASE_URL) {
      // The demo writes rows: only into the database named on its command line.
      io.err("[start] DATABASE_URL is set but not used: pass --database-url to use it\n");
      delete io.env.DATABASE_URL;
    }

    const steps = createStepRunner((line) => io.err(`${line}\n`));
    const started = performance.now();
    try {
      await withLocalParts(port, values["database-url"], steps, (parts) =>
        runLocalJob({
          ...parts,
          accounts: values.accounts?.map((file) => programPath(file, io.cwd)) ?? [DEFAULT_ACCOUNTS],
          testRecipient: values.to,
          send: !values["no-send"],
          steps,
          out: (text) => io.out(`${text.trimEnd()}\n\n`),
        }),
      );
    } catch (error) {
      if (!(error instanceof JobStopped)) throw error;
      io.err(`npm start: ${error.message}\n`);
      return EXIT.failure;
    }
    io.err(`[start] done in ${formatSeconds(performance.now() - started)}\n`);
    return EXIT.ok;
  },
});

interface LocalParts {
  twilio: LocalTwilio;
  database: Database;
  sender: SmsSender;
}

/**
 * Starts the emulator and opens the database (steps 1 and 2), creates the sender on them, runs
 * `work` with all three, and closes them whatever happens.
 */
async function withLocalParts(
  port: number,
  databaseUrl: string | undefined,
  steps: StepRunner,
  work: (parts: LocalParts) => Promise<void>,
): Promise<void> {
  const localDir = join(repoRoot, ".local");
  mkdirSync(localDir, { recursive: true });
  const emulator = await steps.run(
    "Twilio emulator (state in .local/emulator-state.json)",
    async () => {
      const running = await startLocalEmulator(port, localDir);
      steps.note(`listening on ${running.baseUrl}`);
      return running;
    },
  );
  let database: Database | undefined;
  let sender: SmsSender | undefined;
  try {
    database = await steps.run(
      databaseUrl ? "database (PostgreSQL)" : "embedded database (.local/db/)",
      () =>
        openDatabase({
          ...(databaseUrl ? { databaseUrl, migrate: true } : {}),
          onProgress: steps.note,
        }),
    );
    const twilio: LocalTwilio = {
      ...LOCAL_CREDENTIALS,
      baseUrl: emulator.baseUrl,
      resetMutations: () => emulator.requestLog.clear(),
      countMutations: () => emulator.requestLog.countMutations(),
    };
    sender = createSmsSender({
      prisma: database.prisma,
      twilio: { ...LOCAL_CREDENTIALS, baseUrl: emulator.baseUrl },
    });
    await work({ twilio, database, sender });
  } finally {
    await sender?.close();
    await database?.close();
    await emulator.close();
  }
}

async function startLocalEmulator(port: number, localDir: string): Promise<RunningEmulator> {
  try {
    return await startEmulator({
      port,
      stateFile: join(localDir, "emulator-state.json"),
      seedPhoneNumbers: [EXAMPLE_ADOPTED_NUMBER],
      // US A2P 10DLC reviews take days on Twilio; here each is decided right after it is asked
      // for, so one `up` carries the example's US registration to a verified campaign.
      autoReview: { afterMs: 1, outcome: "approve" },
    });
  } catch (error) {
    throw new JobStopped(
      `could not start the emulator on port ${port} (${(error as Error).message}); try --port <another>`,
    );
  }
}

if (require.main === module) main(startCommand);
