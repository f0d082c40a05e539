/**
 * The pull request's approval of its releases, bound to the set it approved: the decision the plan
 * job takes on every run (push, label added or removed), from this run's plan, the label, and the
 * workflow's own previous plan comment, which records the releases digest it showed and the one
 * the label approved (hidden lines; release-digest.ts).
 *
 * - No release or deletion: the check passes; the label, if any, is not needed and records nothing.
 * - Releases without the label: the check fails until a maintainer adds it.
 * - The label, and the comment records an approval: it holds while the set is the same digest; a
 *   push that changes the set withdraws it (the label is removed, the check fails, saying why).
 * - The label was just added (this run's event) and no approval is recorded: it approves the set
 *   the comment showed when the maintainer added it, if this run's set is that one; else it is
 *   withdrawn. A label found on any other run without a recorded approval (added before a plan was
 *   shown, or left after a failed removal) approves nothing and is withdrawn.
 * - The plan failed: the check fails; a recorded approval is kept for the next run to compare.
 *
 * This is the pull request's side of the gate, run by the pull request's own copy of the workflow
 * and scripts: it keeps honest reviews honest. What binds a deployment is the deploy's saved plan
 * and the `<stack>-releases` environment's reviewers (docs/workflows.md).
 */
import { RELEASE_DIGEST_MARKER } from "./render";

/** The hidden line of the comment that records the digest the label approved. */
export const APPROVED_DIGEST_MARKER = "twilio-messaging-approved-digest";

/** The first line of the plan comment of a stack: how the workflow finds its own comment. */
export function planCommentMarker(stack: string): string {
  return `<!-- twilio-messaging-plan:${stack} -->`;
}

export interface CommentRecord {
  /** The releases digest the comment showed (none when it showed no release, or no plan). */
  shownDigest?: string;
  /** The digest the label approved, when it did. */
  approvedDigest?: string;
}

function hidden(body: string, marker: string): string | undefined {
  return body.match(new RegExp(`^<!-- ${marker}:(sha256:[0-9a-f]{64}) -->$`, "m"))?.[1];
}

/** What a previous plan comment of the workflow recorded. */
export function readCommentRecord(body: string | undefined): CommentRecord {
  if (!body) return {};
  return {
    shownDigest: hidden(body, RELEASE_DIGEST_MARKER),
    approvedDigest: hidden(body, APPROVED_DIGEST_MARKER),
  };
}

export interface ApprovalInput {
  plan: { failed: boolean; releaseDigest: string; releases: readonly string[] };
  /** The body of the workflow's own previous plan comment for this stack, if there is one. */
  previousComment?: string;
  labelPresent: boolean;
  /** This run is the `labeled` event of the approval label (a maintainer just added it). */
  labelAdded: boolean;
  label: string;
}

export type ApprovalVerdict =
  | "no-releases"
  | "approved"
  | "needs-approval"
  | "approval-withdrawn"
  | "plan-failed";

export interface ApprovalDecision {
  verdict: ApprovalVerdict;
  /** Whether the check passes. */
  passes: boolean;
  /** Whether the job removes the approval label from the pull request. */
  removeLabel: boolean;
  /** Markdown appended to the plan in the comment: the note, and the approval record. */
  note: string;
  /** The job log's line, reason first. */
  message: string;
}

const code = (text: string) => `\`${text}\``;

function approvalRecord(digest: string): string {
  return `<!-- ${APPROVED_DIGEST_MARKER}:${digest} -->`;
}

export function decideApproval(input: ApprovalInput): ApprovalDecision {
  const { plan, label, labelPresent } = input;
  const record = readCommentRecord(input.previousComment);
  const digest = plan.releaseDigest;
  const count = plan.releases.length;

  if (plan.failed) {
    return {
      verdict: "plan-failed",
      passes: false,
      removeLabel: false,
      // Kept, so a fix that leaves the releases as approved does not ask for the label again.
      note:
        labelPresent && record.approvedDigest ? `\n${approvalRecord(record.approvedDigest)}\n` : "",
      message: "the plan failed; see the errors above",
    };
  }
  if (count === 0) {
    return {
      verdict: "no-releases",
      passes: true,
      removeLabel: false,
      note: "",
      message: "plan: no release or deletion",
    };
  }
  if (!labelPresent) {
    return {
      verdict: "needs-approval",
      passes: false,
      removeLabel: false,
      note: [
        "",
        "> [!IMPORTANT]",
        `> This plan releases or deletes (${count} change(s), digest ${code(digest)}). The check fails until a maintainer who has read the list above adds the ${code(label)} label to this pull request; the approval holds for this list only.`,
        "",
      ].join("\n"),
      message: `the plan releases or deletes in Twilio (${count} change(s), digest ${digest}); add the '${label}' label to this pull request to approve them`,
    };
  }
  const approved = record.approvedDigest ?? (input.labelAdded ? record.shownDigest : undefined);
  if (approved === digest) {
    return {
      verdict: "approved",
      passes: true,
      removeLabel: false,
      note: [
        "",
        "> [!NOTE]",
        `> The releases and deletions above (digest ${code(digest)}) are approved by the ${code(label)} label. A push that changes this list withdraws the approval.`,
        approvalRecord(digest),
        "",
      ].join("\n"),
      message: `plan releases or deletes (digest ${digest}); approved by the '${label}' label`,
    };
  }
  const why = record.approvedDigest
    ? `the releases and deletions changed since the label approved them (approved ${record.approvedDigest}, now ${digest})`
    : input.labelAdded
      ? `the label was added while the plan comment showed ${record.shownDigest ? `other releases and deletions (digest ${record.shownDigest})` : "no releases or deletions"}, and this plan's are ${digest}`
      : `the label approves no list of releases yet (it was not added on a plan that showed ${digest})`;
  return {
    verdict: "approval-withdrawn",
    passes: false,
    removeLabel: true,
    note: [
      "",
      "> [!WARNING]",
      `> **The ${code(label)} label was removed**: ${why.replaceAll(/sha256:[0-9a-f]{64}/g, (d) => code(d))}. The check fails until a maintainer who has read the list above adds the label again.`,
      "",
    ].join("\n"),
    message: `approval withdrawn: ${why}; the '${label}' label is removed: a maintainer must review the new list and add it again`,
  };
}
