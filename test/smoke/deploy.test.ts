/**
 * The smallest real deployment, run by .ci/run on every Node.js line we support (the machine's,
 * 22 and 24): one account through the real Pulumi CLI against the emulator, a no-op `up` (each
 * `up` held to its preview), and a `destroy` that refuses to release the number. The program and the dynamic providers run on the
 * `node` first on PATH, which .ci/run sets to the Node.js under test; the Twilio SDK names its Node
 * version in every request's User-Agent, so the test proves which Node ran the providers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { previewThenUp } from "../support/preview-then-up";

const account = THREE_ACCOUNTS[0];
if (!account) throw new Error("test data: THREE_ACCOUNTS is empty");
let stack: AccountsStack;

beforeAll(async () => {
  // Printed on purpose: the CI log shows which Node ran the smoke tests.
  console.log(`smoke deployment on node ${process.version}`);
  stack = await createAccountsStack();
  stack.writeAccounts(accountsYaml([account]));
});

afterAll(async () => {
  await stack?.dispose();
});

describe(`one account deployed with the providers running on node ${process.version}`, () => {
  it("buys the number, creates the service and attaches them", async () => {
    const { up } = await previewThenUp(stack);
    expect(twilioSteps(up.events)).toEqual([
      `create MessagingService ${account.id}-service`,
      `create PhoneNumber ${account.id}-main`,
      `create ServiceNumber ${account.id}-main-attachment`,
    ]);
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(1);
  });

  it("ran the providers on this Node.js (the SDK's User-Agent names it)", () => {
    const providerCalls = stack.emulator.requestLog
      .entries()
      .filter((entry) => entry.method === "POST");
    expect(providerCalls.length).toBeGreaterThan(0);
    for (const entry of providerCalls) {
      expect(entry.userAgent).toContain(`node/${process.version}`);
    }
  });

  it("makes no changing Twilio call on a second up", async () => {
    stack.emulator.requestLog.clear();
    const { up } = await previewThenUp(stack);
    expect(twilioSteps(up.events).every((step) => step.startsWith("same "))).toBe(true);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("refuses pulumi destroy while the number is active, and releases nothing", async () => {
    stack.emulator.requestLog.clear();
    // With its preview, as a person runs it: the engine's protect check or the number guard stops it.
    const destroy = await stack.pulumi(["destroy", "--yes"], { check: false });
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toMatch(
      /refusing to tear down the stack|cannot be deleted\s+because it is protected/,
    );
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(1);
  });
});
