/**
 * A bought number that vanished from Twilio (released in the console) while the YAML still
 * declares it (issue 16, item 2). Buying another one changes the customer's number, so it is not
 * an ordinary purchase: the plan names the lost number, exits 3 and binds the change into the
 * releases digest; the saved plan's apply refuses it without the approval and, with it, buys a new
 * number and attaches it to the account's service. The real CLI, plan and apply commands against
 * the emulator; then the real post-deploy sync (`npm run sync`, a real PostgreSQL) moves the
 * number's row to the new number (the output's `replacesSid`), with no conflict.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { runPlanCli, stackEnvironment } from "../plan/plan-cli";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { previewThenUp } from "../support/preview-then-up";
import { runCommand } from "../support/run-command";

const TSX = require.resolve("tsx/cli");
// With a vapiPhoneId: the sync made its row, which the rebuy must move (not a conflict).
const account = { ...(THREE_ACCOUNTS[0] ?? { id: "", name: "" }), vapiPhoneId: "vapi-main" };

let stack: AccountsStack;
let dir: string;
let scratch: ScratchDatabase;
let db: Database;

beforeAll(async () => {
  stack = await createAccountsStack();
  dir = mkdtempSync(join(tmpdir(), "gone-number-"));
  scratch = await createScratchDatabase("gone_number_sync");
  await migrateDatabase({ databaseUrl: scratch.url });
  db = await openDatabase({ databaseUrl: scratch.url });
});

afterAll(async () => {
  await stack?.dispose();
  await db?.close();
  await scratch?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface NumberOut {
  sid: string;
  phoneNumber: string;
  released: boolean;
  replacesSid?: string;
}

async function output(): Promise<{ messagingServiceSid: string; number: NumberOut }> {
  const [out] = (await stack.outputs()).accounts as Array<{
    messagingServiceSid: string;
    numbers: NumberOut[];
  }>;
  return {
    messagingServiceSid: out?.messagingServiceSid ?? "",
    number: out?.numbers[0] as NumberOut,
  };
}

/** `npm run sync -- --stack … --database-url …`: a real process reading the stack outputs. */
function sync(args: string[] = []) {
  return runCommand(
    process.execPath,
    [TSX, "src/cli/sync.ts", "--stack", stack.stack, "--database-url", scratch.url, ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...stackEnvironment(stack), DATABASE_URL: "", NO_COLOR: "1" },
    },
  );
}

function row() {
  return db.prisma.vapiPhoneNumber.findUniqueOrThrow({
    where: { vapiPhoneId: "vapi-main" },
    select: {
      id: true,
      accountId: true,
      phoneNumber: true,
      twilioPhoneNumberSid: true,
      twilioMessagingServiceSid: true,
      isActive: true,
    },
  });
}

function apply(args: string[]) {
  return runCommand(process.execPath, [TSX, "src/cli/apply.ts", "--stack", stack.stack, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...stackEnvironment(stack), NO_COLOR: "1" },
  });
}

describe("a bought number gone from Twilio, still declared active", () => {
  it("is planned as a release (named, exit 3, in the digest); apply refuses it unapproved and buys a new number approved; the sync moves its row to the new number", async () => {
    stack.writeAccounts(accountsYaml([account]));
    await previewThenUp(stack);
    const before = await output();
    expect(before.number).not.toHaveProperty("replacesSid");
    const created = await sync(["--json"]);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ created: 1, conflicts: [] });
    const { id: rowId } = await row();
    // Released in the Twilio console, outside this stack.
    await stack.twilio.incomingPhoneNumbers(before.number.sid).remove();

    const planned = await runPlanCli(
      ["--stack", stack.stack, "--format", "text", "--save-plan", dir],
      stackEnvironment(stack),
    );
    expect(planned.code, planned.stdout + planned.stderr).toBe(3);
    const spaced = before.number.phoneNumber.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "+1 $1 $2 $3");
    expect(planned.stdout).toContain(
      `!!!   ${account.name} (${account.id}): ${spaced} (number main, ${before.number.sid}) is no longer in Twilio; up buys a new number, the customer's number changes`,
    );
    expect(planned.stdout).toContain(
      `REPLACE number main: ${spaced} (${before.number.sid}) is no longer in Twilio; up buys a new number in area code 514, the customer's number changes`,
    );
    const digest = planned.stdout.match(/releases digest: (sha256:[0-9a-f]{64})/)?.[1] ?? "";
    expect(digest).not.toBe("");

    const bought = () =>
      stack.emulator.requestLog
        .entries()
        .filter((e) => e.operationId === "CreateIncomingPhoneNumber");
    stack.emulator.requestLog.clear();
    const refused = await apply(["--plan", dir, "--expect-digest", digest]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(bought()).toEqual([]);

    const applied = await apply(["--plan", dir, "--expect-digest", digest, "--allow-releases"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(bought()).toHaveLength(1);
    const after = await output();
    expect(after.number.released).toBe(false);
    expect(after.number.phoneNumber).not.toBe(before.number.phoneNumber);
    expect(after.number.sid).not.toBe(before.number.sid);
    // The output names the SID it replaces (the resource id): what the sync finds the row by.
    expect(after.number.replacesSid).toBe(before.number.sid);
    expect(after.messagingServiceSid).toBe(before.messagingServiceSid);
    const pool = await stack.twilio.messaging.v1
      .services(after.messagingServiceSid)
      .phoneNumbers.list();
    expect(pool.map((n) => n.sid)).toEqual([after.number.sid]);

    // The sync moves the row (same row, same account) to the new number, in words, no conflict.
    const renumbered = await sync();
    expect(renumbered.code, renumbered.stdout + renumbered.stderr).toBe(0);
    expect(renumbered.stdout).toContain(
      "  renumbered         1  (the customer's number changed)\n  unmatched          0\n  conflicts          0\n",
    );
    expect(renumbered.stdout).toContain(
      `  account ${account.id}  number main  row ${rowId}: ${before.number.phoneNumber} (${before.number.sid}) -> ${after.number.phoneNumber} (${after.number.sid})\n`,
    );
    expect(renumbered.stdout).toMatch(/\nDone\.\n$/);
    expect(await row()).toEqual({
      id: rowId,
      accountId: account.id,
      phoneNumber: after.number.phoneNumber,
      twilioPhoneNumberSid: after.number.sid,
      twilioMessagingServiceSid: after.messagingServiceSid,
      isActive: true,
    });
    const synced = await sync(["--json"]);
    expect(JSON.parse(synced.stdout)).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
      deactivated: 0,
      parked: 0,
      unmatched: [],
      conflicts: [],
    });

    // Converged: the next plan reads the new number and changes nothing.
    const again = await runPlanCli(
      ["--stack", stack.stack, "--format", "text"],
      stackEnvironment(stack),
    );
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes to Twilio.");
  });
});
