/**
 * The start room (src/start/): the whole job on the embedded defaults (`npm start`) once its parts
 * are running: the plan, `pulumi up`, the sync, a table of what exists, and one test SMS per
 * account. Each part is the project's own module, called as a deployment calls it; this room only
 * puts them in order and reports (steps.ts the progress lines, report.ts the tables).
 *
 * Imports src/plan, src/sync, src/pulumi, src/db and src/util. Never the emulator or the sender:
 * the manager (src/cli/start.ts) starts the emulator, opens the database, creates the sender and
 * hands them in (`LocalJobOptions`), as a controller-runtime manager wires its reconcilers. Never
 * src/cli, scripts/, bench/ or test/.
 *
 * Order and why (the manager does 1 and 2):
 * 1. emulator first (state in .local/emulator-state.json, the example's adopted number pre-seeded);
 * 2. database before Pulumi, so a broken database stops the job before anything is deployed;
 * 3. the plan (a real `pulumi preview --json --refresh`) shows what `up` will do, as a pull
 *    request would; a plan that fails (invalid YAML) stops the job with nothing changed;
 * 4. `pulumi up`, then the sync of its outputs (one transaction);
 * 5. the table and the test messages read what the previous steps wrote; a sync that left a
 *    conflict or an unmatched number stops the job after the table (exit 1), before any SMS.
 */
import type { Database } from "../db";
import { buildPlan } from "../plan/model";
import { parsePreviewJson } from "../plan/preview-json";
import { renderText } from "../plan/render";
import { runPreview } from "../plan/run-preview";
import { LOCAL_STACK, LOCAL_STATE_DIR } from "../pulumi/backend";
import type { PulumiWorkspace } from "../pulumi/environment";
import { initStack, runPulumi } from "../pulumi/run";
import type { StackOutputs } from "../sync/contract";
import { readStackOutputs } from "../sync/read-outputs";
import { isClean, renderSummary } from "../sync/report";
import { rowsChanged, syncStackOutputs } from "../sync/sync";
import { repoRoot } from "../util/repo-root";
import {
  renderAccountsTable,
  renderOutcome,
  renderTestMessages,
  type SyncIssue,
  type TestMessage,
} from "./report";
import type { StepRunner } from "./steps";

/** The Twilio the job deploys to and sends through (npm start: its emulator). */
export interface LocalTwilio {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Forget the changing calls counted so far. */
  resetMutations(): void;
  /** Changing calls (POST/DELETE on numbers, services, attachments) since the last reset. */
  countMutations(): number;
}

/** What the job needs of the sender package (an `SmsSender` fits). */
export interface TestSender {
  sendSms(input: { accountId: string; to: string; body: string }): Promise<{
    sid: string;
    segments: number;
    encoding: string;
    estimatedCostUsd: number;
  }>;
  /** Forget cached Messaging Service routes: the sync calls it after it changed rows. */
  invalidate(): void;
}

export interface LocalJobOptions {
  /** Accounts YAML files, relative to the project root or absolute. */
  accounts: string[];
  twilio: LocalTwilio;
  /** The open database the sync writes and the sender reads. */
  database: Database;
  sender: TestSender;
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
  const { steps, out, twilio, database, sender } = options;
  // Credentials and the emulator's address go through the environment only: stack config is
  // stored in the state, and the port may differ from run to run.
  const ws: PulumiWorkspace = {
    projectDir: repoRoot,
    stateDir: LOCAL_STATE_DIR,
    env: {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_BASE_URL: twilio.baseUrl,
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
    if (plan.errors.length > 0) {
      throw new JobStopped(`${plan.errors.join("\n")}\nthe preview failed; nothing was changed`);
    }
    out(renderText(plan));
  });

  twilio.resetMutations();
  await steps.run("pulumi up", async () => {
    const up = await runPulumi(
      ws,
      ["up", "--yes", "--skip-preview", "--refresh", "--stack", LOCAL_STACK],
      { echo: true, check: false },
    );
    if (up.code !== 0) throw new JobStopped("pulumi up failed (see above)");
  });
  const twilioMutations = twilio.countMutations();

  const outputs = await steps.run("stack outputs", () => readStackOutputs(LOCAL_STACK));
  const synced = await steps.run("sync into VapiPhoneNumber rows", async () => {
    const result = await syncStackOutputs(database, outputs, {
      onRowsChanged: () => sender.invalidate(),
    });
    out(renderSummary(result, `stack ${LOCAL_STACK}`, database.location));
    return result;
  });

  await steps.run("accounts table", async () => {
    out(await accountsTable(database, outputs, synced.report.conflicts));
    out(usA2pLines(outputs));
  });
  if (!isClean(synced.report)) {
    // The sync wrote everything else; these numbers need a person (their rows were left alone), so
    // the run does not end as a success and sends nothing through rows it could not trust.
    const { conflicts, unmatched } = synced.report;
    throw new JobStopped(
      `the sync left ${conflicts.length} conflict(s) and ${unmatched.length} unmatched number(s) ` +
        "(named in the sync summary and the table above; nothing was written for them); no test SMS was sent",
    );
  }

  if (options.send) {
    await steps.run("test SMS through the sender", async () => {
      out(await sendTestMessages(sender, outputs, options.testRecipient));
    });
  }

  out(renderOutcome({ twilioMutations, rowsChanged: rowsChanged(synced) }));
}

/** Each declared US A2P 10DLC registration, as the last `up` left it (docs/a2p.md). */
function usA2pLines(outputs: StackOutputs): string {
  const lines = outputs.accounts.flatMap((a) =>
    a.usA2p
      ? [`  ${a.name}: ${a.usA2p.next} (campaign ${a.usA2p.campaignStatus ?? "none yet"})`]
      : [],
  );
  return lines.length > 0 ? `US A2P 10DLC registrations:\n${lines.join("\n")}\n` : "";
}

async function accountsTable(
  db: Database,
  outputs: StackOutputs,
  conflicts: SyncIssue[],
): Promise<string> {
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
  return renderAccountsTable(outputs, rows, conflicts);
}

async function sendTestMessages(
  sender: TestSender,
  outputs: StackOutputs,
  to: string,
): Promise<string> {
  const messages: TestMessage[] = [];
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
  const table = renderTestMessages(messages, to);
  if (messages.some((m) => m.error)) {
    throw new JobStopped(`${table}\nsome test messages failed (see the note column)`);
  }
  return table;
}
