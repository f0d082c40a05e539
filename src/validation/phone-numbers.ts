/*
 * The validation room (src/validation/): the one copy of the E.164, SID, area code and webhook URL
 * rules (phone-numbers.ts, sids.ts, urls.ts), used by the schema, the providers, the emulator, the
 * sync and the sender. Imports nothing of the project but src/util.
 */
/**
 * Phone number rules, the one copy used by the accounts schema, the emulator and the providers:
 * E.164, Twilio's number SIDs, and which North American area codes belong to which country.
 *
 * Area codes come from libphonenumber-js metadata (Google's, kept up to date upstream) rather than a
 * hand-kept list: a code is an area code of a country when a geographic number in it (fixed line or
 * mobile) is valid there. Unassigned codes (555, 200), N11 service codes (411), toll-free (800) and
 * premium (900) codes, and the Caribbean countries that share +1 are therefore not US/CA area codes.
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength } from "libphonenumber-js/max";

/** E.164: "+", a country code that does not start with 0, 7 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164_PATTERN.test(value);
}

/**
 * Why an E.164-shaped string is not a phone number that can exist (libphonenumber's validity: the
 * country's numbering plan, its lengths and number ranges), or undefined when it can. The shape
 * alone lets "+1514555010" (nine national digits) through; Twilio would then search for, or be
 * asked to adopt, a number no account can hold.
 */
export function invalidPhoneNumberReason(e164: string): string | undefined {
  const number = parsePhoneNumberFromString(e164);
  if (number?.isValid()) return undefined;
  switch (validatePhoneNumberLength(e164)) {
    case "INVALID_COUNTRY":
      return "no country has that calling code";
    case "TOO_SHORT":
      return `too short for a +${number?.countryCallingCode ?? "?"} number`;
    case "TOO_LONG":
      return `too long for a +${number?.countryCallingCode ?? "?"} number`;
    case "INVALID_LENGTH":
      return `not a length a +${number?.countryCallingCode ?? "?"} number has`;
    default:
      return `not a number in the numbering plan of +${number?.countryCallingCode ?? "?"}`;
  }
}

/** Three digits, as written in the YAML (a string: `"514"`). */
export const AREA_CODE_PATTERN = /^\d{3}$/;

/** Countries where Twilio sells local numbers by area code. */
export const AREA_CODE_COUNTRIES = ["US", "CA"] as const;

const GEOGRAPHIC_TYPES = new Set(["FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE"]);
/** Subscriber parts tried after the area code: one is enough, several guard against a gap. */
const SAMPLE_SUBSCRIBERS = ["2345678", "3456789", "7654321", "8675309", "4567890"];
const countryCache = new Map<string, string | null>();

/**
 * The ISO country whose geographic numbers use this NANP area code ("US", "CA", "JM", …), or
 * undefined when it is not a geographic area code anywhere.
 */
export function countryOfAreaCode(areaCode: string): string | undefined {
  if (!AREA_CODE_PATTERN.test(areaCode)) return undefined;
  const cached = countryCache.get(areaCode);
  if (cached !== undefined) return cached ?? undefined;
  let country: string | null = null;
  // N11 codes and codes starting with 0 or 1 never parse as geographic numbers: no special case.
  for (const subscriber of SAMPLE_SUBSCRIBERS) {
    const number = parsePhoneNumberFromString(`+1${areaCode}${subscriber}`);
    if (number?.isValid() && GEOGRAPHIC_TYPES.has(number.getType() ?? "")) {
      country = number.country ?? null;
      break;
    }
  }
  countryCache.set(areaCode, country);
  return country ?? undefined;
}

/** True when `areaCode` is a geographic area code of `country` (US or CA). */
export function isAreaCodeOf(areaCode: string, country: string): boolean {
  return countryOfAreaCode(areaCode) === country;
}
