/**
 * Crash-only creates, end to end: `pulumi up` (the real CLI) killed with SIGKILL, the CLI and every
 * plugin process, at the moment a Twilio call of the run has been served by the emulator (the
 * service create, the purchase, the attachment, the release of a bought number, of an adopted
 * one, and of a number adopted only to be released), then the documented recovery
 * (`npm run pulumi -- recover --stack …`, then `npm run pulumi -- preview` and `up`, which refresh
 * from Twilio first), and a no-op `up`. Twilio must then hold exactly what the YAML declares:
 * nothing twice, nothing released that was not marked, no orphan; a release the kill interrupted
 * is recorded as done (output `released: true` with its SID and phone number), and the post-deploy
 * sync (a real PostgreSQL) deactivates its row.
 *
 * The project writes the state once per run (PULUMI_SKIP_CHECKPOINTS, src/pulumi/environment.ts),
 * so a killed run records nothing: every re-run repeats the killed run's creates, and each must find
 * what the killed run made (creation markers) instead of making it again. A kill after Twilio
 * served a release is therefore always the window that matters: the number is gone from Twilio
 * while the state still holds it active, and the recovery's refresh reads it as gone.
 *
 * One stack, in order, like a team's history: each case adds to (or releases from) what the
 * previous ones built.
 */

import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { documentedRerun, npmRunPulumi, recover, wrapperEnv } from "../support/documented-recovery";
import { previewThenUp } from "../support/preview-then-up";
import { runCommand } from "../support/run-command";

