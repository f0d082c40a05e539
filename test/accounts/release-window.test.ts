/**
 * Releases with an undo window, end to end (issue 19; docs/providers.md, "Releases with an undo
 * window"): the real Pulumi CLI against the emulator, the plan command, the post-deploy sync on a
 * real PostgreSQL, and "now" moved through TWILIO_MESSAGING_NOW (src/util/clock.ts).
 *
 * One stack, in order, as a support team lives it: a number is let go (parked), given back within
 * the window (restored), let go again, its window shortened in the YAML, and released once the
 * window has passed; then a whole account is let go. Each Twilio step is also killed once (the
 * CLI and its plugins, SIGKILL) and recovered the documented way (`npm run pulumi -- recover`,
 * then preview and up, which refresh): never released early, never attached twice, never
 * released twice.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { runPlanCli, stackEnvironment } from "../plan/plan-cli";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { documentedRerun, recover, wrapperEnv } from "../support/documented-recovery";
import { previewThenUp } from "../support/preview-then-up";
import { runCommand } from "../support/run-command";
import { killSwitch } from "../support/up-killed-at";

const SMS_URL = "https://api.parlae.example/twilio/sms";
const PARKING_URL = "https://api.parlae.example/twilio/parked";
const [a, b, c] = THREE_ACCOUNTS.map((account, i) => ({
  ...account,
  vapiPhoneId: `vapi-w${i + 1}`,
  smsUrl: SMS_URL,
})) as [TestAccount, TestAccount, TestAccount];
const WINDOW = { releaseAfterDays: 7, parkingUrl: PARKING_URL };

const T0 = Date.parse("2026-12-01T09:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(T0 + days * DAY).toISOString().replace(".000Z", "Z");

const kills = killSwitch();
let stack: AccountsStack;
let scratch: ScratchDatabase;
let db: Database;

beforeAll(async () => {
  stack = await createAccountsStack({ onExchange: (entry) => kills.onExchange(entry) });
  scratch = await createScratchDatabase("release_window");
  await migrateDatabase({ databaseUrl: scratch.url });
  db = await openDatabase({ databaseUrl: scratch.url });
});

afterAll(async () => {
  await stack?.dispose();
  await db?.close();
  await scratch?.drop();
});

/** Moves "now" for every process the stack starts (CLI, providers, plan, sync). */
function setNow(iso: string): void {
  stack.ws.env = { ...stack.ws.env, TWILIO_MESSAGING_NOW: iso };
}

/** `npm run plan -- --stack … --format text` (refreshes first). */
async function plan(): Promise<{ code: number; text: string }> {
  const result = await runPlanCli(["--stack", stack.stack, "--format", "text"], {
    ...stackEnvironment(stack),
    TWILIO_MESSAGING_NOW: stack.ws.env?.TWILIO_MESSAGING_NOW,
  });
  expect([0, 3], result.stdout + result.stderr).toContain(result.code);
  return { code: result.code, text: result.stdout };
}

async function sync(): Promise<Record<string, number>> {
  const result = await runCommand(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    ["src/cli/sync.ts", "--stack", stack.stack, "--database-url", scratch.url, "--json"],
    { cwd: repoRoot, env: { ...wrapperEnv(stack), DATABASE_URL: "" } },
  );
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, number>;
}

function rowOf(vapiPhoneId: string) {
  return db.prisma.vapiPhoneNumber.findUniqueOrThrow({
    where: { vapiPhoneId },
    select: { twilioPhoneNumberSid: true, twilioMessagingServiceSid: true, isActive: true },
  });
}

interface NumberOut {
  sid: string | null;
  phoneNumber: string | null;
  released: boolean;
  parkedUntil?: string;
}
interface AccountOut {
  accountId: string;
  released: boolean;
  messagingServiceSid: string | null;
  numbers: NumberOut[];
}

async function outputOf(account: TestAccount): Promise<AccountOut> {
  const accounts = (await stack.outputs()).accounts as AccountOut[];
  const found = accounts.find((o) => o.accountId === account.id);
  if (!found) throw new Error(`no output for ${account.name}`);
  return found;
}

/** The Messaging Services whose pool holds this number SID. */
async function servicesHolding(sid: string): Promise<string[]> {
  const holding: string[] = [];
  for (const service of await stack.twilio.messaging.v1.services.list()) {
    const pool = await stack.twilio.messaging.v1.services(service.sid).phoneNumbers.list();
    if (pool.some((n) => n.sid === sid)) holding.push(service.sid);
  }
  return holding;
}

function releasesOf(sid: string) {
  return kills.history.filter(
    (e) =>
      e.operationId === "DeleteIncomingPhoneNumber" &&
      e.path.includes(sid) &&
      (e.status === null || (e.status ?? 0) < 300),
  );
}

