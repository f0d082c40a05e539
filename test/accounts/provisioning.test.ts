/**
 * The main loop of the product, end to end: the real Pulumi CLI runs the project's program against
 * the local Twilio emulator. The tests share one stack and run in order, like a team's history.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";

interface AccountOutput {
  accountId: string;
  messagingServiceSid: string;
  numbers: Array<{ name: string; phoneNumber: string; sid: string }>;
}

let stack: AccountsStack;
let accounts: TestAccount[] = THREE_ACCOUNTS;

async function accountOutputs(): Promise<AccountOutput[]> {
  return (await stack.outputs()).accounts as AccountOutput[];
}

beforeAll(async () => {
  stack = await createAccountsStack();
  stack.writeAccounts(accountsYaml(accounts));
});

afterAll(async () => {
  await stack?.dispose();
});

describe("provisioning three accounts", () => {
  it("previews, per account, one number to buy, one service and one attachment, without touching Twilio", async () => {
    const preview = await stack.pulumi(["preview"]);
    const expected = THREE_ACCOUNTS.flatMap((a) => [
      `create MessagingService ${a.id}-service`,
      `create PhoneNumber ${a.id}-main`,
      `create ServiceNumber ${a.id}-main-attachment`,
    ]).sort();
    expect(twilioSteps(preview.events)).toEqual(expected);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("converges on up, and the outputs hold the SIDs the emulator issued", async () => {
    await stack.pulumi(["up", "--yes", "--skip-preview"]);
    const outputs = await accountOutputs();
    expect(outputs.map((a) => a.accountId)).toEqual(THREE_ACCOUNTS.map((a) => a.id));
    // Counted before the checks below, which call the emulator themselves.
    const callsDuringUp = stack.emulator.requestLog.entries().length;
    for (const account of outputs) {
      expect(account.messagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
      expect(account.numbers).toHaveLength(1);
      const [number] = account.numbers;
      expect(number?.sid).toMatch(/^PN[0-9a-f]{32}$/);
      const owned = await stack.twilio.incomingPhoneNumbers(number?.sid ?? "").fetch();
      expect(owned.phoneNumber).toBe(number?.phoneNumber);
      const pool = await stack.twilio.messaging.v1
        .services(account.messagingServiceSid)
        .phoneNumbers.list();
      expect(pool.map((entry) => entry.sid)).toEqual([number?.sid]);
    }
    // Exactly one number bought per account, in at most four calls per account.
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(3);
    expect(callsDuringUp).toBeLessThanOrEqual(4 * THREE_ACCOUNTS.length);
  });

  it("makes zero mutating Twilio calls on a second up with no change", async () => {
    stack.emulator.requestLog.clear();
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events).every((step) => step.startsWith("same "))).toBe(true);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("shows no changes on refresh of an unchanged stack", async () => {
    stack.emulator.requestLog.clear();
    const refresh = await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges).toEqual({
      same: expect.any(Number),
    });
    // It did read Twilio: each number, service and attachment once.
    const reads = stack.emulator.requestLog.entries().filter((e) => e.method === "GET");
    expect(reads.length).toBe(3 * THREE_ACCOUNTS.length);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("updates a service webhook in place (same SID)", async () => {
    const before = await accountOutputs();
    const [first] = THREE_ACCOUNTS;
    accounts = accounts.map((a) =>
      a.id === first?.id
        ? { ...a, inboundRequestUrl: "https://api.parlae.example/twilio/inbound-v2" }
        : a,
    );
    stack.writeAccounts(accountsYaml(accounts));
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events).filter((s) => !s.startsWith("same "))).toEqual([
      `update MessagingService ${first?.id}-service`,
    ]);
    const after = await accountOutputs();
    expect(after).toEqual(before);
    const service = await stack.twilio.messaging.v1
      .services(after[0]?.messagingServiceSid ?? "")
      .fetch();
    expect(service.inboundRequestUrl).toBe("https://api.parlae.example/twilio/inbound-v2");
  });

  it("updates a number's friendly name in place (same SID)", async () => {
    const before = await accountOutputs();
    const second = THREE_ACCOUNTS[1];
    accounts = accounts.map((a) =>
      a.id === second?.id ? { ...a, friendlyName: "Plateau - front desk" } : a,
    );
    stack.writeAccounts(accountsYaml(accounts));
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events).filter((s) => !s.startsWith("same "))).toEqual([
      `update PhoneNumber ${second?.id}-main`,
    ]);
    expect(await accountOutputs()).toEqual(before);
    const sid = before[1]?.numbers[0]?.sid;
    const number = await stack.twilio.incomingPhoneNumbers(sid ?? "").fetch();
    expect(number.friendlyName).toMatch(/^Plateau - front desk \[tm-[0-9a-f]{8}\]$/);
  });

  it("detects a service deleted outside on refresh, and re-creates it on up", async () => {
    const before = await accountOutputs();
    const victim = before[2];
    await stack.twilio.messaging.v1.services(victim?.messagingServiceSid ?? "").remove();

    const refresh = await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(
      twilioSteps(refresh.events).filter(
        (s) => !s.startsWith("same ") && !s.startsWith("refresh "),
      ),
    ).toEqual([]);
    expect(refresh.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges?.delete).toBe(
      2,
    );

    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events).filter((s) => !s.startsWith("same "))).toEqual([
      `create MessagingService ${victim?.accountId}-service`,
      `create ServiceNumber ${victim?.accountId}-main-attachment`,
    ]);
    const after = await accountOutputs();
    expect(after[2]?.messagingServiceSid).toMatch(/^MG/);
    expect(after[2]?.messagingServiceSid).not.toBe(victim?.messagingServiceSid);
    // The number was never touched: same SID, now in the new service.
    expect(after[2]?.numbers).toEqual(victim?.numbers);
  });
});
