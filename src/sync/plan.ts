/**
 * The sync's decisions, without the database: given the stack outputs and the rows they may
 * concern, what to create, update, deactivate, and what to report. Pure, so every rule is plain to
 * read here and the same plan serves --dry-run and the real run (docs/sync.md, "Matching rules").
 */
import type { VapiPhoneNumber } from "../db";
import type { StackAccountOutput, StackNumberOutput, StackOutputs } from "./contract";

/** The columns of a `VapiPhoneNumber` row the sync reads (types from the Prisma schema). */
export type PhoneRow = Pick<
  VapiPhoneNumber,
  | "id"
  | "accountId"
  | "vapiPhoneId"
  | "phoneNumber"
  | "twilioPhoneNumberSid"
  | "twilioMessagingServiceSid"
  | "isActive"
>;

/** A number of the outputs, as the reports name it. */
export interface NumberRef {
  accountId: string;
  number: string;
  phoneNumber: string | null;
  sid: string | null;
  vapiPhoneId: string | null;
}

export interface Conflict extends NumberRef {
  /** What disagrees, naming the row; nothing was written for this number. */
  reason: string;
}

export interface RowCreate {
  accountId: string;
  vapiPhoneId: string;
  phoneNumber: string;
  name: string;
  twilioPhoneNumberSid: string;
  twilioMessagingServiceSid: string;
}

export interface RowUpdate {
  rowId: string;
  twilioPhoneNumberSid: string;
  twilioMessagingServiceSid: string;
}

/**
 * A number bought again after it vanished from Twilio (contract `replacesSid`): its row, found by
 * the SID it replaces, moves to the new phone number and SID. The customer's number changed.
 */
export interface Renumbered extends NumberRef {
  rowId: string;
  previousPhoneNumber: string;
  previousSid: string;
}

export interface RowRenumber extends Renumbered {
  twilioMessagingServiceSid: string;
}

export interface SyncPlan {
  /** Account rows to create (id and name from the YAML), only those that do not exist. */
  accountsToCreate: Array<{ id: string; name: string }>;
  creates: RowCreate[];
  updates: RowUpdate[];
  /** Rows of numbers bought again: phone number and both SIDs set, isActive true. */
  renumbers: RowRenumber[];
  /** Rows of released numbers: both SIDs cleared, isActive false. */
  deactivations: string[];
  /**
   * Rows of parked numbers (release: true, waiting for their release window): isActive false and
   * the Messaging Service SID cleared (the number left the service); the number's SID is kept, the
   * number is still the account's until the window ends (a restore makes the row active again).
   */
  parkings: string[];
  unchanged: number;
  unmatched: NumberRef[];
  conflicts: Conflict[];
}

/** The keys by which rows are looked up (what the database is asked for). */
export function lookupKeys(outputs: StackOutputs): {
  sids: string[];
  phoneNumbers: string[];
  vapiPhoneIds: string[];
  accountIds: string[];
} {
  const sids = new Set<string>();
  const phoneNumbers = new Set<string>();
  const vapiPhoneIds = new Set<string>();
  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      if (number.sid) sids.add(number.sid);
      if (number.replacesSid) sids.add(number.replacesSid);
      if (number.phoneNumber) phoneNumbers.add(number.phoneNumber);
      if (number.vapiPhoneId) vapiPhoneIds.add(number.vapiPhoneId);
    }
  }
  return {
    sids: [...sids],
    phoneNumbers: [...phoneNumbers],
    vapiPhoneIds: [...vapiPhoneIds],
    accountIds: [...new Set(outputs.accounts.map((a) => a.accountId))],
  };
}

function refOf(account: StackAccountOutput, number: StackNumberOutput): NumberRef {
  return {
    accountId: account.accountId,
    number: number.name,
    phoneNumber: number.phoneNumber,
    sid: number.sid,
    vapiPhoneId: number.vapiPhoneId,
  };
}

function indexBy<K extends keyof PhoneRow>(
  rows: readonly PhoneRow[],
  key: K,
): Map<string, PhoneRow> {
  const map = new Map<string, PhoneRow>();
  for (const row of rows) {
    const value = row[key];
    if (typeof value === "string" && !map.has(value)) map.set(value, row);
  }
  return map;
}

/**
 * Plans the sync of `outputs` against `rows` (every row whose number SID, phone number or Vapi
 * phone id appears in the outputs) and `existingAccountIds`.
 */
