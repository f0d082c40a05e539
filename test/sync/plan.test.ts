/**
 * The matching rules of the sync, one by one, on the pure planner (the database tests in
 * sync.test.ts run the same plan through real transactions).
 */
import { describe, expect, it } from "vitest";
import { type PhoneRow, planSync } from "../../src/sync/plan";
import {
  accountId,
  activeAccount,
  mainNumber,
  numberSid,
  outputsOf,
  phoneNumber,
  releasedAccount,
  serviceSid,
  vapiPhoneId,
  withMainNumber,
} from "./fixtures";

function row(n: number, fields: Partial<PhoneRow> = {}): PhoneRow {
  return {
    id: `row-${n}`,
    accountId: accountId(n),
    vapiPhoneId: vapiPhoneId(n),
    phoneNumber: phoneNumber(n),
    twilioPhoneNumberSid: null,
    twilioMessagingServiceSid: null,
    isActive: true,
    ...fields,
  };
}

const noAccounts = new Set<string>();

describe("matching an active number", () => {
  it("prefers the row holding its number SID over the row holding its phone number", () => {
    // Row 9 holds number 1's SID and phone number; row 1 is unrelated here.
    const bySid = row(9, {
      accountId: accountId(1),
      phoneNumber: phoneNumber(1),
      twilioPhoneNumberSid: numberSid(1),
      vapiPhoneId: vapiPhoneId(1),
    });
    const plan = planSync(outputsOf([activeAccount(1)]), [bySid], noAccounts);
    expect(plan.updates).toEqual([
      {
        rowId: "row-9",
        twilioPhoneNumberSid: numberSid(1),
        twilioMessagingServiceSid: serviceSid(1),
      },
    ]);
  });

  it("reactivates an inactive row that already holds the SIDs", () => {
    const inactive = row(1, {
      twilioPhoneNumberSid: numberSid(1),
      twilioMessagingServiceSid: serviceSid(1),
      isActive: false,
    });
    expect(planSync(outputsOf([activeAccount(1)]), [inactive], noAccounts).updates).toHaveLength(1);
  });

  it.each([
    [
      "a row holding its SID with another phone number",
      row(1, { phoneNumber: "+15149999999", twilioPhoneNumberSid: numberSid(1) }),
      /holds SID .* but phone number \+15149999999/,
    ],
    [
      "a row whose vapiPhoneId differs from the YAML's",
      row(1, { vapiPhoneId: "vapi-other" }),
      /has vapiPhoneId vapi-other, the YAML says vapi-1/,
    ],
    [
      "a row of another account",
      row(1, { accountId: accountId(2) }),
      new RegExp(`belongs to account ${accountId(2)}`),
    ],
  ])("reports %s as a conflict and plans nothing for it", (_, existing, reason) => {
    const plan = planSync(outputsOf([activeAccount(1)]), [existing], noAccounts);
    expect(plan.conflicts).toEqual([
      expect.objectContaining({ number: "main", reason: expect.stringMatching(reason) }),
    ]);
    expect([plan.updates, plan.creates, plan.deactivations]).toEqual([[], [], []]);
  });

  it("creates the Account only when it does not exist, once per account", () => {
    const twoNumbers = activeAccount(1);
    twoNumbers.numbers.push({ ...mainNumber(activeAccount(2)), name: "second" });
    const plan = planSync(outputsOf([twoNumbers, activeAccount(3)]), [], new Set([accountId(3)]));
    expect(plan.accountsToCreate).toEqual([{ id: accountId(1), name: "Clinic 1" }]);
    expect(plan.creates.map((c) => [c.accountId, c.name])).toEqual([
      [accountId(1), "main"],
      [accountId(1), "second"],
      [accountId(3), "main"],
    ]);
  });

  it("reports a vapiPhoneId given to two numbers of the outputs as a conflict for the second", () => {
    const plan = planSync(
      outputsOf([activeAccount(1), activeAccount(2, { vapiPhoneId: vapiPhoneId(1) })]),
      [],
      noAccounts,
    );
    expect(plan.creates.map((c) => c.phoneNumber)).toEqual([phoneNumber(1)]);
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        accountId: accountId(2),
        reason: `vapiPhoneId vapi-1 is also given to number 'main' of account ${accountId(1)}`,
      }),
    ]);
  });
});

describe("released numbers", () => {
  it("counts a released number with no row, or never bought, as unchanged: there is nothing to clear", () => {
    const neverBought = withMainNumber(releasedAccount(2), { sid: null, phoneNumber: null });
    const plan = planSync(outputsOf([releasedAccount(1), neverBought]), [], noAccounts);
    expect(plan).toMatchObject({ unchanged: 2, deactivations: [], unmatched: [], conflicts: [] });
  });

  it("does not clear a row an active number of the same run holds (the E.164 bought again)", () => {
    const rebought = withMainNumber(activeAccount(1), { sid: numberSid(100) });
    const released = {
      ...withMainNumber(releasedAccount(1), { vapiPhoneId: null }),
      accountId: accountId(5),
    };
    const existing = row(1, {
      twilioPhoneNumberSid: numberSid(100),
      twilioMessagingServiceSid: serviceSid(1),
    });
    const plan = planSync(outputsOf([released, rebought]), [existing], noAccounts);
    expect(plan).toMatchObject({ deactivations: [], conflicts: [], unchanged: 2 });
  });

  it("reports a row matched by phone number that holds another number SID as a conflict", () => {
    const existing = row(1, { twilioPhoneNumberSid: numberSid(100) });
    const plan = planSync(outputsOf([releasedAccount(1)]), [existing], noAccounts);
    expect(plan.deactivations).toEqual([]);
    expect(plan.conflicts[0]?.reason).toMatch(/holds another number SID/);
  });
});
