/**
 * Every workflow passes actionlint (built from the Go module proxy by scripts/ensure-actionlint.sh)
 * with no finding, pins its actions to commit SHAs, runs Node 22 or 24 and keeps secrets out of
 * shell commands.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { readWorkflow, workflowFiles } from "./workflows";

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

  it("exist: the pull-request plan and the deploy on main", () => {
    expect(files.map((f) => f.split("/").pop()).sort()).toEqual(["deploy.yml", "plan.yml"]);
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

  it("pin every action to a full commit SHA", () => {
    const uses = files.flatMap((file) =>
      Object.values(readWorkflow(file).jobs).flatMap((job) =>
        job.steps.flatMap((step) => (step.uses ? [step.uses] : [])),
      ),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it("run Node 22 or 24", () => {
    const versions = files.flatMap((file) =>
      Object.values(readWorkflow(file).jobs).flatMap((job) =>
        job.steps
          .filter((step) => step.uses?.startsWith("actions/setup-node@"))
          .map((step) => String(step.with?.["node-version"])),
      ),
    );
    expect(versions).toHaveLength(files.length);
    for (const version of versions) expect(["22", "24"]).toContain(version);
  });

  it("pass secrets to commands through env only, never inline in a shell command", () => {
    for (const file of files) {
      for (const job of Object.values(readWorkflow(file).jobs)) {
        for (const step of job.steps) expect(step.run ?? "").not.toContain("secrets.");
      }
    }
  });
});