let numberA: { sid: string; phoneNumber: string };

describe("a number let go with an undo window", () => {
  it("three accounts deployed and synced: every row active", async () => {
    setNow(at(0));
    stack.writeAccounts(accountsYaml([a, b, c], WINDOW));
    await previewThenUp(stack);
    expect(await sync()).toMatchObject({ created: 3 });
    const out = (await outputOf(a)).numbers[0];
    numberA = { sid: out?.sid ?? "", phoneNumber: out?.phoneNumber ?? "" };
    expect(await rowOf("vapi-w1")).toMatchObject({ isActive: true });
  });

  it("release: true parks it (the plan says until when, no approval needed); a kill during the park changes nothing of that", async () => {
    stack.writeAccounts(accountsYaml([{ ...a, numberRelease: true }, b, c], WINDOW));
    const planned = await plan();
    expect(planned.code).toBe(0);
    expect(planned.text).toContain(
      `PARK number main (${numberA.phoneNumber}, ${numberA.sid}) until 2026-12-08 09:00 UTC (releaseAfterDays 7)`,
    );
    expect(planned.text).toContain("numbers: 1 to park");
    expect(planned.text).toContain("1 number parked after this deployment (≈ $1.15/month to keep");

    await kills.upKilledAt(stack, "UpdateIncomingPhoneNumber");
    await recover(stack);
    await documentedRerun(stack);

    const number = await stack.twilio.incomingPhoneNumbers(numberA.sid).fetch();
    expect(number.friendlyName).toMatch(
      /^parked until 2026-12-08 09:00 UTC - Downtown Mont… \[tm-[0-9a-f]{8}\]$/,
    );
    expect(number.friendlyName.length).toBeLessThanOrEqual(64);
    expect(number.smsUrl).toBe(PARKING_URL);
    expect(number.voiceUrl).toBe(PARKING_URL);
    expect(await servicesHolding(numberA.sid)).toEqual([]);
    expect(releasesOf(numberA.sid)).toEqual([]);
    expect((await outputOf(a)).numbers[0]).toMatchObject({
      sid: numberA.sid,
      released: false,
      parkedUntil: "2026-12-08T09:00:00.000Z",
    });
    expect(await sync()).toMatchObject({ parked: 1, deactivated: 0 });
    expect(await rowOf("vapi-w1")).toEqual({
      twilioPhoneNumberSid: numberA.sid,
      twilioMessagingServiceSid: null,
      isActive: false,
    });
  });

  it("release: true taken back within the window restores it: attached again, webhook and name back, row active (a kill during the restore too)", async () => {
    setNow(at(3));
    stack.writeAccounts(accountsYaml([a, b, c], WINDOW));
    const planned = await plan();
    expect(planned.code).toBe(0);
    expect(planned.text).toContain(
      `RESTORE parked number main (${numberA.phoneNumber}, ${numberA.sid}) (was parked until 2026-12-08 09:00 UTC)`,
    );

    await kills.upKilledAt(stack, "UpdateIncomingPhoneNumber");
    await recover(stack);
    await documentedRerun(stack);

    const number = await stack.twilio.incomingPhoneNumbers(numberA.sid).fetch();
    expect(number.friendlyName).toMatch(/^Downtown Montreal Dentistry - main \[tm-[0-9a-f]{8}\]$/);
    expect(number.smsUrl).toBe(SMS_URL);
    const service = (await outputOf(a)).messagingServiceSid;
    expect(await servicesHolding(numberA.sid)).toEqual([service]);
    expect((await outputOf(a)).numbers[0]).toMatchObject({ released: false });
    expect((await outputOf(a)).numbers[0]).not.toHaveProperty("parkedUntil");
    expect(await sync()).toMatchObject({ updated: 1 });
    expect(await rowOf("vapi-w1")).toEqual({
      twilioPhoneNumberSid: numberA.sid,
      twilioMessagingServiceSid: service,
      isActive: true,
    });
  });

  it("parked again, then a window shortened in the YAML: the plan shows the new release date", async () => {
    setNow(at(4));
    stack.writeAccounts(accountsYaml([{ ...a, numberRelease: true }, b, c], WINDOW));
    await previewThenUp(stack);
    expect((await outputOf(a)).numbers[0]?.parkedUntil).toBe("2026-12-12T09:00:00.000Z");

    stack.writeAccounts(
      accountsYaml([{ ...a, numberRelease: true, releaseAfterDays: 2 }, b, c], WINDOW),
    );
    const planned = await plan();
    expect(planned.code).toBe(0);
    expect(planned.text).toContain(
      `SHORTEN the release window of parked number main (${numberA.phoneNumber}, ${numberA.sid}): release date 2026-12-12 09:00 UTC → 2026-12-07 09:00 UTC (releaseAfterDays is now 2)`,
    );
    await previewThenUp(stack);
    const number = await stack.twilio.incomingPhoneNumbers(numberA.sid).fetch();
    expect(number.friendlyName).toMatch(/^parked until 2026-12-07 09:00 UTC - /);
    expect(releasesOf(numberA.sid)).toEqual([]);
    expect(await sync()).toMatchObject({ parked: 1 });
  });

  it("nothing changes in the YAML, and the plan lists the parked number; the day before its date, as ending before the next scheduled deploy", async () => {
    setNow(at(5.5));
    const planned = await plan();
    expect(planned.code).toBe(0);
    expect(planned.text).toContain("No changes to Twilio.");
    expect(planned.text).toContain(
      `number main (${numberA.phoneNumber}, ${numberA.sid}) parked until 2026-12-07 09:00 UTC (ends before the next scheduled deploy)`,
    );
  });

  it("once the window has passed, the next up releases it (a release: exit 3), once, even when killed; the row is deactivated", async () => {
    setNow(at(6.1));
    const planned = await plan();
    expect(planned.code).toBe(3);
    expect(planned.text).toContain(
      `RELEASE number main (${numberA.phoneNumber}, ${numberA.sid}) (parked until 2026-12-07 09:00 UTC: its release window has ended)`,
    );

    await kills.upKilledAt(stack, "DeleteIncomingPhoneNumber");
    await recover(stack);
    await documentedRerun(stack);

    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
      numberA.sid,
    );
    expect(releasesOf(numberA.sid)).toHaveLength(1);
    expect((await outputOf(a)).numbers[0]).toMatchObject({ ...numberA, released: true });
    expect(await sync()).toMatchObject({ deactivated: 1 });
    expect(await rowOf("vapi-w1")).toEqual({
      twilioPhoneNumberSid: null,
      twilioMessagingServiceSid: null,
      isActive: false,
    });
  });

  it("release: true taken back after the release is refused, saying the number is gone", async () => {
    stack.writeAccounts(accountsYaml([a, b, c], WINDOW));
    const preview = await stack.pulumi(["preview"], { check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `number 'main' of account ${a.id} (${numberA.phoneNumber}, ${numberA.sid}) was released in Twilio: it is gone and cannot be restored or bought back. Put release: true back on the entry`,
    );
    stack.writeAccounts(accountsYaml([{ ...a, numberRelease: true }, b, c], WINDOW));
  });
});

