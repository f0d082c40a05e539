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

describe("a parked number (release: true, waiting for its release window)", () => {
  const parked = (n: number) => {
    const account = activeAccount(n);
    return {
      ...account,
      numbers: account.numbers.map((number) => ({
        ...number,
        parkedUntil: "2026-12-08T09:00:00.000Z",
      })),
    };
  };
  const synced = (n: number) =>
    row(n, { twilioPhoneNumberSid: numberSid(n), twilioMessagingServiceSid: serviceSid(n) });

  it("makes its row inactive at once, clearing the Messaging Service SID and keeping the number's", () => {
    const plan = planSync(outputsOf([parked(1)]), [synced(1)], noAccounts);
    expect(plan.parkings).toEqual(["row-1"]);
    expect(plan).toMatchObject({ updates: [], deactivations: [], creates: [], conflicts: [] });
  });

  it("counts a row already parked as unchanged, and makes it active again on a restore", () => {
    const done = row(1, { twilioPhoneNumberSid: numberSid(1), isActive: false });
    const again = planSync(outputsOf([parked(1)]), [done], noAccounts);
    expect(again).toMatchObject({ parkings: [], unchanged: 1 });
    expect(planSync(outputsOf([activeAccount(1)]), [done], noAccounts).updates).toEqual([
      {
        rowId: "row-1",
        twilioPhoneNumberSid: numberSid(1),
        twilioMessagingServiceSid: serviceSid(1),
      },
    ]);
  });

  it("parks the row of each number of a released account that waits, and deactivates the released ones", () => {
    const account = { ...parked(1), released: true, messagingServiceSid: null };
    const plan = planSync(
      outputsOf([account, releasedAccount(2)]),
      [synced(1), synced(2)],
      noAccounts,
    );
    expect(plan).toMatchObject({ parkings: ["row-1"], deactivations: ["row-2"] });
  });
});
