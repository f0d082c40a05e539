/**
 * The check behind every "the preview tells the truth" test (test/support/preview-then-up.ts) must
 * be able to fail: two empty event logs are not a preview that matched its up.
 */
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/pulumi/events";
import { expectSameSteps } from "../support/preview-then-up";

const NUMBER = "pulumi-nodejs:dynamic/twilio:PhoneNumber";
const stackStep: EngineEvent = {
  sequence: 1,
  resourcePreEvent: {
    metadata: {
      op: "same",
      urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s",
      type: "pulumi:pulumi:Stack",
    },
  },
};
const step = (op: string): EngineEvent => ({
  sequence: 2,
  resourcePreEvent: { metadata: { op, urn: `urn:pulumi:s::p::${NUMBER}::a-main`, type: NUMBER } },
});

describe("preview-then-up's comparison", () => {
  it("fails when both event logs are empty", () => {
    expect(() => expectSameSteps({ events: [] }, { events: [] })).toThrow(
      "the preview's event log has its steps",
    );
    expect(() => expectSameSteps({ events: [stackStep] }, { events: [] })).toThrow(
      "the up's event log has its steps",
    );
  });

  it("fails when the preview planned another step than up took, and passes when they agree", () => {
    expect(() =>
      expectSameSteps({ events: [stackStep, step("create")] }, { events: [stackStep] }),
    ).toThrow("preview planned what up did");
    expectSameSteps(
      { events: [stackStep, step("create")] },
      { events: [stackStep, step("create")] },
    );
  });
});
