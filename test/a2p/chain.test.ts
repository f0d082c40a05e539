/** The registration chain as data: which step comes next, and its words (src/a2p). */
import { describe, expect, it } from "vitest";
import { type Changes, isActionable, nextStep, type RegistrationState } from "../../src/a2p/chain";
import { describeStep } from "../../src/a2p/describe";

const NONE: Changes = { brand: false, campaign: false };
const at = (sid: string, status: string, reason?: string) => ({
  sid,
  status,
  since: "2026-12-01T10:00:00.000Z",
  ...(reason ? { reason } : {}),
});
const APPROVED: RegistrationState = {
  profile: at("BU1", "twilio-approved"),
  trustProduct: at("BU2", "twilio-approved"),
  brand: at("BN1", "APPROVED"),
};

describe("the next step of the chain", () => {
  it("creates each link once the one before it is approved, and submits drafts", () => {
    expect(nextStep({}, NONE)).toEqual({ kind: "create", link: "profile" });
    expect(nextStep({ profile: at("BU1", "draft") }, NONE)).toEqual({
      kind: "submit",
      link: "profile",
    });
    expect(nextStep({ profile: at("BU1", "twilio-approved") }, NONE)).toEqual({
      kind: "create",
      link: "trustProduct",
    });
    expect(nextStep({ ...APPROVED, brand: undefined }, NONE)).toEqual({
      kind: "create",
      link: "brand",
    });
    expect(nextStep(APPROVED, NONE)).toEqual({ kind: "create", link: "campaign" });
  });

  it("waits for a link in review, in words with its status and day", () => {
    const step = nextStep(
      { ...APPROVED, brand: at("BN1", "IN_REVIEW") },
      { brand: true, campaign: true },
    );
    expect(step).toMatchObject({ kind: "wait", link: "brand" });
    expect(isActionable(step)).toBe(false);
    expect(describeStep(step)).toBe("waiting for brand (IN_REVIEW since 2026-12-01)");
  });

  it("is blocked on a rejection until the YAML changes, then resubmits or registers anew", () => {
    const rejected = { profile: at("BU1", "twilio-rejected", "EIN mismatch") };
    const blocked = nextStep(rejected, NONE);
    expect(isActionable(blocked)).toBe(false);
    expect(describeStep(blocked)).toBe(
      "customer profile rejected (twilio-rejected since 2026-12-01): EIN mismatch; change compliance.usA2p to resubmit",
    );
    expect(nextStep(rejected, { brand: true, campaign: false })).toEqual({
      kind: "resubmit",
      link: "profile",
    });
    // A campaign change does not resubmit a rejected profile.
    expect(isActionable(nextStep(rejected, { brand: false, campaign: true }))).toBe(false);
    expect(
      nextStep({ ...APPROVED, brand: at("BN1", "FAILED", "x") }, { brand: true, campaign: false }),
    ).toEqual({ kind: "resubmit", link: "brand" });
    const failed = { ...APPROVED, campaign: at("QE1", "FAILED", "samples") };
    expect(nextStep(failed, { brand: false, campaign: true })).toEqual({
      kind: "recreate",
      link: "campaign",
    });
    expect(isActionable(nextStep(failed, NONE))).toBe(false);
  });

  it("is done when the campaign is verified, and updates it in place when its fields change", () => {
    const verified = { ...APPROVED, campaign: at("QE1", "VERIFIED") };
    expect(nextStep(verified, NONE)).toEqual({ kind: "done" });
    expect(describeStep(nextStep(verified, NONE))).toBe("registered: campaign VERIFIED");
    expect(nextStep(verified, { brand: false, campaign: true })).toEqual({
      kind: "update",
      link: "campaign",
    });
  });
});
