/**
 * Twilio resource identifiers: a two-letter type prefix and 32 lowercase hex digits.
 *
 * `AC` account, `SK` API key, `PN` phone number, `MG` Messaging Service, `SM`/`MM` message,
 * `AD` address, `IT` Trust Hub end user, `RD` supporting document, `BU` customer profile or trust
 * product (Twilio calls both "bundles"), `BV` bundle entity assignment, `EL` evaluation, `RN`
 * Trust Hub policy, `BN` A2P brand registration, `QE` US A2P campaign.
 */
import { randomBytes } from "node:crypto";
import { isSid as isAnySid } from "../validation/sids";

export type SidPrefix =
  | "AC"
  | "AD"
  | "BN"
  | "BU"
  | "BV"
  | "EL"
  | "IT"
  | "MG"
  | "MM"
  | "PN"
  | "QE"
  | "RD"
  | "RN"
  | "SK"
  | "SM";

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString("hex");
}

/** True when `value` is a well-formed SID of the given type (src/validation/sids.ts). */
export function isSid(value: string, prefix: SidPrefix): boolean {
  return isAnySid(value, prefix);
}