describe("an account let go with an undo window", () => {
  it("parks every number and deletes the service; the sync marks the rows inactive; the window's end releases them", async () => {
    const { numbers, messagingServiceSid: serviceC } = await outputOf(c);
    const numberC = numbers[0];
    stack.writeAccounts(
      accountsYaml([{ ...a, numberRelease: true }, b, { ...c, release: true }], WINDOW),
    );
    await previewThenUp(stack);
    const services = (await stack.twilio.messaging.v1.services.list()).map((s) => s.sid);
    expect(services).not.toContain(serviceC);
    expect(await servicesHolding(numberC?.sid ?? "")).toEqual([]);
    expect(await outputOf(c)).toMatchObject({
      released: true,
      messagingServiceSid: null,
      numbers: [{ sid: numberC?.sid, released: false, parkedUntil: "2026-12-14T11:24:00.000Z" }],
    });
    expect(await sync()).toMatchObject({ parked: 1 });
    expect(await rowOf("vapi-w3")).toMatchObject({ isActive: false });

    // Its entry removed before the window ends: refused, nothing released early.
    stack.writeAccounts(accountsYaml([{ ...a, numberRelease: true }, b], WINDOW));
    const early = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    expect(early.code).not.toBe(0);
    expect(early.output).toContain(
      `refusing to release ${numberC?.phoneNumber} (number 'main' of account ${c.id}) before its release window ends: it is parked until 2026-12-14 11:24 UTC`,
    );
    expect(releasesOf(numberC?.sid ?? "")).toEqual([]);
    stack.writeAccounts(
      accountsYaml([{ ...a, numberRelease: true }, b, { ...c, release: true }], WINDOW),
    );

    setNow(at(14));
    const planned = await plan();
    expect(planned.code).toBe(3);
    expect(planned.text).toContain(
      `RELEASE number main (${numberC?.phoneNumber}, ${numberC?.sid})`,
    );
    await previewThenUp(stack);
    expect(releasesOf(numberC?.sid ?? "")).toHaveLength(1);
    expect(await sync()).toMatchObject({ deactivated: 1 });
    expect(await rowOf("vapi-w3")).toEqual({
      twilioPhoneNumberSid: null,
      twilioMessagingServiceSid: null,
      isActive: false,
    });
  });
});
