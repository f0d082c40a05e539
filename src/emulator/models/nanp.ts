/**
 * North American Numbering Plan facts the emulator needs: which three-digit codes are area codes,
 * which of them are Canadian, and how Twilio formats a +1 number for display.
 *
 * Twilio sells local numbers by area code in the US and Canada (`AreaCode` on search and purchase);
 * a code that is not a valid NANP area code is error 21451.
 */

/** Canadian geographic area codes (everything else that is valid is treated as US). */
const CANADIAN_AREA_CODES = new Set([
  204, 226, 236, 249, 250, 257, 263, 289, 306, 343, 354, 365, 367, 368, 382, 403, 416, 418, 428,
  431, 437, 438, 450, 460, 468, 474, 506, 514, 519, 548, 579, 581, 584, 587, 600, 604, 613, 639,
  647, 672, 683, 705, 709, 742, 753, 778, 780, 782, 807, 819, 825, 867, 873, 879, 902, 905,
]);

/** A NANP area code is NXX with N in 2-9, excluding the N11 service codes and the reserved N9X range. */
export function isValidAreaCode(code: string): boolean {
  if (!/^[2-9]\d\d$/.test(code)) return false;
  if (code[1] === "1" && code[2] === "1") return false; // 211, 311, … 911
  if (code[1] === "9") return false; // N9X: reserved for expansion
  return true;
}

/** ISO country of an area code: "CA" for Canadian codes, "US" otherwise. */
export function countryOfAreaCode(code: string): "US" | "CA" {
  return CANADIAN_AREA_CODES.has(Number(code)) ? "CA" : "US";
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
