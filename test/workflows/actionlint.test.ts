/**
 * Every workflow passes actionlint (built from the Go module proxy by scripts/ensure-actionlint.sh)
 * with no finding, pins its actions to commit SHAs, runs Node 22 or 24 and keeps secrets out of
 * shell commands.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SCHEDULED_DEPLOY_INTERVAL_MS } from "../../src/plan/model";
import { repoRoot } from "../../src/util/repo-root";
import { readWorkflow, stepsOf, workflowFiles } from "./workflows";

let actionlint: string;

beforeAll(() => {
  const built = spawnSync("bash", [join(repoRoot, "scripts", "ensure-actionlint.sh")], {
    encoding: "utf8",
  });
  if (built.status !== 0) {
    throw new Error(
      `actionlint could not be built (scripts/ensure-actionlint.sh):\n${built.stderr}`,
    );
  }
  actionlint = built.stdout.trim().split("\n").pop() ?? "";
});

function lint(files: string[]) {
  const result = spawnSync(actionlint, ["-no-color", ...files], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("GitHub Actions workflows", () => {
  const files = workflowFiles();

  it("exist: the pull-request plan, the deploy on main and its per-stack workflow, the daily A2P refresh", () => {
    expect(files.map((f) => f.split("/").pop()).sort()).toEqual([
      "a2p-refresh.yml",
      "deploy-stack.yml",
      "deploy.yml",
      "plan.yml",
    ]);
  });

  it("pass actionlint v1.7.12 with no finding", () => {
    expect(lint(files)).toEqual({ code: 0, output: "" });
  });

  it("would fail on a finding: actionlint reports a broken workflow", () => {
    const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
    try {
      const broken = join(dir, "broken.yml");
      writeFileSync(
        broken,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n",
      );
      const result = lint([broken]);
      expect(result.code).toBe(1);
      expect(result.output).toContain('property "no_such_property" is not defined');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("run the deploy daily on a schedule, as often as the plan's 'next scheduled deploy' assumes", () => {
    const deploy = files.find((file) => file.endsWith("/deploy.yml")) ?? "";
    const schedule = readWorkflow(deploy).on.schedule as Array<{ cron: string }> | undefined;
    expect(schedule).toHaveLength(1);
    // minute hour day-of-month month day-of-week: once a day, every day.
    const fields = (schedule?.[0]?.cron ?? "").split(/\s+/);
    expect(fields).toHaveLength(5);
    expect(fields[0]).toMatch(/^\d{1,2}$/);
    expect(fields[1]).toMatch(/^\d{1,2}$/);
    expect(fields.slice(2)).toEqual(["*", "*", "*"]);
    expect(SCHEDULED_DEPLOY_INTERVAL_MS).toBe(24 * 60 * 60 * 1000);
  });

  it("pin every action to a full commit SHA", () => {
    const uses = files.flatMap((file) =>
      stepsOf(readWorkflow(file)).flatMap((step) => (step.uses ? [step.uses] : [])),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it("run Node 22 or 24 in every job that runs steps", () => {
    const jobs = files.flatMap((file) =>
      Object.values(readWorkflow(file).jobs).filter((job) => job.steps !== undefined),
    );
    expect(jobs).toHaveLength(8); // plan.yml: shards, plan, plan-shard, plan-merge; deploy.yml: stacks; deploy-stack: plan, releases; a2p-refresh
    for (const job of jobs) {
      const setup = job.steps?.filter((step) => step.uses?.startsWith("actions/setup-node@"));
      expect(setup).toHaveLength(1);
      expect(["22", "24"]).toContain(String(setup?.[0]?.with?.["node-version"]));
    }
  });

  it("pass secrets to commands through env only, never inline in a shell command", () => {
    for (const file of files) {
      for (const step of stepsOf(readWorkflow(file))) {
        expect(step.run ?? "").not.toContain("secrets.");
        expect(String(step.with?.script ?? "")).not.toContain("secrets.");
      }
    }
  });

  it("never hand the Twilio auth token to a job: API keys only, read-only for pull requests", () => {
    for (const file of files) {
      expect(readFileSync(file, "utf8"), file).not.toContain("TWILIO_AUTH_TOKEN");
    }
  });
});
