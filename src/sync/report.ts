/**
 * How a sync reads to a person (the summary table) and to a program (`--json`).
 */
import type { NumberRef } from "./plan";
import type { SyncReport, SyncResult } from "./sync";

/** A sync that left something for a person to look at exits 1. */
export function isClean(report: SyncReport): boolean {
  return report.unmatched.length === 0 && report.conflicts.length === 0;
}

export function renderJson(report: SyncReport): string {
  const { created, updated, unchanged, deactivated, parked, renumbered, unmatched, conflicts } =
    report;
  return JSON.stringify(
    {
      created,
      updated,
      unchanged,
      deactivated,
      parked,
      ...(renumbered ? { renumbered } : {}),
      unmatched,
      conflicts,
    },
    null,
    2,
  );
}

function describeNumber(ref: NumberRef): string {
  return [
    `account ${ref.accountId}`,
    `number ${ref.number}`,
    ref.phoneNumber ?? "(no phone number)",
    ref.sid ?? "(no SID)",
    ref.vapiPhoneId ? `vapiPhoneId ${ref.vapiPhoneId}` : "no vapiPhoneId",
  ].join("  ");
}

/** The summary table and the numbers that need a person, as printed by `npm run sync`. */
export function renderSummary(result: SyncResult, source: string, target: string): string {
  const { report } = result;
  const renumbered = report.renumbered ?? [];
  const lines: string[] = [];
  lines.push(
    `${result.dryRun ? "Dry run (nothing written): " : ""}sync of ${source} into ${target}: ` +
      `${result.accounts} account(s), ${result.numbers} number(s)`,
  );
  lines.push("");
  const accountNote =
    result.accountsCreated > 0
      ? `  (${result.accountsCreated} new Account row${result.accountsCreated === 1 ? "" : "s"})`
      : "";
  const rows: Array<[string, number, string]> = [
    ["created", report.created, accountNote],
    ["updated", report.updated, ""],
    ["unchanged", report.unchanged, ""],
    ["deactivated", report.deactivated, ""],
    // Only when there are parked numbers: most syncs have none.
    ...(report.parked > 0
      ? [
          ["parked", report.parked, "  (inactive until restored or released)"] as [
            string,
            number,
            string,
          ],
        ]
      : []),
    // Only when a number was bought again (its row moved to the new number, listed below).
    ...(renumbered.length > 0
      ? [
          ["renumbered", renumbered.length, "  (the customer's number changed)"] as [
            string,
            number,
            string,
          ],
        ]
      : []),
    ["unmatched", report.unmatched.length, ""],
    ["conflicts", report.conflicts.length, ""],
  ];
  const width = Math.max(...rows.map(([, n]) => String(n).length), "numbers".length);
  lines.push(`  ${"".padEnd(11)}  ${"numbers".padStart(width)}`);
  for (const [label, count, note] of rows) {
    lines.push(`  ${label.padEnd(11)}  ${String(count).padStart(width)}${note}`);
  }
  if (renumbered.length > 0) {
    lines.push("");
    lines.push(
      "Renumbered (bought again after it vanished from Twilio; the row moved to the new number):",
    );
    for (const r of renumbered) {
      lines.push(
        `  account ${r.accountId}  number ${r.number}  row ${r.rowId}: ${r.previousPhoneNumber} (${r.previousSid}) -> ${r.phoneNumber} (${r.sid})`,
      );
    }
  }
  if (report.unmatched.length > 0) {
    lines.push("");
    lines.push(
      "Unmatched (no row has this number's SID or phone number, and the YAML gives no vapiPhoneId to create one):",
    );
    for (const ref of report.unmatched) lines.push(`  ${describeNumber(ref)}`);
  }
  if (report.conflicts.length > 0) {
    lines.push("");
    lines.push("Conflicts (nothing written for these numbers):");
    for (const conflict of report.conflicts) {
      lines.push(`  ${describeNumber(conflict)}`);
      lines.push(`    ${conflict.reason}`);
    }
  }
  lines.push("");
  lines.push(
    isClean(report)
      ? result.dryRun
        ? "Nothing was written (--dry-run)."
        : "Done."
      : `Needs a look: ${report.unmatched.length} unmatched, ${report.conflicts.length} conflict(s)${
          result.dryRun ? " (--dry-run: nothing was written)" : "; everything else was written"
        }.`,
  );
  return lines.join("\n");
}
