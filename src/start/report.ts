/**
 * What `npm start` prints for a person: the accounts with their numbers, Messaging Service SIDs and
 * database rows, the test messages, and one closing sentence that says whether anything changed.
 */
import type { StackOutputs } from "../sync/contract";

/** The columns of a `VapiPhoneNumber` row the table shows. */
export interface PhoneRowView {
  phoneNumber: string;
  vapiPhoneId: string;
  isActive: boolean;
  twilioPhoneNumberSid: string | null;
  twilioMessagingServiceSid: string | null;
}

/** A number the sync wrote nothing for, and why (a `Conflict` of src/sync fits). */
export interface SyncIssue {
  accountId: string;
  /** The number's name in the YAML. */
  number: string;
  reason: string;
}

export interface TestMessage {
  accountName: string;
  /** Set when Twilio accepted the message. */
  sid?: string;
  segments?: number;
  encoding?: string;
  estimatedCostUsd?: number;
  /** Why no message was sent (e.g. the account is released). */
  skipped?: string;
  /** The sender's error, reason first. */
  error?: string;
}

/** Lays out rows of cells as aligned columns, with a header and a rule under it. */
export function renderColumns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * One line per number: account, number, E.164, PN SID, the account's MG SID, and what the database
 * row holds ("row ok" when it carries the same SIDs and is active, else what differs).
 */
export function renderAccountsTable(
  outputs: StackOutputs,
  rows: PhoneRowView[],
  conflicts: SyncIssue[] = [],
): string {
  const byPhone = new Map(rows.map((row) => [row.phoneNumber, row]));
  // A conflict is the sync's verdict on that number: the row was left as it was, so "differs (run
  // the sync)" would send the reader round in a circle.
  const conflictOf = new Map(conflicts.map((c) => [`${c.accountId}\n${c.number}`, c.reason]));
  const table: string[][] = [];
  for (const account of outputs.accounts) {
    for (const number of account.numbers) {
      const row = number.phoneNumber ? byPhone.get(number.phoneNumber) : undefined;
      const conflict = conflictOf.get(`${account.accountId}\n${number.name}`);
      table.push([
        account.name,
        number.name,
        number.phoneNumber ?? "-",
        number.sid ?? "-",
        number.released ? "(released)" : (account.messagingServiceSid ?? "-"),
        conflict
          ? `conflict, nothing written: ${conflict}`
          : describeRow(number.released, number.sid, account.messagingServiceSid, row),
      ]);
    }
  }
  return renderColumns(
    ["account", "number", "phone", "number SID", "Messaging Service", "VapiPhoneNumber row"],
    table,
  );
}

function describeRow(
  released: boolean,
  numberSid: string | null,
  serviceSid: string | null,
  row: PhoneRowView | undefined,
): string {
  if (!row) return "no row (no vapiPhoneId in the YAML)";
  if (released) {
    return row.isActive || row.twilioPhoneNumberSid
      ? "row still active (run the sync)"
      : `${row.vapiPhoneId}: inactive, SIDs cleared`;
  }
  const same =
    row.isActive &&
    row.twilioPhoneNumberSid === numberSid &&
    row.twilioMessagingServiceSid === serviceSid;
  return same
    ? `${row.vapiPhoneId}: active, SIDs match`
    : `${row.vapiPhoneId}: differs (run the sync)`;
}

export function renderTestMessages(messages: TestMessage[], to: string): string {
  const rows = messages.map((m) => [
    m.accountName,
    m.sid ?? (m.skipped ? "skipped" : "failed"),
    m.segments !== undefined ? String(m.segments) : "-",
    m.encoding ?? "-",
    m.estimatedCostUsd !== undefined ? `$${m.estimatedCostUsd.toFixed(4)}` : "-",
    m.skipped ?? m.error ?? "",
  ]);
  return `Test SMS to ${to}, one per account, through the sender package (src/sender):\n${renderColumns(
    ["account", "message SID", "segments", "encoding", "est. cost", "note"],
    rows,
  )}`;
}

export interface RunChanges {
  /** POST/DELETE calls the deployment made to Twilio (numbers, services, attachments). */
  twilioMutations: number;
  /** Rows the sync created, updated or deactivated. */
  rowsChanged: number;
}

/** The closing sentence: a second run with an unchanged file says that nothing changed. */
export function renderOutcome(changes: RunChanges): string {
  if (changes.twilioMutations === 0 && changes.rowsChanged === 0) {
    return "No changes: Twilio already matched the YAML (0 changing calls for numbers, services and attachments) and the database rows were up to date.";
  }
  return `Changed: ${changes.twilioMutations} changing Twilio call(s) for numbers, services and attachments; ${changes.rowsChanged} database row(s) written. Run npm start again: it will change nothing.`;
}
