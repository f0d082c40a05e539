/**
 * A stand-in for the part of GitHub the plan job talks to (Octokit's method names and arguments):
 * one pull request's issue comments, listed in pages like GitHub does, and its labels. Every call
 * is recorded, so tests can say which comment was edited and whether the label was removed.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "../../src/util/repo-root";

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export const WORKFLOW_BOT = { login: "github-actions[bot]", type: "Bot" };

export function fakeGitHub(
  options: { comments?: Omit<FakeComment, "id">[]; labels?: string[] } = {},
) {
  const comments: FakeComment[] = (options.comments ?? []).map((c, i) => ({ ...c, id: i + 1 }));
  const labels = new Set(options.labels ?? []);
  const calls: string[] = [];
  const github = {
    rest: {
      issues: {
        listComments: async ({ page = 1, per_page }: { page?: number; per_page: number }) => ({
          data: comments.slice((page - 1) * per_page, page * per_page),
        }),
        createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
          calls.push(`create comment on #${issue_number}`);
          comments.push({ id: comments.length + 1, body, user: WORKFLOW_BOT });
        },
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update comment ${comment_id}`);
          const found = comments.find((c) => c.id === comment_id);
          if (found) found.body = body;
        },
        removeLabel: async ({ issue_number, name }: { issue_number: number; name: string }) => {
          calls.push(`remove label ${name} from #${issue_number}`);
          if (!labels.delete(name))
            throw Object.assign(new Error("Label does not exist"), { status: 404 });
        },
      },
    },
    // Octokit's paginate: calls the list method page by page until a short page.
    paginate: async (
      method: (args: Record<string, unknown>) => Promise<{ data: FakeComment[] }>,
      args: { per_page: number },
    ) => {
      const all: FakeComment[] = [];
      for (let page = 1; ; page++) {
        const { data } = await method({ ...args, page });
        all.push(...data);
        if (data.length < args.per_page) return all;
      }
    },
  };
  const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
  /** A maintainer adds a label (the `labeled` event follows). */
  const addLabel = (name: string) => labels.add(name);
  return { github, context, comments, labels, calls, addLabel };
}

/** The module the workflow's github-script steps require. */
export const planCommentModule = createRequire(__filename)(
  join(repoRoot, ".github", "scripts", "plan-comment.cjs"),
) as {
  upsertPlanComment(args: {
    github: unknown;
    context: unknown;
    body: string;
    create?: boolean;
  }): Promise<string>;
  savePreviousPlanComment(args: {
    github: unknown;
    context: unknown;
    stack: string;
    file: string;
  }): Promise<string | undefined>;
  removeApprovalLabel(args: { github: unknown; context: unknown; label: string }): Promise<string>;
};

/**
 * Runs an actions/github-script step's `script:` as the action does (an async function of github,
 * context, core and require, `require` resolving from the workspace), with the environment the
 * workflow gives the step.
 */
export async function runGitHubScript(
  script: string,
  gh: { github: unknown; context: unknown },
  env: Record<string, string>,
): Promise<string[]> {
  const log: string[] = [];
  const core = { info: (line: string) => log.push(line) };
  const workspaceRequire = createRequire(join(repoRoot, "workspace.js"));
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await new AsyncFunction("github", "context", "core", "require", script)(
      gh.github,
      gh.context,
      core,
      workspaceRequire,
    );
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return log;
}
