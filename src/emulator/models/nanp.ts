/**
 * North American Numbering Plan facts the emulator needs: which three-digit codes are area codes,
 * which of them are Canadian, and how Twilio formats a +1 number for display.
 *
 * Twilio sells local numbers by area code in the US and Canada (`AreaCode` on search and purchase);
 * a code that is not a valid NANP area code is error 21451.
 */
import { countryOfAreaCode as countryOf } from "../../validation/phone-numbers";

/**
 * A code where Twilio sells local numbers: a geographic area code of the US or Canada, as
 * libphonenumber-js metadata knows them (src/validation/phone-numbers.ts, the same rule the
 * accounts YAML is checked with). Unassigned codes, N11 service codes, toll-free and the
 * Caribbean +1 countries are not.
 */
export function isValidAreaCode(code: string): boolean {
  const country = countryOf(code);
  return country === "US" || country === "CA";
}

/** ISO country of an area code: "CA" for Canadian codes, "US" otherwise (display of +1 numbers). */
export function countryOfAreaCode(code: string): "US" | "CA" {
  return countryOf(code) === "CA" ? "CA" : "US";
}

/** The area code of a +1 number, or undefined for numbers outside the NANP. */
export function areaCodeOf(e164: string): string | undefined {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164);
  return match ? match[1] : undefined;
}

/** ISO country of an E.164 number as far as the emulator knows ("US"/"CA" for +1, else undefined). */
export function countryOfNumber(e164: string): string | undefined {
  const areaCode = areaCodeOf(e164);
  return areaCode === undefined ? undefined : countryOfAreaCode(areaCode);
}

/** Twilio's display form of a +1 number, `(514) 555-0100`; other numbers are shown as given. */
export function formatNational(e164: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : e164;
}

/**
 * A US local number: +1 with a geographic US area code (libphonenumber-js metadata). These are the
 * "10DLC" numbers US carriers hold to A2P 10DLC registration; Canadian, toll-free and other +1
 * countries' numbers are not.
 */
export function isUsLocalNumber(e164: string): boolean {
  const areaCode = areaCodeOf(e164);
  return areaCode !== undefined && countryOf(areaCode) === "US";
}
