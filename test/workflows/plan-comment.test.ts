/**
 * The sticky plan comment (.github/scripts/upsert-plan-comment.cjs, called by actions/github-script
 * in plan.yml). GitHub cannot run here: the script talks to an in-memory stand-in for the issues
 * API with the same method names and arguments as Octokit's.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";

type Upsert = (args: { github: unknown; context: unknown; body: string }) => Promise<string>;
const upsertPlanComment = createRequire(__filename)(
  join(repoRoot, ".github", "scripts", "upsert-plan-comment.cjs"),
) as Upsert;

interface Comment {
  id: number;
  body: string;
}

/** Issue comments of one pull request, listed in pages of `per_page` like GitHub does. */
function fakeIssues(initial: string[]) {
  const comments: Comment[] = initial.map((body, i) => ({ id: i + 1, body }));
  const calls: string[] = [];
  const github = {
    rest: {
      issues: {
        listComments: async ({ page = 1, per_page }: { page?: number; per_page: number }) => ({
          data: comments.slice((page - 1) * per_page, page * per_page),
        }),
        createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
          calls.push(`create on #${issue_number}`);
          comments.push({ id: comments.length + 1, body });
        },
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update ${comment_id}`);
          const found = comments.find((c) => c.id === comment_id);
          if (found) found.body = body;
        },
      },
    },
    // Octokit's paginate: calls the list method page by page until a short page.
    paginate: async (
      method: (args: Record<string, unknown>) => Promise<{ data: Comment[] }>,
      args: { per_page: number },
    ) => {
      const all: Comment[] = [];
      for (let page = 1; ; page++) {
        const { data } = await method({ ...args, page });
        all.push(...data);
        if (data.length < args.per_page) return all;
      }
    },
  };
  const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
  return { github, context, comments, calls };
}

const plan = (stack: string, text: string) =>
  `<!-- twilio-messaging-plan:${stack} -->\n### Twilio plan for stack \`${stack}\`\n\n${text}\n`;

describe("the sticky plan comment", () => {
  it("creates the comment on the first run", async () => {
    const gh = fakeIssues(["LGTM"]);
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "first") })).toBe("created");
    expect(gh.calls).toEqual(["create on #7"]);
  });

  it("updates the stack's own comment, past the first page, and leaves others alone", async () => {
    const others = Array.from({ length: 150 }, (_, i) => `review comment ${i}`);
    const gh = fakeIssues([
      ...others,
      plan("staging", "staging plan"),
      "> <!-- twilio-messaging-plan:prod -->\nquoted by a reviewer",
      plan("prod", "old plan"),
    ]);
    expect(await upsertPlanComment({ ...gh, body: plan("prod", "new plan") })).toBe("updated");
    expect(gh.calls).toEqual(["update 153"]);
    expect(gh.comments.map((c) => c.body).filter((b) => b.includes("plan for stack"))).toEqual([
      plan("staging", "staging plan"),
      plan("prod", "new plan"),
    ]);
  });

  it("refuses Markdown without the marker (it would post a new comment on every push)", async () => {
    const gh = fakeIssues([]);
    await expect(upsertPlanComment({ ...gh, body: "### Twilio plan\n" })).rejects.toThrow(
      "the plan Markdown does not start with its marker",
    );
    expect(gh.calls).toEqual([]);
  });
});
