/**
 * The pull request's approval, bound to the set of releases it approved (src/plan/approval.ts):
 * the decision for each kind of run, from this run's plan, the label and the workflow's previous
 * comment. The whole job (real plans, two YAML versions, the label removal call) runs in
 * test/workflows/preview-job.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  type ApprovalInput,
  decideApproval,
  planCommentMarker,
  readCommentRecord,
} from "../../src/plan/approval";
import { digestOfReleaseSet } from "../../src/plan/release-digest";

const LABEL = "release-approved";
const RELEASE_X = "account 0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11 number main release PNx";
const RELEASE_Y = "account 7c9e1041-f9df-45aa-8318-1b59c5c36511 number main release PNy";
const X = digestOfReleaseSet([RELEASE_X]);
const XY = digestOfReleaseSet([RELEASE_X, RELEASE_Y]);

function plan(releases: string[], failed = false): ApprovalInput["plan"] {
  return { failed, releaseDigest: digestOfReleaseSet(releases), releases };
}

/** The comment a run writes: marker, plan (with the digest line when it shows releases), note. */
function comment(shown: string | undefined, note = ""): string {
  const digestLine = shown ? `<!-- twilio-messaging-release-digest:${shown} -->\n` : "";
  return `${planCommentMarker("prod")}\n### Twilio plan for stack \`prod\`\n\n${digestLine}${note}`;
}

function decide(input: Partial<ApprovalInput> & Pick<ApprovalInput, "plan">) {
  return decideApproval({ labelPresent: false, labelAdded: false, label: LABEL, ...input });
}

describe("the approval of a pull request's releases", () => {
  it("passes a plan without releases, with or without the label, and records nothing", () => {
    for (const labelPresent of [false, true]) {
      const decision = decide({ plan: plan([]), labelPresent });
      expect(decision).toMatchObject({ verdict: "no-releases", passes: true, removeLabel: false });
      expect(decision.note).toBe("");
    }
  });

  it("fails releases without the label, naming the label and the digest", () => {
    const decision = decide({ plan: plan([RELEASE_X]), previousComment: comment(undefined) });
    expect(decision).toMatchObject({
      verdict: "needs-approval",
      passes: false,
      removeLabel: false,
    });
    expect(decision.message).toBe(
      `the plan releases or deletes in Twilio (1 change(s), digest ${X}); add the 'release-approved' label to this pull request to approve them`,
    );
    expect(decision.note).toContain(`digest \`${X}\``);
  });

  it("binds a label just added to the set the comment showed, and records it", () => {
    const decision = decide({
      plan: plan([RELEASE_X]),
      previousComment: comment(X),
      labelPresent: true,
      labelAdded: true,
    });
    expect(decision).toMatchObject({ verdict: "approved", passes: true, removeLabel: false });
    expect(readCommentRecord(comment(X, decision.note))).toEqual({
      shownDigest: X,
      approvedDigest: X,
    });
  });

  it("keeps the approval on a push that leaves the set as it was", () => {
    const approvedComment = comment(
      X,
      decide({
        plan: plan([RELEASE_X]),
        previousComment: comment(X),
        labelPresent: true,
        labelAdded: true,
      }).note,
    );
    const push = decide({
      plan: plan([RELEASE_X]),
      previousComment: approvedComment,
      labelPresent: true,
    });
    expect(push).toMatchObject({ verdict: "approved", passes: true, removeLabel: false });
  });

  it("withdraws it when a push changes the set: label removed, check failed, saying why", () => {
    const approved = `${comment(X)}\n<!-- twilio-messaging-approved-digest:${X} -->\n`;
    const push = decide({
      plan: plan([RELEASE_X, RELEASE_Y]),
      previousComment: approved,
      labelPresent: true,
    });
    expect(push).toMatchObject({ verdict: "approval-withdrawn", passes: false, removeLabel: true });
    expect(push.message).toBe(
      `approval withdrawn: the releases and deletions changed since the label approved them (approved ${X}, now ${XY}); the 'release-approved' label is removed: a maintainer must review the new list and add it again`,
    );
    expect(push.note).toContain("**The `release-approved` label was removed**");
    expect(readCommentRecord(comment(XY, push.note)).approvedDigest).toBeUndefined();
  });

  it("withdraws a label added while the comment showed another set, or none", () => {
    for (const shown of [X, undefined]) {
      const decision = decide({
        plan: plan([RELEASE_X, RELEASE_Y]),
        previousComment: comment(shown),
        labelPresent: true,
        labelAdded: true,
      });
      expect(decision).toMatchObject({ verdict: "approval-withdrawn", removeLabel: true });
    }
  });

  it("withdraws a label that approved nothing (left after a failed removal, or added before a plan)", () => {
    const decision = decide({
      plan: plan([RELEASE_X]),
      previousComment: comment(X),
      labelPresent: true,
    });
    expect(decision).toMatchObject({
      verdict: "approval-withdrawn",
      passes: false,
      removeLabel: true,
    });
  });

  it("reads only the workflow's own hidden lines, not text quoted inside a line", () => {
    const quoted = `${comment(undefined)}> <!-- twilio-messaging-approved-digest:${X} -->\n`;
    expect(readCommentRecord(quoted)).toEqual({});
  });

  it("fails a failed plan and keeps a recorded approval for the next run", () => {
    const approved = `${comment(X)}\n<!-- twilio-messaging-approved-digest:${X} -->\n`;
    const failed = decide({ plan: plan([], true), previousComment: approved, labelPresent: true });
    expect(failed).toMatchObject({ verdict: "plan-failed", passes: false, removeLabel: false });
    const fixed = decide({
      plan: plan([RELEASE_X]),
      previousComment: comment(undefined, failed.note),
      labelPresent: true,
    });
    expect(fixed.verdict).toBe("approved");
  });
});
