/**
 * The pull-request plan job, run here the way .github/workflows/plan.yml runs it, step by step: the
 * github-script step that reads the previous plan comment, the "Validate and plan" step's own shell
 * command, and the github-script step that posts the comment and withdraws a stale approval (with
 * a stand-in for GitHub's API), each with exactly the variables the workflow gives it. Against a
 * real stack on the Twilio emulator, with a read-only restricted key made through the emulator's
 * IAM API, as the `preview` environment holds it (the stack's backend stands in for
 * PULUMI_BACKEND_URL). Invariant 8 (design.md), the pull request's side, tested here by name.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_PERMISSIONS } from "../../src/emulator/permissions";
import { repoRoot } from "../../src/util/repo-root";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { runCommand } from "../support/run-command";
import { fakeGitHub, runGitHubScript, WORKFLOW_BOT } from "./fake-github";
import { environmentSecrets, readGithubOutput } from "./runner";
import { type ApiKey, createRestrictedKey, PLAN_KEY_POLICY } from "./twilio-keys";
import { readWorkflow, stepOf, WORKFLOW_DIR } from "./workflows";

const [A, B, C] = THREE_ACCOUNTS as [
  (typeof THREE_ACCOUNTS)[0],
  (typeof THREE_ACCOUNTS)[0],
  (typeof THREE_ACCOUNTS)[0],
];
const workflow = readWorkflow(join(WORKFLOW_DIR, "plan.yml"));
const readStep = stepOf(workflow, "plan", "Read the previous plan comment");
const planStep = stepOf(workflow, "plan", "plan");
const postStep = stepOf(
  workflow,
  "plan",
  "Post or update the plan comment; withdraw a stale approval",
);
const LABEL = workflow.env?.APPROVAL_LABEL ?? "";

let stack: AccountsStack;
let dir: string;
let planKey: ApiKey;
let gh: ReturnType<typeof fakeGitHub>;
let stateBefore: string;
let runs = 0;

/** Every file of the state backend with its size, time and content hash: "written" shows here. */
function stateFingerprint(): string {
  const lines: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const hash = createHash("sha256").update(readFileSync(full)).digest("hex");
        lines.push(`${full} ${statSync(full).mtimeMs} ${hash}`);
      }
    }
  };
  walk(stack.ws.stateDir);
  return lines.sort().join("\n");
}

/** A forged "approval" a person posts, starting with the marker: the job must never read it. */
const forgedComment = () =>
  `<!-- twilio-messaging-plan:${stack.stack} -->\nLooks good!\n<!-- twilio-messaging-approved-digest:sha256:${"f".repeat(64)} -->\n`;

beforeAll(async () => {
  stack = await createAccountsStack();
  dir = mkdtempSync(join(tmpdir(), "preview-job-"));
  stack.writeAccounts(accountsYaml([A, B]));
  await stack.pulumi(["up", "--yes", "--skip-preview"]);
  planKey = await createRestrictedKey(stack.twilio, "pull-request plan", PLAN_KEY_POLICY);
  gh = fakeGitHub({
    comments: [{ body: forgedComment(), user: { login: "mallory", type: "User" } }],
  });
  stateBefore = stateFingerprint();
});

