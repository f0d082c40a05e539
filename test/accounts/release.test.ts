/**
 * Invariant 1, "a number is never released by accident", end to end: only an explicit
 * `release: true` in the YAML releases a number; removing, renaming or re-aiming one fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";

const [kept, leaving] = THREE_ACCOUNTS as [(typeof THREE_ACCOUNTS)[0], (typeof THREE_ACCOUNTS)[0]];
let stack: AccountsStack;
let numberSids: string[];
let serviceSids: string[];

beforeAll(async () => {
  stack = await createAccountsStack();
  stack.writeAccounts(accountsYaml([kept, leaving]));
  await stack.pulumi(["up", "--yes", "--skip-preview"]);
  numberSids = await ownedNumberSids();
  serviceSids = await serviceSidsInTwilio();
});

afterAll(async () => {
  await stack?.dispose();
});

async function ownedNumberSids(): Promise<string[]> {
  return (await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid).sort();
}

async function serviceSidsInTwilio(): Promise<string[]> {
  return (await stack.twilio.messaging.v1.services.list()).map((s) => s.sid).sort();
}

describe("never releasing a number by accident", () => {
  it("fails the preview with the protective message when an account is removed without release", async () => {
    stack.writeAccounts(accountsYaml([kept]));
    stack.emulator.requestLog.clear();
    const preview = await stack.pulumi(["preview"], { check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `number 'main' of account ${leaving.id} (${leaving.name}) was removed from the YAML without release: true`,
    );
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("fails the same way on up, and releases nothing", async () => {
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("was removed from the YAML without release: true");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toEqual(numberSids);
  });

  it("refuses to give a bought number another area code, instead of buying a new one", async () => {
    stack.writeAccounts(accountsYaml([kept, { ...leaving, areaCode: "905" }]));
    const preview = await stack.pulumi(["preview"], { check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("'areaCode' cannot change once the number exists");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("refuses pulumi destroy while numbers are active, and tears nothing down around them", async () => {
    stack.writeAccounts(accountsYaml([kept, leaving]));
    stack.emulator.requestLog.clear();
    const destroy = await stack.pulumi(["destroy", "--yes", "--skip-preview"], { check: false });
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toContain("refusing to tear down the stack: 2 active number(s)");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toEqual(numberSids);
    expect(await serviceSidsInTwilio()).toEqual(serviceSids);
  });
});

describe("releasing on the explicit mark", () => {
  it("previews the release as an update of the number and the removal of service and attachment", async () => {
    stack.writeAccounts(accountsYaml([kept, { ...leaving, release: true }]));
    const preview = await stack.pulumi(["preview"]);
    expect(twilioSteps(preview.events).filter((s) => !s.startsWith("same "))).toEqual([
      `delete MessagingService ${leaving.id}-service`,
      `delete ServiceNumber ${leaving.id}-main-attachment`,
      `update PhoneNumber ${leaving.id}-main`,
    ]);
  });

  it("releases the account's number and deletes its service on up", async () => {
    await stack.pulumi(["up", "--yes", "--skip-preview"]);
    const remaining = await ownedNumberSids();
    expect(remaining).toHaveLength(1);
    expect(numberSids).toContain(remaining[0]);
    const services = await serviceSidsInTwilio();
    expect(services).toHaveLength(1);
    expect(serviceSids).toContain(services[0]);
    const outputs = (await stack.outputs()).accounts as Array<Record<string, unknown>>;
    // The released number stays in the output (released: true) so the post-deploy sync clears it.
    const releasedSid = numberSids.find((sid) => sid !== remaining[0]);
    expect(outputs[1]).toMatchObject({
      accountId: leaving.id,
      released: true,
      messagingServiceSid: null,
      numbers: [{ name: "main", sid: releasedSid, released: true }],
    });
  });

  it("lets the released entry be removed afterwards, with no Twilio call", async () => {
    stack.writeAccounts(accountsYaml([kept]));
    stack.emulator.requestLog.clear();
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(twilioSteps(up.events).filter((s) => !s.startsWith("same "))).toEqual([
      `delete PhoneNumber ${leaving.id}-main`,
    ]);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toHaveLength(1);
  });
});
