/**
 * The plan job's calls to GitHub (.github/scripts/plan-comment.cjs, required by the github-script
 * steps of plan.yml): the sticky comment is the workflow bot's own, found by marker AND author, and
 * the approval label's removal tolerates a label already gone. GitHub cannot run here: the script
 * talks to an in-memory stand-in with Octokit's method names and arguments.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeGitHub, planCommentModule, WORKFLOW_BOT } from "./fake-github";

const { removeApprovalLabel, savePreviousPlanComment, upsertPlanComment } = planCommentModule;
const PERSON = { login: "mallory", type: "User" };

const plan = (stack: string, text: string) =>
  `<!-- twilio-messaging-plan:${stack} -->\n### Twilio plan for stack \`${stack}\`\n\n${text}\n`;

describe("the sticky plan comment", () => {
  it("creates the comment on the first run", async () => {
    const gh = fakeGitHub({ comments: [{ body: "LGTM", user: PERSON }] });
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "first") })).toBe("created");
    expect(gh.calls).toEqual(["create comment on #7"]);
  });

  it("updates the stack's own comment, past the first page, and leaves others alone", async () => {
    const others = Array.from({ length: 150 }, (_, i) => ({ body: `review ${i}`, user: PERSON }));
    const gh = fakeGitHub({
      comments: [
        ...others,
        { body: plan("staging", "staging plan"), user: WORKFLOW_BOT },
        { body: "> <!-- twilio-messaging-plan:prod -->\nquoted by a reviewer", user: PERSON },
        { body: plan("prod", "old plan"), user: WORKFLOW_BOT },
      ],
    });
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "new plan") })).toBe("updated");
    expect(gh.calls).toEqual(["update comment 153"]);
    expect(gh.comments.filter((c) => c.body.includes("plan for stack")).map((c) => c.body)).toEqual(
      [plan("staging", "staging plan"), plan("prod", "new plan")],
    );
  });

  it("never reads or edits a person's comment that starts with the marker", async () => {
    const forged = `${plan("prod", "forged")}<!-- twilio-messaging-approved-digest:sha256:${"0".repeat(64)} -->\n`;
    const gh = fakeGitHub({
      comments: [
        { body: forged, user: PERSON },
        // A user account named like the bot is still a user.
        { body: forged, user: { login: "github-actions[bot]", type: "User" } },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), "plan-comment-"));
    try {
      const file = join(dir, "previous.md");
      expect(await savePreviousPlanComment({ ...gh, stack: "prod", file })).toBeUndefined();
      expect(readFileSync(file, "utf8")).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "real plan") })).toBe("created");
    expect(gh.calls).toEqual(["create comment on #7"]);
    expect(gh.comments.slice(0, 2).map((c) => c.body)).toEqual([forged, forged]);
  });

  it("saves the bot's previous comment for the plan script to read", async () => {
    const gh = fakeGitHub({ comments: [{ body: plan("prod", "earlier"), user: WORKFLOW_BOT }] });
    const dir = mkdtempSync(join(tmpdir(), "plan-comment-"));
    try {
      const file = join(dir, "previous.md");
      expect(await savePreviousPlanComment({ ...gh, stack: "prod", file })).toBe("#1");
      expect(readFileSync(file, "utf8")).toBe(plan("prod", "earlier"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("only updates, never starts, a comment when asked not to create one", async () => {
    const gh = fakeGitHub();
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "nothing"), create: false })).toBe(
      "not needed",
    );
    expect(gh.calls).toEqual([]);
  });

  it("refuses Markdown without the marker (it would post a new comment on every push)", async () => {
    const gh = fakeGitHub();
    await expect(upsertPlanComment({ ...gh, body: "### Twilio plan\n" })).rejects.toThrow(
      "the plan Markdown does not start with its marker",
    );
    expect(gh.calls).toEqual([]);
  });
});

describe("withdrawing the approval label", () => {
  it("removes it, and takes a label already gone (404) as done", async () => {
    const gh = fakeGitHub({ labels: ["release-approved"] });
    expect(await removeApprovalLabel({ ...gh, label: "release-approved" })).toBe("removed");
    expect(await removeApprovalLabel({ ...gh, label: "release-approved" })).toBe("already gone");
    expect(gh.labels.size).toBe(0);
  });
});