afterAll(async () => {
  await stack?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface JobRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  /** The workflow's plan comment after the run. */
  comment: string;
}

/** The variables the workflow gives a step: its own and the workflow's, no more, no fewer. */
function stepEnv(step: typeof planStep, values: Record<string, string>): Record<string, string> {
  const env = { STACK: stack.stack, ACCOUNTS_FILES: "", APPROVAL_LABEL: LABEL, ...values };
  const declared = [...Object.keys(workflow.env ?? {}), ...Object.keys(step.env ?? {})];
  expect(Object.keys(env).sort(), `${step.name ?? step.id}'s variables`).toEqual(declared.sort());
  return env;
}

/** What the `preview` environment holds: the read-only key, the backend, its passphrase. */
const previewSecrets = () => environmentSecrets(stack, planKey);

/** The shell of the plan step, with the environment a runner gives it. */
function runPlanShell(env: Record<string, string>, githubOutput: string, summary: string) {
  const inherited = { ...process.env };
  delete inherited.TWILIO_AUTH_TOKEN;
  // Asynchronous (runCommand): the emulator answering the plan's refresh runs in this process.
  return runCommand("bash", ["-e", "-c", planStep.run ?? ""], {
    cwd: repoRoot,
    env: { ...inherited, ...env, GITHUB_OUTPUT: githubOutput, GITHUB_STEP_SUMMARY: summary },
  });
}

/**
 * One run of the job for a pull request event, as the workflow runs it when there is something to
 * plan: read the previous comment, plan, post the comment (and withdraw a stale approval).
 */
async function runPlanJob(
  accountsFile: string,
  event: { action: "opened" | "synchronize" | "labeled"; label?: string },
): Promise<JobRun> {
  // Each run gets a fresh runner.temp, as on GitHub.
  const temp = mkdtempSync(join(dir, `run-${++runs}-`));
  const files = { output: join(temp, "github-output"), summary: join(temp, "github-summary") };
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");

  await runGitHubScript(
    String(readStep.with?.script),
    gh,
    stepEnv(readStep, {
      ACCOUNTS_FILES: accountsFile,
      PREVIOUS_COMMENT: join(temp, "previous-comment.md"),
    }),
  );

  const env = stepEnv(planStep, {
    ACCOUNTS_FILES: accountsFile,
    LABEL_PRESENT: String(gh.labels.has(LABEL)),
    LABEL_ADDED: String(event.action === "labeled" && event.label === LABEL),
    PREVIOUS_COMMENT: join(temp, "previous-comment.md"),
    PLAN_DIR: join(temp, "plan"),
    ...previewSecrets(),
  });
  const result = await runPlanShell(env, files.output, files.summary);
  const outputs = readGithubOutput(files.output);

  if (outputs.comment) {
    await runGitHubScript(
      String(postStep.with?.script),
      gh,
      stepEnv(postStep, {
        ACCOUNTS_FILES: accountsFile,
        PLAN_COMMENT: outputs.comment,
        NOTHING_TO_PLAN: "false",
        REMOVE_LABEL: String(outputs["remove-label"] === "true"),
      }),
    );
  }
  const comment =
    gh.comments.find(
      (c) => c.user.login === WORKFLOW_BOT.login && c.user.type === WORKFLOW_BOT.type,
    )?.body ?? "";
  return {
    code: result.code,
    log: `${result.stdout}${result.stderr}`,
    outputs,
    summary: readFileSync(files.summary, "utf8"),
    comment,
  };
}

function proposal(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const DIGEST = /Releases digest: `(sha256:[0-9a-f]{64})`/;

describe("the pull-request plan job, run as the workflow runs it", () => {
  it("plans with the read-only key; the shell steps call the scripts the tests run", () => {
    expect(planStep.run?.trim()).toBe("bash scripts/ci-plan.sh");
    expect(planStep.env).not.toHaveProperty("TWILIO_AUTH_TOKEN");
    expect(Object.keys(planStep.env ?? {})).toEqual(
      expect.arrayContaining(["TWILIO_API_KEY", "TWILIO_API_SECRET"]),
    );
    // Every step after "Anything to plan?" that sets up or plans runs only when there is something.
    const steps = workflow.jobs.plan?.steps ?? [];
    const changes = steps.findIndex((s) => s.id === "changes");
    expect(changes).toBeGreaterThan(0);
    for (const step of steps.slice(changes + 1, -1)) {
      expect(step.if, step.name ?? step.id).toContain("steps.changes.outputs.plan == 'true'");
    }
    expect(steps.at(-1)?.if).toMatch(/^always\(\)/);
  });

  it("binds the approval label to the releases it was added on, across two YAML versions", async () => {
    // v1 releases account A's number.
    const v1 = proposal("v1.yaml", accountsYaml([{ ...A, numberRelease: true }, B]));
    const first = await runPlanJob(v1, { action: "opened" });
    expect(first.code).toBe(1);
    expect(first.outputs).toMatchObject({
      "plan-exit-code": "3",
      verdict: "needs-approval",
      "remove-label": "false",
    });
    const accounts = (await stack.outputs()).accounts as Array<{
      numbers: Array<{ sid: string; phoneNumber: string }>;
    }>;
    const numberOfA = accounts[0]?.numbers[0];
    // The full plan, read from Twilio through the refresh: the number's phone number and SID.
    expect(first.comment).toContain(
      `- **${A.name}** (\`${A.id}\`): release number \`main\` (${numberOfA?.phoneNumber}, ${numberOfA?.sid}); detach number`,
    );
    const x = first.comment.match(DIGEST)?.[1];
    expect(x).toBeDefined();
    expect(first.comment).toContain(
      `The check fails until a maintainer who has read the list above adds the \`${LABEL}\` label`,
    );
    expect(first.log).toContain(
      `::error::the plan releases or deletes in Twilio (2 change(s), digest ${x})`,
    );
    expect(first.summary).toBe(first.comment);
    expect(gh.calls).toEqual(["create comment on #7"]);

    // A maintainer reads it and adds the label: the `labeled` event approves what the comment showed.
    gh.addLabel(LABEL);
    const labelled = await runPlanJob(v1, { action: "labeled", label: LABEL });
    expect(labelled.code).toBe(0);
    expect(labelled.outputs.verdict).toBe("approved");
    expect(labelled.comment).toContain(`(digest \`${x}\`) are approved by the \`${LABEL}\` label`);
    expect(labelled.comment).toContain(`<!-- twilio-messaging-approved-digest:${x} -->`);

    // A push that adds an account but releases the same: the approval holds. Twilio drifted
    // meanwhile (a setting changed in the console): the refresh sees it.
    const services = await stack.twilio.messaging.v1.services.list();
    const serviceOfB = services.find((s) => s.friendlyName.startsWith(B.name));
    await stack.twilio.messaging.v1.services(serviceOfB?.sid ?? "").update({ stickySender: false });
    const v1b = proposal("v1b.yaml", accountsYaml([{ ...A, numberRelease: true }, B, C]));
    const sameSet = await runPlanJob(v1b, { action: "synchronize" });
    expect(sameSet.code).toBe(0);
    expect(sameSet.outputs.verdict).toBe("approved");
    expect(sameSet.comment).toContain(`- buy number \`main\` in area code \`${C.areaCode}\``);
    expect(sameSet.comment).toContain("`stickySender`: `false` → `true`");
    expect(sameSet.comment.match(DIGEST)?.[1]).toBe(x);
    expect(gh.labels.has(LABEL)).toBe(true);

    // A push that also releases B's number: the label goes, the check fails, saying why.
    const v2 = proposal(
      "v2.yaml",
      accountsYaml([{ ...A, numberRelease: true }, { ...B, numberRelease: true }, C]),
    );
    const changed = await runPlanJob(v2, { action: "synchronize" });
    expect(changed.code).toBe(1);
    const xy = changed.comment.match(DIGEST)?.[1];
    expect(xy).not.toBe(x);
    expect(changed.outputs).toMatchObject({
      verdict: "approval-withdrawn",
      "remove-label": "true",
    });
    expect(changed.log).toContain(
      `::error::approval withdrawn: the releases and deletions changed since the label approved them (approved ${x}, now ${xy}); the '${LABEL}' label is removed`,
    );
    expect(changed.comment).toContain(`**The \`${LABEL}\` label was removed**`);
    expect(gh.labels.has(LABEL)).toBe(false);
    expect(gh.calls.filter((c) => c.startsWith("remove label"))).toEqual([
      `remove label ${LABEL} from #7`,
    ]);

    // The person's comment that starts with the marker (and "approves" everything) was never used.
    expect(gh.comments[0]?.body).toBe(forgedComment());
    expect(gh.calls).not.toContain("update comment 1");
  });

  it("read Twilio with the key only (refresh included) and wrote neither Twilio nor the state", () => {
    const byPlanKey = stack.emulator.requestLog
      .entries()
      .filter((e) => e.apiKeySid === planKey.sid);
    expect(byPlanKey.length).toBeGreaterThan(0);
    expect(byPlanKey.filter((e) => e.method !== "GET")).toEqual([]);
    expect(byPlanKey.filter((e) => e.status !== 200)).toEqual([]);
    const permissions = new Set(
      byPlanKey.map((e) => OPERATION_PERMISSIONS[e.operationId ?? ""]?.permission),
    );
    // Exactly the documented plan key's permissions: each one used, nothing else asked.
    expect([...permissions].sort()).toEqual([...PLAN_KEY_POLICY].sort());
    expect(stateFingerprint()).toBe(stateBefore);
  });

  it("fails on invalid YAML and still writes the comment with the positioned error", async () => {
    const bad = proposal(
      "bad.yaml",
      `accounts:\n  - id: ${A.id}\n    name: Clinic\n    numbers:\n      - name: main\n        areaCode: "51"\n`,
    );
    const run = await runPlanJob(bad, { action: "synchronize" });
    expect(run.code).toBe(1);
    const message = `${bad}:6:19: accounts[0].numbers[0].areaCode: expected a 3-digit area code such as "514", got "51"`;
    expect(run.log).toContain(message);
    expect(run.log).toContain("::error::the accounts YAML is invalid");
    expect(run.comment).toContain(`\`\`\`\n${message}\n\`\`\``);
    expect(run.outputs["plan-exit-code"]).toBe("1");
  });

  it("refuses the auth token before running anything: pull-request code holds a read-only key", async () => {
    const output = join(dir, "output-token");
    const summary = join(dir, "summary-token");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const result = await runPlanShell(
      {
        STACK: stack.stack,
        ACCOUNTS_FILES: proposal("ok.yaml", accountsYaml([A, B])),
        TWILIO_AUTH_TOKEN: "a-real-token",
      },
      output,
      summary,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "::error::TWILIO_AUTH_TOKEN is set: the plan job runs the pull request's code and must hold only a read-only API key (TWILIO_API_KEY, TWILIO_API_SECRET; docs/workflows.md)\n",
    );
    expect(readFileSync(output, "utf8")).toBe("");
  });
});

describe("invariant 8, pull-request code holds no key that can write: the plan job's key, used to deploy", () => {
  it("fails at the first write, naming the missing permission first, and changes nothing in Twilio", async () => {
    stack.writeAccounts(accountsYaml([{ ...A, numberRelease: true }, B]));
    // One write to make: the release (the drift the plan test made in the console is put back by
    // hand, so the engine has no second write to send in parallel).
    const services = await stack.twilio.messaging.v1.services.list();
    const serviceOfB = services.find((s) => s.friendlyName.startsWith(B.name));
    await stack.twilio.messaging.v1.services(serviceOfB?.sid ?? "").update({ stickySender: true });
    const before = JSON.stringify(stack.emulator.state.snapshot());
    const since = stack.emulator.requestLog.entries().length;
    const inherited = { ...process.env };
    delete inherited.TWILIO_AUTH_TOKEN;
    const up = await runCommand(
      process.execPath,
      [
        require.resolve("tsx/cli"),
        "src/cli/pulumi.ts",
        "up",
        "--yes",
        "--skip-preview",
        "--stack",
        stack.stack,
      ],
      { cwd: repoRoot, env: { ...inherited, ...previewSecrets(), NO_COLOR: "1" } },
    );
    expect(up.code).not.toBe(0);
    const [number] =
      ((await stack.outputs()).accounts as Array<{ numbers: Array<{ sid: string }> }>)[0]
        ?.numbers ?? [];
    expect(`${up.stdout}${up.stderr}`).toContain(
      `error: missing Twilio permission /twilio/phone-numbers/active-numbers/delete: the restricted API key in TWILIO_API_KEY does not allow it, so could not release number 'main' of account ${A.id} (${number?.sid}) (Twilio error 70051, HTTP 401; Twilio changed nothing)`,
    );
    const writes = stack.emulator.requestLog
      .entries()
      .slice(since)
      .filter((e) => e.method !== "GET");
    expect(writes.map((e) => `${e.method} ${e.operationId} ${e.status}`)).toEqual([
      "DELETE DeleteIncomingPhoneNumber 401",
    ]);
    expect(JSON.stringify(stack.emulator.state.snapshot())).toBe(before);
  });
});