const [first, second, third] = THREE_ACCOUNTS.map((account, i) => ({
  ...account,
  vapiPhoneId: `vapi-${i + 1}`,
})) as [TestAccount, TestAccount, TestAccount];
const fourth: TestAccount = {
  id: "5d2b1c8e-4a7f-4b0e-9c61-2f8e7a3d9b40",
  name: "Westmount Dental Care",
  areaCode: "514",
  vapiPhoneId: "vapi-4",
};
/** A number the Twilio account held before this project: adopted, later released. */
const LEGACY = { sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4", phoneNumber: "+16045550142" };
const legacy: TestAccount = {
  id: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
  name: "Outremont Smiles",
  adoptSid: LEGACY.sid,
  vapiPhoneId: "vapi-legacy",
};
/** Another such number, that an account adopts only to release it. */
const UNWANTED = { sid: "PN1f0e2d3c4b5a69788796a5b4c3d2e1f0", phoneNumber: "+16045550107" };
const unwanted: TestAccount = {
  id: "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7",
  name: "Verdun Dental",
  adoptSid: UNWANTED.sid,
  numberRelease: true,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: AccountsStack;
let scratch: ScratchDatabase;
let db: Database;
/** Every exchange with the emulator since the stack was made (the request log is cleared per run). */
const history: RequestLogEntry[] = [];
/** Called with each exchange while a crash is armed. */
let onExchange: ((entry: RequestLogEntry) => void) | undefined;

beforeAll(async () => {
  stack = await createAccountsStack({
    onExchange: (entry) => {
      history.push(entry);
      onExchange?.(entry);
    },
  });
  scratch = await createScratchDatabase("crash_sync");
  await migrateDatabase({ databaseUrl: scratch.url });
  db = await openDatabase({ databaseUrl: scratch.url });
});

afterAll(async () => {
  await stack?.dispose();
  await db?.close();
  await scratch?.drop();
});

/**
 * Runs `pulumi up` and kills it (CLI and plugins) when the emulator has handled the first request
 * with this operationId; with `dropAnswer`, that request is carried out but its answer never sent.
 * Then checks that nothing of the killed run reaches Twilio any more.
 */
async function upKilledAt(operationId: string, options: { dropAnswer?: boolean } = {}) {
  const killed = new AbortController();
  let killedAt = 0;
  if (options.dropAnswer)
    stack.emulator.faults.set({ dropAfterPurchase: { count: 1, match: { operationId } } });
  onExchange = (entry) => {
    if (entry.operationId !== operationId || killed.signal.aborted) return;
    killedAt = Date.now();
    killed.abort();
  };
  try {
    // Killed mid-way on purpose: this run cannot match a preview (the re-run is held to one).
    const crashed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      check: false,
      signal: killed.signal,
    });
    expect(killed.signal.aborted, `the up never sent ${operationId}:\n${crashed.output}`).toBe(
      true,
    );
    expect(crashed.code).not.toBe(0);
  } finally {
    onExchange = undefined;
    stack.emulator.faults.clear();
  }
  // A provider that survived the kill would go on (retry, attach, …) within this time. (100 ms of
  // grace: a request already on the wire at the kill may be read a moment later.)
  await sleep(1_500);
  const late = history.filter((entry) => Date.parse(entry.time) > killedAt + 100);
  expect(late.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
}

/**
 * The documented recovery and re-run: `npm run pulumi -- recover`, then `preview` and `up`
 * through the wrapper (refreshing first; the up doing what its preview planned: the killed run's
 * creates again, each finding what the killed run made), then a no-op up.
 */
async function recoverAndRerun(): Promise<void> {
  await recover(stack);
  await documentedRerun(stack);
}

/** `npm run sync -- --stack … --database-url …` (a real process reading the stack outputs). */
async function sync(): Promise<{ created: number; deactivated: number }> {
  const result = await runCommand(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    ["src/cli/sync.ts", "--stack", stack.stack, "--database-url", scratch.url, "--json"],
    { cwd: repoRoot, env: { ...wrapperEnv(stack), DATABASE_URL: "" } },
  );
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { created: number; deactivated: number };
}

/** The row the sync keeps for a Vapi phone id. */
function rowOf(vapiPhoneId: string) {
  return db.prisma.vapiPhoneNumber.findUniqueOrThrow({
    where: { vapiPhoneId },
    select: {
      phoneNumber: true,
      twilioPhoneNumberSid: true,
      twilioMessagingServiceSid: true,
      isActive: true,
    },
  });
}

/** A row the sync deactivated: both SIDs cleared, inactive, its phone number kept. */
function deactivated(phoneNumber: string) {
  return {
    phoneNumber,
    twilioPhoneNumberSid: null,
    twilioMessagingServiceSid: null,
    isActive: false,
  };
}

interface NumberOutput {
  name: string;
  sid: string | null;
  phoneNumber: string | null;
  vapiPhoneId: string | null;
  released: boolean;
}

async function numberOutput(account: TestAccount): Promise<NumberOutput | undefined> {
  const outputs = (await stack.outputs()).accounts as Array<{
    accountId: string;
    numbers: NumberOutput[];
  }>;
  return outputs.find((o) => o.accountId === account.id)?.numbers[0];
}

/**
 * A release whose kill came after Twilio served it, recovered the documented way: released once
 * in Twilio, the stack output says released with the number's SID and phone number, and the sync
 * deactivates its row.
 */
async function expectReleaseRecorded(
  account: TestAccount,
  number: { sid: string; phoneNumber: string },
): Promise<void> {
  expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
    number.sid,
  );
  expect(await numberOutput(account)).toEqual({
    name: "main",
    sid: number.sid,
    phoneNumber: number.phoneNumber,
    vapiPhoneId: account.vapiPhoneId ?? null,
    released: true,
  });
  const releases = history.filter(
    (e) => e.operationId === "DeleteIncomingPhoneNumber" && e.path.includes(number.sid),
  );
  expect(releases.map((e) => e.status)).toEqual([204]);
}

const serviceName = (account: TestAccount) => `${account.name} - Parlae`;

/**
 * Twilio holds exactly the active accounts' objects: per account one number, one service (found
 * by name) and that number in that service's pool; nothing else.
 */
async function expectTwilioHolds(active: TestAccount[]): Promise<void> {
  const numbers = await stack.twilio.incomingPhoneNumbers.list();
  const services = await stack.twilio.messaging.v1.services.list();
  expect(numbers).toHaveLength(active.length);
  expect(services.map((s) => s.friendlyName.replace(/ \[tm-[0-9a-f]{8}\]$/, "")).sort()).toEqual(
    active.map(serviceName).sort(),
  );
  const outputs = (await stack.outputs()).accounts as Array<{
    accountId: string;
    messagingServiceSid: string;
    numbers: Array<{ sid: string }>;
  }>;
  for (const account of active) {
    const output = outputs.find((o) => o.accountId === account.id);
    const service = services.find((s) => s.friendlyName.startsWith(serviceName(account)));
    expect(output?.messagingServiceSid).toBe(service?.sid);
    const pool = await stack.twilio.messaging.v1.services(service?.sid ?? "").phoneNumbers.list();
    expect(pool.map((n) => n.sid)).toEqual(output?.numbers.map((n) => n.sid));
    expect(numbers.map((n) => n.sid)).toContain(output?.numbers[0]?.sid);
  }
}

