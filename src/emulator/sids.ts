/**
 * Twilio resource identifiers: a two-letter type prefix and 32 lowercase hex digits
 * (`PN…` phone number, `MG…` Messaging Service, `SM…`/`MM…` message, `AC…` account, `SK…` API key).
 */
import { randomBytes } from "node:crypto";

export type SidPrefix = "AC" | "MG" | "MM" | "PN" | "SK" | "SM";

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString("hex");
}

/** True when `value` is a well-formed SID of the given type (the pattern in Twilio's spec). */
export function isSid(value: string, prefix: SidPrefix): boolean {
  return (
    value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2))
  );
}
