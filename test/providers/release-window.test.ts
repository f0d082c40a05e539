/**
 * The release window's rules without a stack: what "now" is (src/util/clock.ts), when a window
 * ends (src/util/release-window.ts), what the provider does next (`lifecycleOf`), and what a
 * parked number's friendly name says (providers/parking.ts). The end-to-end test
 * (test/accounts/release-window.test.ts) runs the same rules through the real CLI.
 */
import { describe, expect, it } from "vitest";
import { parkedFriendlyName, parkedWebhooks } from "../../providers/parking";
import { lifecycleOf } from "../../providers/phone-number";
import { formatUtc, NOW_ENV, now } from "../../src/util/clock";
import { windowEnd, windowPassed } from "../../src/util/release-window";

describe("the clock", () => {
  it("is the system clock without the override", () => {
    const before = Date.now();
    const at = now({}).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it("is TWILIO_MESSAGING_NOW when set (ISO 8601 with a zone)", () => {
    expect(now({ [NOW_ENV]: "2026-12-11T09:00:00Z" }).toISOString()).toBe(
      "2026-12-11T09:00:00.000Z",
    );
    expect(now({ [NOW_ENV]: "2026-12-11T10:00:00+01:00" }).toISOString()).toBe(
      "2026-12-11T09:00:00.000Z",
    );
  });

  it("refuses an override it cannot read, rather than guessing a release date", () => {
    for (const bad of ["tomorrow", "2026-12-11", "2026-12-11T09:00:00", "2026-13-40T99:00:00Z"]) {
      expect(() => now({ [NOW_ENV]: bad }), bad).toThrow(
        `${NOW_ENV} is ${JSON.stringify(bad)}, not an ISO 8601 date-time with a zone`,
      );
    }
  });
});

describe("a release window", () => {
  const parkedAt = "2026-12-01T09:00:00.000Z";

  it("ends the declared days after the park, and has passed from that instant on", () => {
    expect(windowEnd(parkedAt, 7)).toBe("2026-12-08T09:00:00.000Z");
    expect(windowPassed(parkedAt, 7, new Date("2026-12-08T08:59:59.999Z"))).toBe(false);
    expect(windowPassed(parkedAt, 7, new Date("2026-12-08T09:00:00.000Z"))).toBe(true);
  });

  it("decides park, parked, release and restore from the state and the YAML", () => {
    const before = new Date("2026-12-05T00:00:00Z");
    const after = new Date("2026-12-09T00:00:00Z");
    const marked = { release: true, releaseAfterDays: 7 };
    expect(lifecycleOf({}, { release: false }, before)).toBe("active");
    expect(lifecycleOf({}, marked, before)).toBe("park");
    expect(lifecycleOf({}, { release: true, releaseAfterDays: 0 }, before)).toBe("release");
    expect(lifecycleOf({ parkedAt }, marked, before)).toBe("parked");
    expect(lifecycleOf({ parkedAt }, marked, after)).toBe("release");
    // A shortened window ends earlier; the start stays where the park put it.
    expect(lifecycleOf({ parkedAt }, { release: true, releaseAfterDays: 3 }, before)).toBe(
      "release",
    );
    expect(lifecycleOf({ parkedAt }, { release: false }, before)).toBe("restore");
    expect(lifecycleOf({ parkedAt }, { release: false }, after)).toBe("restore");
  });
});

describe("a parked number in Twilio", () => {
  it("says until when in its friendly name, within Twilio's 64 characters, keeping a bought number's marker", () => {
    const long = "Clinique Dentaire du Plateau Mont-Royal - main";
    const bought = parkedFriendlyName(
      { kind: "buy", marker: "tm-0123abcd", friendlyName: long },
      "2026-12-08T09:00:00.000Z",
    );
    expect(bought).toBe("parked until 2026-12-08 09:00 UTC - Clinique Dent… [tm-0123abcd]");
    expect(bought.length).toBeLessThanOrEqual(64);
    const adopted = parkedFriendlyName(
      { kind: "adopt", marker: "tm-0123abcd", friendlyName: "Legacy" },
      "2026-12-08T09:00:00.000Z",
    );
    expect(adopted).toBe("parked until 2026-12-08 09:00 UTC - Legacy");
    expect(formatUtc("2026-12-08T09:00:00.000Z")).toBe("2026-12-08 09:00 UTC");
  });

  it("points SMS and voice at the parking URL, or nowhere, and has no status callback", () => {
    expect(parkedWebhooks(undefined)).toEqual({ smsUrl: "", voiceUrl: "", statusCallback: "" });
    expect(parkedWebhooks("https://p.example/parked")).toEqual({
      smsUrl: "https://p.example/parked",
      voiceUrl: "https://p.example/parked",
      statusCallback: "",
    });
  });
});