/** Requests with this operationId that Twilio carried out (answered 2xx, or answer dropped). */
function carriedOut(operationId: string): RequestLogEntry[] {
  return history.filter(
    (e) => e.operationId === operationId && (e.status === null || (e.status ?? 0) < 300),
  );
}

describe("pulumi up killed while its Twilio calls are in flight, then recovered and re-run", () => {
  it("at the Messaging Service create (answer lost): one service, adopted by its marker", async () => {
    stack.writeAccounts(accountsYaml([first]));
    await upKilledAt("CreateService", { dropAnswer: true });
    expect(await stack.twilio.messaging.v1.services.list()).toHaveLength(1);

    await recoverAndRerun();
    await expectTwilioHolds([first]);
    expect(carriedOut("CreateService")).toHaveLength(1);
  });

  it("at the purchase, with the number's friendly name changed before the re-run: bought once", async () => {
    stack.writeAccounts(accountsYaml([first, second]));
    await upKilledAt("CreateIncomingPhoneNumber");
    const [bought] = carriedOut("CreateIncomingPhoneNumber").slice(-1);

    // The hole this closes: the purchase is found by its marker, not by the whole friendly name.
    stack.writeAccounts(accountsYaml([first, { ...second, friendlyName: "Plateau - renamed" }]));
    await recoverAndRerun();
    await expectTwilioHolds([first, second]);
    expect(carriedOut("CreateIncomingPhoneNumber")).toHaveLength(2);
    const sid = (bought?.responseBody as { sid?: string } | undefined)?.sid ?? "";
    const number = await stack.twilio.incomingPhoneNumbers(sid).fetch();
    expect(number.friendlyName).toMatch(/^Plateau - renamed \[tm-[0-9a-f]{8}\]$/);
  });

  it("at the attachment: the number is attached once (21710 adopts it)", async () => {
    stack.writeAccounts(accountsYaml([first, second, third]));
    await upKilledAt("CreatePhoneNumber");

    await recoverAndRerun();
    await expectTwilioHolds([first, second, third]);
    expect(carriedOut("CreateIncomingPhoneNumber")).toHaveLength(3);
    expect(carriedOut("CreateService")).toHaveLength(3);
    expect(carriedOut("CreatePhoneNumber")).toHaveLength(3);
  });

  it("at the release of a bought number: recorded as released, with its SID and phone number, and its row deactivated", async () => {
    expect(await sync()).toMatchObject({ created: 3, deactivated: 0 });
    const bought = await numberOutput(first);
    const number = { sid: bought?.sid ?? "", phoneNumber: bought?.phoneNumber ?? "" };
    stack.writeAccounts(accountsYaml([{ ...first, release: true }, second, third]));
    await upKilledAt("DeleteIncomingPhoneNumber");
    // The window that matters: Twilio has released the number, the state still holds it active.
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
      number.sid,
    );

    await recoverAndRerun();
    await expectTwilioHolds([second, third]);
    await expectReleaseRecorded(first, number);
    // Every release request of the whole history named the marked account's number.
    const releases = history.filter((e) => e.operationId === "DeleteIncomingPhoneNumber");
    for (const request of releases) expect(request.path).toContain(number.sid);
    expect(await sync()).toMatchObject({ created: 0, deactivated: 1 });
    expect(await rowOf("vapi-1")).toEqual(deactivated(number.phoneNumber));
  });

  it("at the release of an adopted number: the same, with the SID it was adopted by", async () => {
    stack.emulator.state.phoneNumbers.seed({
      ...LEGACY,
      friendlyName: "Outremont (bought by hand)",
    });
    stack.writeAccounts(accountsYaml([{ ...first, release: true }, second, third, legacy]));
    await recover(stack); // nothing to repair: recover on a healthy stack changes nothing
    await documentedRerun(stack);
    await expectTwilioHolds([second, third, legacy]);
    expect(await sync()).toMatchObject({ created: 1, deactivated: 0 });

    stack.writeAccounts(
      accountsYaml([{ ...first, release: true }, second, third, { ...legacy, release: true }]),
    );
    await upKilledAt("DeleteIncomingPhoneNumber");
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
      LEGACY.sid,
    );

    await recoverAndRerun();
    await expectTwilioHolds([second, third]);
    await expectReleaseRecorded(legacy, LEGACY);
    expect(await sync()).toMatchObject({ created: 0, deactivated: 1 });
    expect(await rowOf("vapi-legacy")).toEqual(deactivated(LEGACY.phoneNumber));
  });

  it("at the release of a number adopted only to be released: the adoption finds it gone, which is done", async () => {
    // A row from before this project holds the number; the YAML adopts it to let it go.
    stack.emulator.state.phoneNumbers.seed({ ...UNWANTED, friendlyName: "Verdun (to let go)" });
    await db.prisma.account.create({ data: { id: unwanted.id, name: unwanted.name } });
    await db.prisma.vapiPhoneNumber.create({
      data: {
        accountId: unwanted.id,
        vapiPhoneId: "vapi-verdun",
        phoneNumber: UNWANTED.phoneNumber,
        twilioPhoneNumberSid: UNWANTED.sid,
        name: "Main Line",
      },
    });
    const released = [{ ...first, release: true }, second, third, { ...legacy, release: true }];
    stack.writeAccounts(accountsYaml([...released, { ...unwanted, release: true }]));
    await upKilledAt("DeleteIncomingPhoneNumber");
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
      UNWANTED.sid,
    );

    // The killed run recorded nothing, so the re-run adopts again: Twilio says there is no such
    // number, which for a number declared for release means the release is done.
    await recoverAndRerun();
    await expectTwilioHolds([second, third]);
    // Adopted by SID and gone before any state held it: its phone number is not known here.
    expect(await numberOutput(unwanted)).toEqual({
      name: "main",
      sid: UNWANTED.sid,
      phoneNumber: null,
      vapiPhoneId: null,
      released: true,
    });
    // Each release once in the whole history: the bought number, the legacy one, this one.
    const releases = carriedOut("DeleteIncomingPhoneNumber");
    expect(releases).toHaveLength(3);
    expect(releases.at(-1)?.path).toContain(UNWANTED.sid);
    expect(await sync()).toMatchObject({ created: 0, deactivated: 1 });
    expect(await rowOf("vapi-verdun")).toEqual(deactivated(UNWANTED.phoneNumber));
  });
});

