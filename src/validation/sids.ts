/**
 * Twilio SID formats, the one copy the project uses (accounts schema, Twilio client, emulator):
 * two capital letters naming the kind (`AC` account, `SK` API key, `PN` phone number, `MG`
 * Messaging Service, `SM`/`MM` message), then 32 lower-case hex digits (Twilio never issues
 * upper-case ones, so an upper-case SID is a typo or a copy from somewhere else).
 */

/** The regular expression of a SID with this prefix. */
export function sidPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[0-9a-f]{32}$`);
}

export const ACCOUNT_SID_PATTERN = sidPattern("AC");
export const API_KEY_SID_PATTERN = sidPattern("SK");
export const PHONE_NUMBER_SID_PATTERN = sidPattern("PN");
export const MESSAGING_SERVICE_SID_PATTERN = sidPattern("MG");

/** True when `value` is a well-formed SID with this two-letter prefix. */
export function isSid(value: string, prefix: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && /^[0-9a-f]{32}$/.test(value.slice(2));
}
