/**
 * Invariant 2, "a number is never bought twice", and adoption of what already exists in Twilio
 * (a number by SID, an attachment), end to end with the real Pulumi CLI and emulator faults.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { documentedRerun, recover } from "../support/documented-recovery";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

const [account] = THREE_ACCOUNTS as [(typeof THREE_ACCOUNTS)[0]];
const EXISTING_SID = "PN831c1beb6ad178ed2af5f9757f8aa4a4";
let stack: AccountsStack | undefined;

afterEach(async () => {
  await stack?.dispose();
  stack = undefined;
});

function purchases(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => e.operationId === "CreateIncomingPhoneNumber");
}

describe("never buying a number twice", () => {
  it("recovers from a connection dropped after the purchase by adopting the marked number", async () => {
    stack = await createAccountsStack({ faults: { dropAfterPurchase: { count: 1 } } });
    stack.writeAccounts(accountsYaml([account]));
    // The lost answer is handled inside the purchase's create (adoption by marker), so the run
    // still does what its preview planned: three creates.
    await previewThenUp(stack);
    const log = stack.emulator.requestLog.entries();
    expect(purchases(log).map((e) => e.status)).toEqual([null]); // one purchase, answer lost
    const numbers = await stack.twilio.incomingPhoneNumbers.list();
    expect(numbers).toHaveLength(1);
    const outputs = (await stack.outputs()).accounts as Array<{ numbers: Array<{ sid: string }> }>;
    expect(outputs[0]?.numbers[0]?.sid).toBe(numbers[0]?.sid);
  });

  it("adopts the number on the next run when pulumi up was killed right after the purchase", async () => {
    const killed = new AbortController();
    const exchanges: RequestLogEntry[] = [];
    stack = await createAccountsStack({
      faults: { dropAfterPurchase: { count: 1 } },
      onExchange: (entry) => {
        exchanges.push(entry);
        if (entry.operationId === "CreateIncomingPhoneNumber") killed.abort();
      },
    });
    stack.writeAccounts(accountsYaml([account]));
    // Killed mid-way on purpose: this run cannot match a preview; the re-run below is held to one.
    const crashed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      check: false,
      signal: killed.signal,
    });
    expect(crashed.code).not.toBe(0);
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(1);

    // What the README tells an operator to do after a crashed deployment: recover, then up (which
    // refreshes first).
    await recover(stack);
    exchanges.length = 0;
    await documentedRerun(stack);
    expect(purchases(exchanges)).toEqual([]);
    const numbers = await stack.twilio.incomingPhoneNumbers.list();
    expect(numbers).toHaveLength(1);
    const outputs = (await stack.outputs()).accounts as Array<{ numbers: Array<{ sid: string }> }>;
    expect(outputs[0]?.numbers[0]?.sid).toBe(numbers[0]?.sid);
  });
});

describe("adopting what already exists", () => {
  it("adopts an existing number by SID: same SID, every field filled, no replacement later", async () => {
    stack = await createAccountsStack({
      seedPhoneNumbers: [
        {
          sid: EXISTING_SID,
          phoneNumber: "+16045550142",
          friendlyName: "Front desk (bought by hand)",
          params: {
            SmsUrl: "https://legacy.parlae.example/sms",
            VoiceUrl: "https://legacy.parlae.example/voice",
          },
        },
      ],
    });
    stack.writeAccounts(
      accountsYaml([{ ...account, adoptSid: EXISTING_SID, friendlyName: "Kitsilano - main" }]),
    );
    const { preview } = await previewThenUp(stack);
    expect(twilioSteps(preview.events)).toContain(`create PhoneNumber ${account.id}-main`);

    const exported = JSON.parse((await stack.cli(["stack", "export"])).stdout);
    const number = exported.deployment.resources.find((r: { type: string }) =>
      r.type.endsWith(":PhoneNumber"),
    );
    expect(number.id).toBe(EXISTING_SID);
    expect(number.outputs).toMatchObject({
      sid: EXISTING_SID,
      phoneNumber: "+16045550142",
      friendlyName: "Kitsilano - main",
      // Not declared in the YAML, so read from Twilio and left as they were.
      smsUrl: "https://legacy.parlae.example/sms",
      voiceUrl: "https://legacy.parlae.example/voice",
      released: false,
    });
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).toEqual([
      EXISTING_SID,
    ]);

    stack.emulator.requestLog.clear();
    const again = await stack.pulumi(["preview", "--refresh"]);
    expect(changingSteps(again.events)).toEqual([]);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("adopts an attachment that already exists in Twilio (the import case): no replacement, no empty fields", async () => {
    // The attachment is made in Twilio but its answer is lost, so Pulumi's state does not have it.
    stack = await createAccountsStack({
      faults: { dropAfterPurchase: { count: 1, match: { operationId: "CreatePhoneNumber" } } },
    });
    stack.writeAccounts(accountsYaml([account]));
    // Fails mid-way on purpose (the attachment's answer is lost): no preview to compare with; the
    // second run is.
    const first = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    expect(first.code).not.toBe(0);
    const [service] = await stack.twilio.messaging.v1.services.list();
    const pool = await stack.twilio.messaging.v1.services(service?.sid ?? "").phoneNumbers.list();
    expect(pool).toHaveLength(1);

    const { up: second } = await previewThenUp(stack);
    expect(changingSteps(second.events)).toEqual([
      `create ServiceNumber ${account.id}-main-attachment`,
    ]);
    const exported = JSON.parse((await stack.cli(["stack", "export"])).stdout);
    const attachment = exported.deployment.resources.find((r: { type: string }) =>
      r.type.endsWith(":ServiceNumber"),
    );
    expect(attachment.id).toBe(`${service?.sid}/${pool[0]?.sid}`);
    expect(attachment.outputs).toMatchObject({
      serviceSid: service?.sid,
      phoneNumberSid: pool[0]?.sid,
      phoneNumber: pool[0]?.phoneNumber,
      capabilities: expect.arrayContaining(["SMS"]),
    });

    const refresh = await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges).toEqual({
      same: expect.any(Number),
    });
    const third = await stack.pulumi(["preview"]);
    expect(twilioSteps(third.events).every((s) => s.startsWith("same "))).toBe(true);
  });
});