export function planSync(
  outputs: StackOutputs,
  rows: readonly PhoneRow[],
  existingAccountIds: ReadonlySet<string>,
): SyncPlan {
  const bySid = indexBy(rows, "twilioPhoneNumberSid");
  const byPhone = indexBy(rows, "phoneNumber");
  const byVapi = indexBy(rows, "vapiPhoneId");
  const plan: SyncPlan = {
    accountsToCreate: [],
    creates: [],
    updates: [],
    renumbers: [],
    deactivations: [],
    parkings: [],
    unchanged: 0,
    unmatched: [],
    conflicts: [],
  };
  const accountsPlanned = new Set<string>();
  /** Rows and Vapi phone ids an active number of this run already took, with who took them. */
  const claimedRows = new Map<string, NumberRef>();
  const claimedVapi = new Map<string, NumberRef>();
  const activePhones = new Set<string>();
  const conflict = (ref: NumberRef, reason: string) => plan.conflicts.push({ ...ref, reason });
  const describe = (ref: NumberRef) => `number '${ref.number}' of account ${ref.accountId}`;

  // Active numbers first: a released entry must not clear a row an active one just claimed (the
  // same E.164 bought again after a release).
  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      if (!number.released && !number.parkedUntil && number.phoneNumber) {
        activePhones.add(number.phoneNumber);
      }
    }
  }

  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      if (number.released || number.parkedUntil) continue;
      const ref = refOf(account, number);
      // The contract guarantees these for an active number of an active account.
      const sid = number.sid as string;
      const phoneNumber = number.phoneNumber as string;
      const serviceSid = account.messagingServiceSid as string;
      const current = bySid.get(sid) ?? byPhone.get(phoneNumber);
      // Bought again (providers/phone-number.ts): no row knows the new number yet, the row of the
      // number it replaces is this number's, moved to the new phone number below.
      const replaced =
        current === undefined && number.replacesSid ? bySid.get(number.replacesSid) : undefined;
      const row = current ?? replaced;

      if (row !== undefined) {
        // The row's own phone number: the old one when this number replaces it.
        const rowFor = `row ${row.id} for ${row.phoneNumber}${replaced ? ` (replaced by ${phoneNumber})` : ""}`;
        const taken = claimedRows.get(row.id);
        if (taken) {
          conflict(
            ref,
            `row ${row.id} (${row.phoneNumber}) is already matched by ${describe(taken)}`,
          );
        } else if (replaced === undefined && row.phoneNumber !== phoneNumber) {
          conflict(ref, `row ${row.id} holds SID ${sid} but phone number ${row.phoneNumber}`);
        } else if (number.vapiPhoneId !== null && row.vapiPhoneId !== number.vapiPhoneId) {
          conflict(
            ref,
            `${rowFor} has vapiPhoneId ${row.vapiPhoneId}, the YAML says ${number.vapiPhoneId}`,
          );
        } else if (row.accountId !== account.accountId) {
          conflict(ref, `${rowFor} belongs to account ${row.accountId}`);
        } else {
          claimedRows.set(row.id, ref);
          const upToDate =
            row.twilioPhoneNumberSid === sid &&
            row.twilioMessagingServiceSid === serviceSid &&
            row.isActive;
          if (replaced !== undefined) {
            plan.renumbers.push({
              ...ref,
              rowId: row.id,
              previousPhoneNumber: row.phoneNumber,
              previousSid: number.replacesSid as string,
              twilioMessagingServiceSid: serviceSid,
            });
          } else if (upToDate) plan.unchanged++;
          else
            plan.updates.push({
              rowId: row.id,
              twilioPhoneNumberSid: sid,
              twilioMessagingServiceSid: serviceSid,
            });
        }
        continue;
      }

      if (number.vapiPhoneId === null) {
        plan.unmatched.push(ref);
        continue;
      }
      const owner = byVapi.get(number.vapiPhoneId);
      const declaredTwice = claimedVapi.get(number.vapiPhoneId);
      if (owner !== undefined) {
        conflict(
          ref,
          `vapiPhoneId ${number.vapiPhoneId} belongs to row ${owner.id} of another phone number, ${owner.phoneNumber}`,
        );
        continue;
      }
      if (declaredTwice) {
        conflict(
          ref,
          `vapiPhoneId ${number.vapiPhoneId} is also given to ${describe(declaredTwice)}`,
        );
        continue;
      }
      claimedVapi.set(number.vapiPhoneId, ref);
      if (!existingAccountIds.has(account.accountId) && !accountsPlanned.has(account.accountId)) {
        accountsPlanned.add(account.accountId);
        plan.accountsToCreate.push({ id: account.accountId, name: account.name });
      }
      plan.creates.push({
        accountId: account.accountId,
        vapiPhoneId: number.vapiPhoneId,
        phoneNumber,
        name: number.name,
        twilioPhoneNumberSid: sid,
        twilioMessagingServiceSid: serviceSid,
      });
    }
  }

  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      if (!number.released && !number.parkedUntil) continue;
      const parked = !number.released;
      const ref = refOf(account, number);
      const row =
        (number.sid ? bySid.get(number.sid) : undefined) ??
        (number.phoneNumber && !activePhones.has(number.phoneNumber)
          ? byPhone.get(number.phoneNumber)
          : undefined);
      if (row === undefined || claimedRows.has(row.id)) {
        // Nothing holds this number: there is nothing to clear (never bought, or never synced).
        plan.unchanged++;
        continue;
      }
      if (
        row.twilioPhoneNumberSid !== null &&
        number.sid !== null &&
        row.twilioPhoneNumberSid !== number.sid
      ) {
        conflict(
          ref,
          `row ${row.id} for ${row.phoneNumber} holds another number SID, ${row.twilioPhoneNumberSid}, than the ${parked ? "parked" : "released"} ${number.sid}`,
        );
        continue;
      }
      claimedRows.set(row.id, ref);
      if (parked) {
        const done =
          row.twilioPhoneNumberSid === number.sid &&
          row.twilioMessagingServiceSid === null &&
          !row.isActive;
        if (done) plan.unchanged++;
        else plan.parkings.push(row.id);
        continue;
      }
      const cleared =
        row.twilioPhoneNumberSid === null &&
        row.twilioMessagingServiceSid === null &&
        !row.isActive;
      if (cleared) plan.unchanged++;
      else plan.deactivations.push(row.id);
    }
  }
  return plan;
}
