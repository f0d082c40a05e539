/**
 * The call-transfer alert to staff, in the seed's text format (vapi-tools.service.ts):
 *
 *   URGENT: Call transfer incoming from <account name>
 *   Reason: <reason>
 *   Summary: <summary>
 *   Patient: <patient name, or Unknown>
 *
 * The alert must go out, so a summary that would push the text past Twilio's limit is shortened
 * (ending in "…") rather than refused.
 */
import { MAX_BODY_LENGTH } from "../sms/segments";

export interface StaffAlert {
  accountName: string;
  reason: string;
  summary: string;
  patientName?: string | null;
}

export function formatStaffAlert(alert: StaffAlert): string {
  const head = `URGENT: Call transfer incoming from ${alert.accountName}\nReason: ${alert.reason}\nSummary: `;
  const tail = `\nPatient: ${alert.patientName || "Unknown"}`;
  const room = MAX_BODY_LENGTH - head.length - tail.length;
  let summary = alert.summary;
  if (summary.length > room) {
    // Whole code points only, so no half emoji is left before the ellipsis.
    let kept = "";
    for (const ch of summary) {
      if (kept.length + ch.length > room - 1) break;
      kept += ch;
    }
    summary = `${kept}…`;
  }
  return `${head}${summary}${tail}`;
}
