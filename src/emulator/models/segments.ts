/**
 * How many SMS segments a body takes, as Twilio counts it for `num_segments`.
 *
 * A body made only of GSM-7 characters is sent 7-bit: 160 characters in a single segment, 153 per
 * segment once it has to be split (the rest carries the concatenation header); the extension
 * characters (`^{}\[~]|€` and form feed) take two septets each and are never split across
 * segments. Any other character switches the whole body to UCS-2: 70 UTF-16 code units in a single
 * segment, 67 per segment when split, and a surrogate pair (an emoji) is never split.
 */

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
}

/**
 * Smart Encoding (a Messaging Service setting, or `SmartEncoded=true` on the message): Twilio
 * replaces common Unicode look-alikes with GSM-7 characters so a body is not sent as UCS-2 for a
 * curly quote.
 */
const SMART_REPLACEMENTS: Record<string, string> = {
  "\u00a0": " ",
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u2032": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u2033": '"',
  "\u00ab": '"',
  "\u00bb": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2010": "-",
  "\u2011": "-",
  "\u2026": "...",
  "\u2022": "-",
};

export function smartEncode(body: string): string {
  let out = "";
  for (const ch of body) out += SMART_REPLACEMENTS[ch] ?? ch;
  return out;
}

export function isGsm7(body: string): boolean {
  for (const ch of body) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

export function countSegments(body: string): SegmentCount {
  if (isGsm7(body)) {
    const units = [...body].map((ch) => (EXTENSION.has(ch) ? 2 : 1));
    return { encoding: "GSM-7", segments: split(units, 160, 153) };
  }
  // UCS-2: one unit per UTF-16 code unit; iterating code points keeps surrogate pairs together.
  const units = [...body].map((ch) => ch.length);
  return { encoding: "UCS-2", segments: split(units, 70, 67) };
}

/** Segments needed for characters of the given sizes: one if all fit `single`, else parts of `part`. */
function split(units: number[], single: number, part: number): number {
  const total = units.reduce((sum, u) => sum + u, 0);
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > part) {
      segments++;
      used = 0;
    }
    used += u;
  }
  return segments;
}