describe("a lost answer without a kill", () => {
  it("to a Messaging Service create: the provider lists again and adopts it, in the same run", async () => {
    stack.emulator.faults.set({ dropAfterPurchase: { match: { operationId: "CreateService" } } });
    // The released accounts' entries go (their tombstones leave the state without a Twilio call).
    stack.writeAccounts(accountsYaml([{ ...first, release: true }, second, third, fourth]));
    try {
      // The lost answer is handled inside the create (adopted by its marker), so the run still does
      // what its preview planned.
      await previewThenUp(stack);
    } finally {
      stack.emulator.faults.clear();
    }
    await expectTwilioHolds([second, third, fourth]);
    const lastCreate = carriedOut("CreateService").at(-1);
    expect(lastCreate?.status).toBeNull(); // the answer was lost, and no second create followed
    // One per account of the whole history: first, second, third, legacy, fourth.
    expect(carriedOut("CreateService")).toHaveLength(5);
  });
});

describe("npm run pulumi -- recover", () => {
  it("repairs a stack a kill left failing 'failed to load checkpoint: EOF' (empty metadata sidecar)", async () => {
    const sidecar = stateFile(".json.attrs");
    writeFileSync(sidecar, ""); // what a kill between truncating and writing the sidecar leaves
    const broken = await stack.pulumi(["preview"], { check: false });
    expect(broken.output).toContain("failed to load checkpoint: EOF");

    const output = await recover(stack);
    expect(output).toContain(`removed a broken metadata sidecar: ${sidecar}`);
    const preview = await stack.pulumi(["preview"]);
    expect(twilioSteps(preview.events).every((step) => step.startsWith("same "))).toBe(true);
  });

  it("refuses, changing nothing, while a live pulumi on this machine holds the stack's lock", async () => {
    const lock = join(
      stack.ws.stateDir,
      ".pulumi",
      "locks",
      "organization",
      "twilio-messaging",
      stack.stack,
      "held-by-a-live-process.json",
    );
    mkdirSync(join(lock, ".."), { recursive: true });
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        username: "ci",
        hostname: hostname(),
        timestamp: new Date().toISOString(),
      }),
    );
    try {
      const refused = await npmRunPulumi(stack, ["recover", "--stack", stack.stack]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `recover: an update of stack ${stack.stack} is still running (pulumi pid ${process.pid}`,
      );
      expect(existsSync(lock)).toBe(true);
    } finally {
      rmSync(lock, { force: true });
    }
  });
});

function stateFile(suffix: string): string {
  return join(
    stack.ws.stateDir,
    ".pulumi",
    "stacks",
    "twilio-messaging",
    `${stack.stack}${suffix}`,
  );
}
