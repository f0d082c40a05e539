/**
 * The sharded jobs of the workflows, read as data: shard names (from the manifest, from a matrix,
 * from a job's output) reach commands only through `env:`, never inside a `run:` line; the
 * matrix plans only the touched shards; each shard deploys in its own concurrency group; a failed
 * `shards` job cannot skip the required check.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { runCommand } from "../support/run-command";
import { readGithubOutput } from "../workflows/runner";
import { readWorkflow, stepOf, stepsOf, WORKFLOW_DIR, workflowFiles } from "../workflows/workflows";

const plan = readWorkflow(join(WORKFLOW_DIR, "plan.yml"));
const deploy = readWorkflow(join(WORKFLOW_DIR, "deploy.yml"));

describe("the sharded workflows", () => {
  it("never put an expression in a shell command: inputs reach run: lines through env only", () => {
    for (const file of workflowFiles()) {
      for (const step of stepsOf(readWorkflow(file))) {
        expect(step.run ?? "", `${file}: ${step.name ?? step.id}`).not.toContain("${{");
      }
    }
  });

  it("plan the touched shards only, one job each, and merge them in one job whatever they did", () => {
    const jobs = plan.jobs as Record<string, Record<string, unknown>>;
    expect(jobs["plan-shard"]?.needs).toBe("shards");
    expect(jobs["plan-shard"]?.if).toBe("needs.shards.outputs.any == 'true'");
    expect(jobs["plan-shard"]?.strategy).toEqual({
      "fail-fast": false,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      matrix: { shard: "${{ fromJSON(needs.shards.outputs.shards) }}" },
    });
    expect(jobs["plan-merge"]?.needs).toEqual(["shards", "plan-shard"]);
    expect(jobs["plan-merge"]?.if).toBe("always() && needs.shards.outputs.sharded == 'true'");
    expect(jobs["plan-merge"]?.name).toBe("plan (shards)");
    // A failed `shards` job must not skip the one-stack check (a skipped required check passes).
    expect(jobs.plan?.if).toBe("always() && needs.shards.outputs.sharded != 'true'");
    expect(plan.jobs.shards?.steps?.find((s) => s.id === "touched")?.run).toBe(
      "bash scripts/ci-shards-touched.sh",
    );
  });

  it("deploy each shard's stack in its own job and concurrency group, never cancelled halfway", () => {
    const job = (deploy.jobs as Record<string, Record<string, unknown>>).deploy;
    expect(job?.needs).toBe("stacks");
    expect(job?.concurrency).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      group: "deploy-${{ matrix.stack }}",
      "cancel-in-progress": false,
    });
    expect(job?.with).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      stack: "${{ matrix.stack }}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
      shards: "${{ vars.TWILIO_SHARDS || '' }}",
    });
  });
});

describe("the merge job's step without shard plans", () => {
  const step = stepOf(plan, "plan-merge", "merge");

  async function runMerge(values: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), "plan-merge-step-"));
    const output = join(dir, "output");
    writeFileSync(output, "");
    const env = {
      ...planEnv(),
      SHARDS_JOB: "success",
      SHARDS: "[]",
      PLANS_DIR: join(dir, "plans"),
      OUT_DIR: join(dir, "out"),
      LABEL_PRESENT: "false",
      LABEL_ADDED: "false",
      PREVIOUS_COMMENT: join(dir, "previous.md"),
      ...values,
    };
    const declared = [...Object.keys(plan.env ?? {}), ...Object.keys(step.env ?? {})];
    expect(Object.keys(env).sort()).toEqual(declared.sort());
    const result = await runCommand("bash", ["-e", "-c", step.run ?? ""], {
      cwd: repoRoot,
      env: { ...process.env, ...env, GITHUB_OUTPUT: output },
    });
    const outputs = readGithubOutput(output);
    const comment = outputs.comment ? readFileSync(outputs.comment, "utf8") : "";
    rmSync(dir, { recursive: true, force: true });
    return { ...result, outputs, comment };
  }

  function planEnv(): Record<string, string> {
    return Object.fromEntries(
      Object.keys(plan.env ?? {}).map((key) => [
        key,
        key === "APPROVAL_LABEL" ? "release-approved" : "x",
      ]),
    );
  }

  it("says 'nothing to plan' and passes when the pull request touches no shard", async () => {
    const run = await runMerge({});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("nothing to plan: this pull request touches no shard");
    expect(run.comment).toContain("<!-- twilio-messaging-plan:shards -->\n");
    expect(run.comment).toContain("**Nothing to plan**");
  });

  it("fails, never 'nothing to plan', when the shards job failed (an invalid set, git failing)", async () => {
    const run = await runMerge({ SHARDS_JOB: "failure" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::the shards job failed (failure)");
    expect(run.comment).toContain("The plan could not run; see the job log.");
    expect(run.outputs["plan-exit-code"]).toBe("1");
  });
});
