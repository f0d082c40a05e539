/**
 * The main loop of the product, end to end: the real Pulumi CLI runs the project's program against
 * the local Twilio emulator. The tests share one stack and run in order, like a team's history.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

interface AccountOutput {
  accountId: string;
  messagingServiceSid: string;
  numbers: Array<{ name: string; phoneNumber: string; sid: string }>;
}

let stack: AccountsStack;
let accounts: TestAccount[] = THREE_ACCOUNTS;
/** What the first preview planned, to hold the first up to it. */
let firstPreview: string[] = [];

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
    firstPreview = twilioSteps(preview.events);
  });

  it("converges on up, and the outputs hold the SIDs the emulator issued", async () => {
    stack.emulator.requestLog.clear();
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events)).toEqual(firstPreview);
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
    const { up } = await previewThenUp(stack);
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
    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([`update MessagingService ${first?.id}-service`]);
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
    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([`update PhoneNumber ${second?.id}-main`]);
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

    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([
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

describe("adopting a number bought outside", () => {
  it("previews and makes the adoption as one create per resource, and buys nothing", async () => {
    // Bought "in the console": the SDK straight at the emulator, with no marker.
    const bought = await stack.twilio.incomingPhoneNumbers.create({ areaCode: "604" });
    const adopter: TestAccount = {
      id: "5d0c3b1e-8a7f-4c2e-9b61-2f4e8d7a9c03",
      name: "Gastown Orthodontics",
      adoptSid: bought.sid,
    };
    accounts = [...accounts, adopter];
    stack.writeAccounts(accountsYaml(accounts));
    const owned = (await stack.twilio.incomingPhoneNumbers.list()).length;
    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([
      `create MessagingService ${adopter.id}-service`,
      `create PhoneNumber ${adopter.id}-main`,
      `create ServiceNumber ${adopter.id}-main-attachment`,
    ]);
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(owned);
    const adopted = (await accountOutputs()).find((a) => a.accountId === adopter.id);
    expect(adopted?.numbers.map((n) => n.sid)).toEqual([bought.sid]);
  });
});

describe("drift made outside, seen on the documented deploy path (--refresh)", () => {
  it("previews a webhook and a setting changed in the console as an update, and up puts the YAML's values back", async () => {
    const [first] = await accountOutputs();
    const serviceSid = first?.messagingServiceSid ?? "";
    const declared = await stack.twilio.messaging.v1.services(serviceSid).fetch();
    // Someone edits the service in the console.
    await stack.twilio.messaging.v1.services(serviceSid).update({
      inboundRequestUrl: "https://console-edit.example/inbound",
      stickySender: false,
    });

    // Without a refresh the engine compares the YAML with its own stored state: no drift visible.
    const blind = await stack.pulumi(["preview"]);
    expect(changingSteps(blind.events)).toEqual([]);

    const { preview } = await previewThenUp(stack, ["--refresh"]);
    expect(changingSteps(preview.events)).toEqual([
      `update MessagingService ${first?.accountId}-service`,
    ]);

    const restored = await stack.twilio.messaging.v1.services(serviceSid).fetch();
    expect(restored.inboundRequestUrl).toBe(declared.inboundRequestUrl);
    expect(restored.stickySender).toBe(true);
  });
});
