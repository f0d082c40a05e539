/**
 * The pull-request plan job, run here the way .github/workflows/plan.yml runs it: its "Validate and
 * plan" step's own shell command, with the environment variables the workflow gives it, against a
 * real stack on the Twilio emulator (the stack's backend stands in for PULUMI_BACKEND_URL).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { stackEnvironment } from "../plan/plan-cli";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { runCommand } from "../support/run-command";
import { readWorkflow, WORKFLOW_DIR } from "./workflows";

const [kept, added] = THREE_ACCOUNTS as [(typeof THREE_ACCOUNTS)[0], (typeof THREE_ACCOUNTS)[0]];
const workflow = readWorkflow(join(WORKFLOW_DIR, "plan.yml"));
const job = workflow.jobs.plan;
const planStep = job?.steps.find((step) => step.id === "plan");

let stack: AccountsStack;
let dir: string;

beforeAll(async () => {
  stack = await createAccountsStack();
  dir = mkdtempSync(join(tmpdir(), "preview-job-"));
  stack.writeAccounts(accountsYaml([kept]));
  await stack.pulumi(["up", "--yes", "--skip-preview"]);
});

afterAll(async () => {
  await stack?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface JobRun {
  code: number | null;
  log: string;
  markdown: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs the step's `run:` with exactly the variables the workflow sets (workflow env + step env),
 * given the values a pull request would have.
 */
async function runPlanStep(accountsFile: string, labels: string[] = []): Promise<JobRun> {
  const run = planStep?.run ?? "";
  const githubOutput = join(dir, "github-output");
  const githubSummary = join(dir, "github-summary");
  writeFileSync(githubOutput, "");
  writeFileSync(githubSummary, "");
  const approval = workflow.env?.APPROVAL_LABEL ?? "";
  const values: Record<string, string | undefined> = {
    STACK: stack.stack,
    ACCOUNTS_FILES: accountsFile,
    APPROVAL_LABEL: approval,
    RELEASE_APPROVED: String(labels.includes(approval)),
    PLAN_MARKDOWN: join(dir, "plan.md"),
    ...stackEnvironment(stack),
  };
  const declared = [...Object.keys(workflow.env ?? {}), ...Object.keys(planStep?.env ?? {})];
  // The test gives the step what the workflow gives it: no more, no fewer variables.
  expect(Object.keys(values).sort()).toEqual(declared.sort());
  // Asynchronous (runCommand): the emulator answering the plan's refresh runs in this process.
  const result = await runCommand("bash", ["-e", "-c", run], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...values,
      GITHUB_OUTPUT: githubOutput,
      GITHUB_STEP_SUMMARY: githubSummary,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(githubOutput, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return {
    code: result.code,
    log: `${result.stdout}${result.stderr}`,
    markdown: readFileSync(join(dir, "plan.md"), "utf8"),
    outputs,
    summary: readFileSync(githubSummary, "utf8"),
  };
}

function proposal(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

describe("the pull-request plan job, run locally as the workflow runs it", () => {
  it("calls the one script the test runs, with no expression inside the shell command", async () => {
    expect(planStep?.run?.trim()).toBe("bash scripts/ci-plan.sh");
    expect(job?.steps.find((s) => s.name === "Install")?.run).toBe(
      "npm ci --no-audit --no-fund\nnpm run setup\n",
    );
  });

  it("validates, plans a new account from two files, writes the comment with its marker and passes", async () => {
    // Two files in ACCOUNTS_FILES: the kept account in one, the new one in the other.
    const files = `${proposal("kept.yaml", accountsYaml([kept]))} ${proposal("add.yaml", accountsYaml([added]))}`;
    const run = await runPlanStep(files);
    expect(run.code).toBe(0);
    expect(run.log).toContain("ok: 2 accounts (2 numbers) in 2 files");
    expect(run.log).toContain("plan: no release or deletion");
    expect(run.markdown.split("\n").slice(0, 2)).toEqual([
      `<!-- twilio-messaging-plan:${stack.stack} -->`,
      `### Twilio plan for stack \`${stack.stack}\``,
    ]);
    expect(run.markdown).toContain(
      `**${added.name}** (\`${added.id}\`)\n- buy number \`main\` in area code \`${added.areaCode}\` (CA) · +$1.15/month\n`,
    );
    expect(run.summary).toBe(run.markdown);
    expect(run.outputs).toEqual({ markdown: join(dir, "plan.md"), "plan-exit-code": "0" });
  });

  it("fails the check on a release until the approval label is on the pull request", async () => {
    const file = proposal("release.yaml", accountsYaml([{ ...kept, release: true }]));
    const unapproved = await runPlanStep(file);
    expect(unapproved.code).toBe(1);
    expect(unapproved.outputs["plan-exit-code"]).toBe("3");
    expect(unapproved.markdown).toContain("> [!CAUTION]");
    expect(unapproved.markdown).toContain(
      "The check fails until a maintainer who has read the list above adds the `release-approved` label",
    );
    expect(unapproved.log).toContain(
      "::error::the plan releases or deletes in Twilio; add the 'release-approved' label to this pull request to approve",
    );

    const approved = await runPlanStep(file, ["release-approved"]);
    expect(approved.code).toBe(0);
    expect(approved.markdown).toContain("approved by the `release-approved` label");
    expect(approved.log).toContain(
      "::notice::plan releases or deletes; approved by the 'release-approved' label",
    );
  });

  it("fails on invalid YAML and still writes the comment with the positioned error", async () => {
    const bad = proposal(
      "bad.yaml",
      `accounts:\n  - id: ${kept.id}\n    name: Clinic\n    numbers:\n      - name: main\n        areaCode: "51"\n`,
    );
    const run = await runPlanStep(bad);
    expect(run.code).toBe(1);
    const message = `${bad}:6:19: accounts[0].numbers[0].areaCode: expected a 3-digit area code such as "514", got "51"`;
    expect(run.log).toContain(message);
    expect(run.log).toContain("::error::the accounts YAML is invalid");
    expect(run.markdown).toContain(`\`\`\`\n${message}\n\`\`\``);
    expect(run.outputs["plan-exit-code"]).toBe("1");
  });
});
