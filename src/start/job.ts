/**
 * The whole job on the embedded defaults (`npm start`): the local Twilio emulator, the embedded
 * database, the plan, `pulumi up`, the sync, a table of what exists, and one test SMS per account
 * through the sender package. Each part is the project's own module, called as a deployment
 * calls it; this file only puts them in order and reports.
 *
 * Order and why:
 * 1. emulator first (state in .local/emulator-state.json, the example's adopted number pre-seeded);
 * 2. database before Pulumi, so a broken database stops the job before anything is deployed;
 * 3. the plan (a real `pulumi preview --json --refresh`) shows what `up` will do, as a pull
 *    request would; a plan that fails (invalid YAML) stops the job with nothing changed;
 * 4. `pulumi up`, then the sync of its outputs (one transaction);
 * 5. the table and the test messages read what the previous steps wrote.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { initStack, type PulumiWorkspace, repoRoot, runPulumi } from "../../scripts/lib/pulumi";
import { type Database, openDatabase } from "../db";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../emulator/auth";
import { type RunningEmulator, startEmulator } from "../emulator/server";
import { buildPlan, EXIT, exitCodeOf } from "../plan/model";
import { parsePreviewJson } from "../plan/preview-json";
import { renderText } from "../plan/render";
import { LOCAL_STACK, runPreview } from "../plan/run-preview";
import { createSmsSender } from "../sender";
import { parseStackOutputs, type StackOutputs } from "../sync/contract";
import { renderSummary } from "../sync/report";
import { syncStackOutputs } from "../sync/sync";
import { renderAccountsTable, renderOutcome, renderTestMessages, type TestMessage } from "./report";
import type { StepRunner } from "./steps";

/** The number config/accounts.example.yaml adopts: it exists in the emulator's account from the start. */
export const EXAMPLE_ADOPTED_NUMBER = {
  sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4",
  phoneNumber: "+16045550142",
  friendlyName: "Kitsilano front desk (bought before this project)",
};

export interface LocalJobOptions {
  /** Accounts YAML files, relative to the project root or absolute. */
  accounts: string[];
  /** Emulator port; 0 picks a free one. */
  port: number;
  /** PostgreSQL URL; undefined: the embedded database in .local/db/. */
  databaseUrl?: string;
  /** Where the test messages go (E.164). */
  testRecipient: string;
  /** Send the test messages (default true). */
  send: boolean;
  steps: StepRunner;
  /** Results (tables, plan): stdout in npm start. */
  out: (text: string) => void;
}

/** Thrown for a stop with a reason a person can act on (printed without a stack trace). */
export class JobStopped extends Error {}

