/**
 * Segment counts and cost estimates (src/sms/), against Twilio's documented rules and Twilio's own
 * segment calculator (`sms-segments-calculator`, the oracle: a test dependency only).
 */
import { SegmentedMessage } from "sms-segments-calculator";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_PER_SEGMENT_USD, estimateSms } from "../../src/sms/cost";
import { countSegments, MAX_BODY_LENGTH } from "../../src/sms/segments";

const oracle = (body: string) => {
  const m = new SegmentedMessage(body);
  return { encoding: m.encodingName, segments: m.segmentsCount };
};

// body, encoding, segments, estimated cost at the seed's $0.0075 per segment
const TABLE: [string, string, "GSM-7" | "UCS-2", number, number][] = [
  ["short GSM-7", "Your appointment is confirmed", "GSM-7", 1, 0.0075],
  ["160 GSM-7 characters fill one segment", "a".repeat(160), "GSM-7", 1, 0.0075],
  ["161 need two: 153 + 8 with headers", "a".repeat(161), "GSM-7", 2, 0.015],
  ["306 GSM-7 = 2 × 153", "a".repeat(306), "GSM-7", 2, 0.015],
  ["307 GSM-7 need a third", "a".repeat(307), "GSM-7", 3, 0.0225],
  ["GSM-7 basic accents stay 7-bit", "Café à Montréal, Ñoño über Zürich", "GSM-7", 1, 0.0075],
  ["extension characters are 2 septets: 80 € fit", "€".repeat(80), "GSM-7", 1, 0.0075],
  ["81 € (162 septets) need two", "€".repeat(81), "GSM-7", 2, 0.015],
  ["an escape pair is never split", `${"a".repeat(152)}{${"a".repeat(10)}`, "GSM-7", 2, 0.015],
  ["braces, brackets, tilde, pipe, caret", "{[~|^]} \\", "GSM-7", 1, 0.0075],
  ["one emoji switches to UCS-2", "Hi 👋", "UCS-2", 1, 0.0075],
  ["70 UCS-2 units fill one segment", "ж".repeat(70), "UCS-2", 1, 0.0075],
  ["71 need two: 67 + 4", "ж".repeat(71), "UCS-2", 2, 0.015],
  ["an emoji (2 units) is never split", `${"ж".repeat(66)}😀${"ж".repeat(3)}`, "UCS-2", 2, 0.015],
  ["35 emoji = 70 units: one segment", "😀".repeat(35), "UCS-2", 1, 0.0075],
  ["36 emoji: two", "😀".repeat(36), "UCS-2", 2, 0.015],
  [
    "a family emoji (ZWJ) stays whole",
    `${"ж".repeat(60)}👨‍👩‍👧${"ж".repeat(10)}`,
    "UCS-2",
    2,
    0.015,
  ],
  ["a long multi-segment UCS-2 alert", `Rappel 📅 ${"é😀".repeat(100)}`, "UCS-2", 5, 0.0375],
  [
    "the seed's staff alert",
    "URGENT: Call transfer incoming from Downtown Montreal Dentistry\nReason: pain\nSummary: Patient reports a broken tooth since yesterday\nPatient: Unknown",
    "GSM-7",
    1,
    0.0075,
  ],
];

describe("segments and cost", () => {
  it.each(TABLE)("%s", (_name, body, encoding, segments, cost) => {
    expect(countSegments(body)).toEqual({ encoding, segments });
    expect(estimateSms(body)).toEqual({ encoding, segments, estimatedCostUsd: cost });
    expect(oracle(body)).toEqual({ encoding, segments });
  });

  it("agrees with Twilio's segment calculator on 1000 random bodies", () => {
    // Bodies mixing basic GSM-7, extension characters, Cyrillic, emoji with modifiers and ZWJ.
    const pieces = [
      "a",
      "Z",
      " ",
      "\n",
      "é",
      "@",
      "€",
      "{",
      "]",
      "ж",
      "😀",
      "👍🏽",
      "👨‍👩‍👧",
      "中",
    ];
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const differences: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const pool = pieces.filter(() => next() < 0.35);
      const usable = pool.length > 0 ? pool : ["a"];
      let body = "";
      const length = 1 + Math.floor(next() * 400);
      for (let j = 0; j < length; j++) body += usable[Math.floor(next() * usable.length)];
      if (JSON.stringify(countSegments(body)) !== JSON.stringify(oracle(body)))
        differences.push(body);
    }
    expect(differences).toEqual([]);
  });

  it("smart encoding keeps curly quotes and dashes in GSM-7, as a Messaging Service does", () => {
    const body = "“Don’t forget” – your appointment…";
    expect(estimateSms(body)).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(estimateSms(body, { smartEncoding: false })).toMatchObject({ encoding: "UCS-2" });
  });

  it("prices per segment, the seed's $0.0075 by default, or the configured price", () => {
    expect(DEFAULT_PRICE_PER_SEGMENT_USD).toBe(0.0075);
    const body = "a".repeat(1600);
    expect(estimateSms(body)).toEqual({
      encoding: "GSM-7",
      segments: 11,
      estimatedCostUsd: 0.0825,
    });
    expect(estimateSms(body, { pricePerSegmentUsd: 0.0079 }).estimatedCostUsd).toBe(0.0869);
    expect(MAX_BODY_LENGTH).toBe(1600);
  });
});
