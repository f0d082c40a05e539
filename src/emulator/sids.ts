/**
 * Twilio resource identifiers: a two-letter type prefix and 32 lowercase hex digits
 * (`PN…` phone number, `MG…` Messaging Service, `SM…`/`MM…` message, `AC…` account, `SK…` API key).
 */
import { randomBytes } from "node:crypto";
import { isSid as isAnySid } from "../validation/sids";

export type SidPrefix = "AC" | "MG" | "MM" | "PN" | "SK" | "SM";

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString("hex");
}

/** True when `value` is a well-formed SID of the given type (src/validation/sids.ts). */
export function isSid(value: string, prefix: SidPrefix): boolean {
  return isAnySid(value, prefix);
}