export async function runLocalJob(options: LocalJobOptions): Promise<void> {
  const { steps, out } = options;
  const localDir = join(repoRoot, ".local");
  mkdirSync(localDir, { recursive: true });

  const emulator = await steps.run(
    "Twilio emulator (state in .local/emulator-state.json)",
    async () => {
      const started = await startLocalEmulator(options.port, localDir);
      steps.note(`listening on ${started.baseUrl}`);
      return started;
    },
  );
  let db: Database | undefined;
  try {
    db = await steps.run(
      options.databaseUrl ? "database (PostgreSQL)" : "embedded database (.local/db/)",
      () =>
        openDatabase({
          ...(options.databaseUrl ? { databaseUrl: options.databaseUrl, migrate: true } : {}),
          onProgress: steps.note,
        }),
    );
    const database = db;
    // Credentials and the emulator's address go through the environment only: stack config is
    // stored in the state, and the port may differ from run to run.
    const ws: PulumiWorkspace = {
      projectDir: repoRoot,
      stateDir: join(localDir, "pulumi-state"),
      env: {
        TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN,
        TWILIO_BASE_URL: emulator.baseUrl,
      },
    };
    await steps.run(`Pulumi stack '${LOCAL_STACK}' (the pinned CLI is built on first use)`, () =>
      initStack(ws, LOCAL_STACK, { plain: { accountFiles: JSON.stringify(options.accounts) } }),
    );

    await steps.run(`plan of ${options.accounts.join(", ")}`, async () => {
      const run = await runPreview({
        stack: LOCAL_STACK,
        refresh: true,
        env: ws.env,
        log: steps.note,
      });
      if (run.stdout.trim() === "") {
        throw new JobStopped(
          `the preview failed: ${run.stderr.trim() || `pulumi exited with ${run.code}`}`,
        );
      }
      const plan = buildPlan(parsePreviewJson(run.stdout, "the preview"), LOCAL_STACK, repoRoot);
      if (exitCodeOf(plan) === EXIT.error) {
        throw new JobStopped(`${plan.errors.join("\n")}\nthe preview failed; nothing was changed`);
      }
      out(renderText(plan));
    });

    emulator.requestLog.clear();
    await steps.run("pulumi up", async () => {
      const up = await runPulumi(
        ws,
        ["up", "--yes", "--skip-preview", "--refresh", "--stack", LOCAL_STACK],
        { echo: true, check: false },
      );
      if (up.code !== 0) throw new JobStopped("pulumi up failed (see above)");
    });
    const twilioMutations = emulator.requestLog.countMutations();

    const outputs = await steps.run("stack outputs", async () => {
      const result = await runPulumi(ws, ["stack", "output", "--json", "--stack", LOCAL_STACK]);
      return parseStackOutputs(result.stdout, `stack ${LOCAL_STACK}'s outputs`);
    });
    const synced = await steps.run("sync into VapiPhoneNumber rows", async () => {
      const result = await syncStackOutputs(database, outputs);
      out(renderSummary(result, `stack ${LOCAL_STACK}`, database.location));
      return result;
    });

    await steps.run("accounts table", async () => {
      out(await accountsTable(database, outputs));
    });

    if (options.send) {
      await steps.run("test SMS through the sender", async () => {
        out(await sendTestMessages(database, emulator, outputs, options.testRecipient));
      });
    }

    const { created, updated, deactivated } = synced.report;
    out(renderOutcome({ twilioMutations, rowsChanged: created + updated + deactivated }));
  } finally {
    await db?.close();
    await emulator.close();
  }
}

async function startLocalEmulator(port: number, localDir: string): Promise<RunningEmulator> {
  try {
    return await startEmulator({
      port,
      stateFile: join(localDir, "emulator-state.json"),
      seedPhoneNumbers: [EXAMPLE_ADOPTED_NUMBER],
    });
  } catch (error) {
    throw new JobStopped(
      `could not start the emulator on port ${port} (${(error as Error).message}); try --port <another>`,
    );
  }
}

async function accountsTable(db: Database, outputs: StackOutputs): Promise<string> {
  const phones = outputs.accounts.flatMap((a) =>
    a.numbers.flatMap((n) => (n.phoneNumber ? [n.phoneNumber] : [])),
  );
  const rows = await db.prisma.vapiPhoneNumber.findMany({
    where: { phoneNumber: { in: phones } },
    select: {
      phoneNumber: true,
      vapiPhoneId: true,
      isActive: true,
      twilioPhoneNumberSid: true,
      twilioMessagingServiceSid: true,
    },
  });
  return renderAccountsTable(outputs, rows);
}

async function sendTestMessages(
  db: Database,
  emulator: RunningEmulator,
  outputs: StackOutputs,
  to: string,
): Promise<string> {
  const sender = createSmsSender({
    prisma: db.prisma,
    twilio: {
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      baseUrl: emulator.baseUrl,
    },
  });
  const messages: TestMessage[] = [];
  try {
    for (const account of outputs.accounts) {
      if (account.released) {
        messages.push({ accountName: account.name, skipped: "account released" });
        continue;
      }
      try {
        const sent = await sender.sendSms({
          accountId: account.accountId,
          to,
          body: `Test from npm start: ${account.name} sends through its Messaging Service.`,
        });
        messages.push({
          accountName: account.name,
          sid: sent.sid,
          segments: sent.segments,
          encoding: sent.encoding,
          estimatedCostUsd: sent.estimatedCostUsd,
        });
      } catch (error) {
        messages.push({ accountName: account.name, error: (error as Error).message });
      }
    }
  } finally {
    await sender.close();
  }
  const table = renderTestMessages(messages, to);
  if (messages.some((m) => m.error)) {
    throw new JobStopped(`${table}\nsome test messages failed (see the note column)`);
  }
  return table;
}
