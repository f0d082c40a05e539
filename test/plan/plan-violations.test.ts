/**
 * What `pulumi up --plan` refused, in the plan's words (src/plan/plan-violations.ts), for each kind
 * of message the engine gives (Pulumi 3.248's pkg/resource/deploy). The real refusal of a release,
 * end to end, is in test/workflows/deploy-job.test.ts.
 */
import { describe, expect, it } from "vitest";
import { describeViolation, planViolations, savedPlanNames } from "../../src/plan/plan-violations";

const ACCOUNT = "7c9e1041-f9df-45aa-8318-1b59c5c36511";
const urn = (type: string, name: string) =>
  `urn:pulumi:prod::twilio-messaging::twilio-messaging:index:Account$pulumi-nodejs:dynamic/twilio:${type}::${name}`;
const NUMBER = urn("PhoneNumber", `${ACCOUNT}-main`);
const SERVICE = urn("MessagingService", `${ACCOUNT}-service`);
const ATTACHMENT = urn("ServiceNumber", `${ACCOUNT}-main-attachment`);

/** An update plan where the number guard names the account and the number is unchanged. */
const updatePlan = JSON.stringify({
  resourcePlans: {
    "urn:pulumi:prod::twilio-messaging::pulumi-nodejs:dynamic/twilio:NumberGuard::number-guard": {
      steps: ["same"],
      state: {
        numbers: {
          [`${ACCOUNT}/main`]: {
            accountId: ACCOUNT,
            accountName: "Clinique du Plateau",
            numberName: "main",
          },
        },
      },
    },
    [NUMBER]: { steps: ["same"], state: { sid: "PN1", phoneNumber: "+14385550100" } },
  },
});

function describeAll(messages: Array<{ message: string; urn?: string; severity?: string }>) {
  const names = savedPlanNames(updatePlan, []);
  return planViolations(messages.map((m) => ({ severity: "error", ...m }))).map((v) =>
    describeViolation(v, names),
  );
}

describe("a plan violation, in the plan's words", () => {
  it("reads a number whose protect is dropped as a release, with its account name and ids", () => {
    const message = `<{%reset%}>resource ${NUMBER} violates plan: protect changed (expected true)<{%reset%}>`;
    expect(
      describeAll([
        { message, urn: NUMBER },
        { message, urn: NUMBER },
      ]),
    ).toEqual([
      `release number \`main\` of account Clinique du Plateau (${ACCOUNT}) (+14385550100, PN1)`,
    ]);
  });

  it("names the operation of a step the plan does not allow, per resource type", () => {
    expect(
      describeAll([
        {
          message: "delete is not allowed by the plan: no steps were expected for this resource",
          urn: SERVICE,
        },
        {
          message: "create is not allowed by the plan: no steps were expected for this resource",
          urn: ATTACHMENT,
        },
        {
          message:
            "delete-replaced is not allowed by the plan: this resource is constrained to same",
          urn: NUMBER,
        },
      ]),
    ).toEqual([
      `delete the Messaging Service of account Clinique du Plateau (${ACCOUNT})`,
      `create the attachment of number \`main\` of account Clinique du Plateau (${ACCOUNT})`,
      `replace (release, then buy another) number \`main\` of account Clinique du Plateau (${ACCOUNT}) (+14385550100, PN1)`,
    ]);
  });

  it("lists the properties that differ from the plan, and a deletion the program no longer asks for", () => {
    expect(
      describeAll([
        {
          message: `resource ${NUMBER} violates plan: properties changed: =~smsUrl[{https://a}], ~~voiceUrl[{x}!={y}]`,
          urn: NUMBER,
        },
        {
          message: `resource ${SERVICE} violates plan: resource unexpectedly not deleted`,
          urn: SERVICE,
        },
      ]),
    ).toEqual([
      `change smsUrl, voiceUrl of number \`main\` of account Clinique du Plateau (${ACCOUNT}) (+14385550100, PN1)`,
      `skip the deletion of the Messaging Service of account Clinique du Plateau (${ACCOUNT})`,
    ]);
  });

  it("ignores warnings and errors that are not about the plan", () => {
    expect(
      describeAll([
        { message: "update failed" },
        { message: "missing Twilio permission /twilio/messaging/services/list: …", urn: SERVICE },
        {
          message: `resource ${NUMBER} violates plan: protect changed (expected true)`,
          urn: NUMBER,
          severity: "warning",
        },
      ]),
    ).toEqual([]);
  });
});
