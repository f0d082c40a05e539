/*
 * The sms room (src/sms/): what a message body costs, segments (this file) and price (cost.ts),
 * shared by the sender and the emulator. Imports nothing of the project but src/util.
 */
/**
 * How many SMS segments a body takes, as Twilio counts it (`num_segments`, and what it bills).
 * One implementation, shared by the sender's cost estimate and the emulator's `num_segments`.
 *
 * A body made only of GSM-7 characters is sent 7-bit: 160 septets in a single segment, 153 per
 * segment once it has to be split (the rest of each segment carries the concatenation header);
 * the extension characters (`^{}\[~]|€` and form feed) take two septets (escape + character) and
 * are never split across segments. Any other character switches the whole body to UCS-2: 70
 * UTF-16 code units in a single segment, 67 per segment when split, and a user-perceived character
 * (a grapheme: an emoji, with its skin tone or zero-width joiners, a letter with its accents) is
 * never split across segments, as Twilio's segment calculator (`sms-segments-calculator`, our test
 * oracle) keeps it whole.
 */

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** Twilio's limit on a message body, in UTF-16 code units (an emoji counts twice): error 21617. */
export const MAX_BODY_LENGTH = 1600;

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
}

/** Septets (GSM-7) or UTF-16 code units (UCS-2) per segment: alone, and once split. */
export const SEGMENT_CAPACITY = {
  "GSM-7": { single: 160, part: 153 },
  "UCS-2": { single: 70, part: 67 },
} as const satisfies Record<SmsEncoding, { single: number; part: number }>;

/**
 * Smart Encoding (a Messaging Service setting, on by default, or `SmartEncoded=true` on the
 * message): Twilio replaces common Unicode look-alikes with GSM-7 characters so a body is not sent
 * as UCS-2 for a curly quote. This is the common subset; Twilio replaces more, so a count made
 * with it is an upper bound for rarer look-alikes.
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

let graphemeSegmenter: Intl.Segmenter | undefined;

/** UTF-16 length of each grapheme: the pieces a UCS-2 body is never split inside. */
function graphemeSizes(body: string): number[] {
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return Array.from(graphemeSegmenter.segment(body), (g) => g.segment.length);
}

export function countSegments(body: string): SegmentCount {
  if (isGsm7(body)) {
    const septets = Array.from(body, (ch) => (EXTENSION.has(ch) ? 2 : 1));
    return { encoding: "GSM-7", segments: split(septets, SEGMENT_CAPACITY["GSM-7"]) };
  }
  return { encoding: "UCS-2", segments: split(graphemeSizes(body), SEGMENT_CAPACITY["UCS-2"]) };
}

/** Segments needed for pieces of the given sizes: one if all fit `single`, else parts of `part`. */
function split(sizes: number[], capacity: { single: number; part: number }): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= capacity.single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity.part && used > 0) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return segments;
}
