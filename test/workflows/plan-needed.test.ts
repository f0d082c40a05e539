/**
 * The plan check can always finish: plan.yml runs on every pull request (no `paths:` filter), and
 * its "Anything to plan?" step (scripts/ci-plan-needed.sh → npm run plan:needed) ends the job with
 * "nothing to plan" when git, comparing the event's base and head commits, sees no accounts file
 * and no deploy code changed. Run as the workflow runs it, against a repository of its own.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { runCommand } from "../support/run-command";
import { readWorkflow, stepOf, WORKFLOW_DIR } from "./workflows";

const workflow = readWorkflow(join(WORKFLOW_DIR, "plan.yml"));
const changesStep = stepOf(workflow, "plan", "changes");

let root: string;
let repo: string;
let base: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

/** A commit on top of `base` changing these files; returns its SHA. */
function commitOnBase(files: Record<string, string | null>): string {
  git("checkout", "-q", "--detach", base);
  for (const [file, content] of Object.entries(files)) {
    if (content === null) git("rm", "-q", file);
    else {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), content);
      git("add", file);
    }
  }
  git("commit", "-q", "-m", "change");
  return git("rev-parse", "HEAD");
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "plan-needed-"));
  repo = join(root, "repo");
  mkdirSync(repo);
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.invalid");
  git("config", "user.name", "test");
  for (const [file, content] of Object.entries({
    "README.md": "# readme\n",
    "config/accounts.yaml": "accounts: []\n",
    "src/plan/model.ts": "export {};\n",
    "accounts/extra.yaml": "accounts: []\n",
  })) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), content);
  }
  git("add", ".");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The step's `run:` with the variables the workflow gives it; git reads the test's repository. */
async function runChangesStep(head: string, baseSha = base) {
  const files = mkdtempSync(join(root, "run-"));
  const output = join(files, "output");
  const summary = join(files, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const values: Record<string, string> = {
    STACK: "prod",
    ACCOUNTS_FILES: "config/accounts.yaml accounts/extra.yaml",
    APPROVAL_LABEL: "release-approved",
    BASE_SHA: baseSha,
    HEAD_SHA: head,
    PLAN_COMMENT: join(files, "nothing-to-plan.md"),
  };
  const declared = [...Object.keys(workflow.env ?? {}), ...Object.keys(changesStep.env ?? {})];
  expect(Object.keys(values).sort()).toEqual(declared.sort());
  const result = await runCommand("bash", ["-e", "-c", changesStep.run ?? ""], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...values,
      GIT_DIR: join(repo, ".git"),
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
    },
  });
  return {
    ...result,
    output: readFileSync(output, "utf8"),
    summary: readFileSync(summary, "utf8"),
    comment: values.PLAN_COMMENT as string,
  };
}

describe("a required plan check that can always finish", () => {
  it("runs on every pull request: no paths filter, and the Pulumi steps wait for the answer", () => {
    expect(workflow.on).toEqual({
      pull_request: { types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"] },
    });
    expect(changesStep.run?.trim()).toBe("bash scripts/ci-plan-needed.sh");
    // The commits come from the event, never from the branch.
    expect(changesStep.env).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      BASE_SHA: "${{ github.event.pull_request.base.sha }}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      HEAD_SHA: "${{ github.event.pull_request.head.sha }}",
    });
  });

  it("ends with 'nothing to plan' when only documentation changes", async () => {
    const run = await runChangesStep(commitOnBase({ "README.md": "# better readme\n" }));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "nothing to plan: this pull request changes no accounts file and no deploy code\n",
    );
    expect(run.output).toBe(`plan=false\ncomment=${run.comment}\n`);
    const comment = readFileSync(run.comment, "utf8");
    expect(comment).toBe(
      "<!-- twilio-messaging-plan:prod -->\n### Twilio plan for stack `prod`\n\n**Nothing to plan**: this pull request changes no accounts file and no deploy code.\n",
    );
    expect(run.summary).toBe(comment);
  });

  it("plans when an accounts file, deploy code or a dependency changes", async () => {
    const changes: Array<Record<string, string | null>> = [
      { "config/accounts.yaml": "accounts: [] # edited\n" },
      { "accounts/extra.yaml": "accounts: [] # edited\n" },
      { "package-lock.json": "{}\n" },
      // A file moved out of a deploy folder still counts: its old path changed.
      { "src/plan/model.ts": null, "docs/model.ts": "export {};\n" },
    ];
    for (const change of changes) {
      const run = await runChangesStep(commitOnBase(change));
      expect(run.code, run.stderr).toBe(0);
      expect(run.output).toBe("plan=true\n");
      expect(run.stdout).toMatch(
        /^plan: this pull request changes what a deployment reads:\n {2}\S/,
      );
    }
  });

  it("fails, never skips the plan, when git cannot compare the commits", async () => {
    const run = await runChangesStep("0123456789abcdef0123456789abcdef01234567");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: git cannot list the files changed between [0-9a-f]{40} and 0123456789abcdef0123456789abcdef01234567: /,
    );
    expect(run.output).toBe("");
  });
});
