/**
 * The deploy of a stack (.github/workflows/deploy-stack.yml → scripts/ci-deploy.sh), run whole the
 * way the workflow runs it, step by step, each step with exactly the variables the workflow gives
 * it: validate → plan (saved) → apply the saved plan → db:migrate → sync, against a real stack on
 * the Twilio emulator, restricted keys made through the emulator's IAM API (the deploy key of the
 * `<stack>` environment, the release key of `<stack>-releases`) and a real PostgreSQL scratch
 * database. A plan with a release goes through the releases job as the workflow hands it over: the
 * saved plan of the first job is the artifact the second one downloads. Invariant 8 (design.md),
 * the deploy's side, tested here by name.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUTH_TOKEN } from "../../src/emulator/auth";
import { digestOfReleaseSet } from "../../src/plan/release-digest";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { headCommit } from "../../src/util/git";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { THREE_ACCOUNTS } from "../support/accounts-yaml";
import { runCommand } from "../support/run-command";
import { environmentSecrets, readGithubOutput } from "./runner";
import {
  type ApiKey,
  createRestrictedKey,
  DEPLOY_KEY_POLICY,
  RELEASE_KEY_POLICY,
} from "./twilio-keys";
import { readWorkflow, stepOf, WORKFLOW_DIR, type WorkflowStep } from "./workflows";

const [A, B] = THREE_ACCOUNTS as [(typeof THREE_ACCOUNTS)[0], (typeof THREE_ACCOUNTS)[0]];
const workflow = readWorkflow(join(WORKFLOW_DIR, "deploy-stack.yml"));
const planStep = stepOf(workflow, "plan", "plan");
const applyStep = stepOf(workflow, "plan", "Apply the saved plan, migrate, sync");
const showStep = stepOf(workflow, "releases", "Show the plan being applied");
const releaseStep = stepOf(workflow, "releases", "Apply the approved saved plan, migrate, sync");
const NO_RELEASES = digestOfReleaseSet([]);

let stack: AccountsStack;
let db: ScratchDatabase;
let deployKey: ApiKey;
let releaseKey: ApiKey;
let dir: string;
let accountsFile: string;
let runs = 0;

beforeAll(async () => {
  stack = await createAccountsStack();
  db = await createScratchDatabase("deploy_job");
  dir = mkdtempSync(join(tmpdir(), "deploy-job-"));
  accountsFile = join(dir, "accounts.yaml");
  deployKey = await createRestrictedKey(stack.twilio, "deploy", DEPLOY_KEY_POLICY);
  releaseKey = await createRestrictedKey(stack.twilio, "release", RELEASE_KEY_POLICY);
});

afterAll(async () => {
  await stack?.dispose();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Proposal {
  releaseA?: boolean;
  releaseB?: boolean;
  smsUrlB?: string;
}

/** The accounts YAML on main, with the Vapi phone ids the sync files the numbers under. */
function writeAccounts(p: Proposal = {}): void {
  const account = (a: typeof A, vapi: string, release?: boolean, smsUrl?: string) => [
    `  - id: ${a.id}`,
    `    name: ${a.name}`,
    "    messagingService:",
    "      inboundRequestUrl: https://api.parlae.example/twilio/inbound",
    "    numbers:",
    "      - name: main",
    `        areaCode: "${a.areaCode}"`,
    `        vapiPhoneId: ${vapi}`,
    ...(smsUrl ? [`        smsUrl: ${smsUrl}`] : []),
    ...(release ? ["        release: true"] : []),
  ];
  writeFileSync(
    accountsFile,
    [
      "defaults:",
      "  country: CA",
      "  releaseAfterDays: 0",
      "accounts:",
      ...account(A, "vapi-a", p.releaseA),
      ...account(B, "vapi-b", p.releaseB, p.smsUrlB),
      "",
    ].join("\n"),
  );
}

interface StepRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs a step's `run:` with the variables the workflow sets (workflow env + step env: the test
 * gives exactly those, with the values a run on main would have) and nothing of this process's
 * own Twilio or database settings.
 */
async function runStep(step: WorkflowStep, values: Record<string, string>): Promise<StepRun> {
  const env = {
    STACK: stack.stack,
    ACCOUNTS_FILES: accountsFile,
    DEPLOY_REF: "refs/heads/main",
    SHARDS_MANIFEST: "",
    ...values,
  };
  const declared = [...Object.keys(workflow.env ?? {}), ...Object.keys(step.env ?? {})];
  expect(Object.keys(env).sort(), `${step.name ?? step.id}'s variables`).toEqual(declared.sort());
  const runnerFiles = mkdtempSync(join(dir, `step-${++runs}-`));
  const output = join(runnerFiles, "output");
  const summary = join(runnerFiles, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const inherited = { ...process.env };
  for (const name of ["TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET", "DATABASE_URL"]) {
    delete inherited[name];
  }
  // Asynchronous (runCommand): the emulator answering the providers runs in this process.
  const result = await runCommand("bash", ["-e", "-c", step.run ?? ""], {
    cwd: repoRoot,
    env: {
      ...inherited,
      ...env,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      NO_COLOR: "1",
    },
  });
  return {
    code: result.code,
    log: `${result.stdout}${result.stderr}`,
    outputs: readGithubOutput(output),
    summary: readFileSync(summary, "utf8"),
  };
}

/** The plan job's plan step, saving into a fresh runner.temp. */
async function planJob(): Promise<StepRun & { savedPlan: string }> {
  const savedPlan = join(mkdtempSync(join(dir, "plan-job-")), "saved-plan");
  const run = await runStep(planStep, {
    SAVED_PLAN_DIR: savedPlan,
    ...environmentSecrets(stack, deployKey),
  });
  return { ...run, savedPlan };
}

function applyInPlanJob(savedPlan: string, digest: string, key: ApiKey = deployKey) {
  return runStep(applyStep, {
    SAVED_PLAN_DIR: savedPlan,
    EXPECTED_DIGEST: digest,
    DATABASE_URL: db.url,
    ...environmentSecrets(stack, key),
  });
}

async function rows(): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query(
      "SELECT vapi_phone_id, phone_number, twilio_phone_number_sid, twilio_messaging_service_sid, is_active FROM vapi_phone_numbers ORDER BY vapi_phone_id",
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

function deletes(since: number): string[] {
  return stack.emulator.requestLog
    .entries()
    .slice(since)
    .filter((e) => e.method === "DELETE")
    .map((e) => `${e.operationId} ${e.status}`);
}

/** Every file of a saved plan, for what must not be in it. */
function savedPlanText(savedPlan: string): string {
  return readdirSync(savedPlan)
    .map((file) => readFileSync(join(savedPlan, file), "utf8"))
    .join("\n");
}

describe("invariant 8, a deploy does only what a person approved: the deploy of a stack, run whole as the workflow runs it", () => {
  it("plans with a saved plan and applies it in the same job when it releases nothing, then migrates and syncs", async () => {
    writeAccounts();
    const plan = await planJob();
    expect(plan.code, plan.log).toBe(0);
    expect(plan.outputs).toEqual({ digest: NO_RELEASES, releases: "false" });
    expect(readdirSync(plan.savedPlan).sort()).toEqual([
      "plan-model.json",
      "plan.json",
      "plan.md",
      "saved-plan.json",
      "update-plan.json",
    ]);
    expect(JSON.parse(readFileSync(join(plan.savedPlan, "saved-plan.json"), "utf8"))).toMatchObject(
      {
        stack: stack.stack,
        commit: headCommit(),
        releaseDigest: NO_RELEASES,
        releases: 0,
      },
    );
    expect(plan.summary).toContain(`### Saved plan of stack \`${stack.stack}\``);
    expect(plan.summary).toContain(
      `releases digest \`${NO_RELEASES}\` · 0 release(s) or deletion(s)`,
    );
    expect(plan.summary).toContain("2 accounts change · numbers: 2 to buy");
    expect(plan.log).toContain(
      `plan: no release or deletion (digest ${NO_RELEASES}); applied by this job`,
    );

    // The saved plan is uploaded as an artifact: no credential of any kind is in it.
    const saved = savedPlanText(plan.savedPlan);
    for (const secret of [
      deployKey.secret,
      releaseKey.secret,
      DEFAULT_AUTH_TOKEN,
      LOCAL_STACK_PASSPHRASE,
      db.url,
    ]) {
      expect(saved).not.toContain(secret);
    }

    expect(applyStep.if).toBe("steps.plan.outputs.releases == 'false'");
    const apply = await applyInPlanJob(plan.savedPlan, plan.outputs.digest ?? "");
    expect(apply.code, apply.log).toBe(0);
    const order = ["applying the saved plan", "migrating the database", "sync"].map((s) =>
      apply.log.indexOf(`] ${s}`),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    expect(apply.log).toContain(`applied the saved plan of stack ${stack.stack}`);
    const synced = await rows();
    expect(synced.map((r) => [r.vapi_phone_id, r.is_active])).toEqual([
      ["vapi-a", true],
      ["vapi-b", true],
    ]);
    for (const row of synced) {
      expect(row.twilio_phone_number_sid).toMatch(/^PN[0-9a-f]{32}$/);
      expect(row.twilio_messaging_service_sid).toMatch(/^MG[0-9a-f]{32}$/);
    }
  });

  it("applies a plan with a release only in the releases job, exactly the saved plan, after approval", async () => {
    writeAccounts({ releaseA: true });
    const plan = await planJob();
    expect(plan.code, plan.log).toBe(0);
    expect(plan.outputs.releases).toBe("true");
    const digest = plan.outputs.digest ?? "";
    expect(digest).not.toBe(NO_RELEASES);
    expect(plan.summary).toContain(
      `It is applied by the next job, in the environment \`${stack.stack}-releases\`, once a reviewer approves it there; approve only this digest: \`${digest}\`.`,
    );
    expect(plan.summary).toContain(`release number \`main\``);
    expect(workflow.jobs.releases).toMatchObject({
      needs: "plan",
      if: "needs.plan.outputs.releases == 'true'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
      environment: "${{ inputs.stack }}-releases",
    });

    // Were the plan job's apply step to run anyway, it would refuse: nothing is released.
    const since = stack.emulator.requestLog.entries().length;
    const unapproved = await applyInPlanJob(plan.savedPlan, digest, releaseKey);
    expect(unapproved.code).toBe(1);
    expect(unapproved.log).toContain(
      `error: refused: the saved plan releases or deletes (2 change(s), digest ${digest}): it is applied only after a person approved it`,
    );
    expect(deletes(since)).toEqual([]);

    // The approval: the releases job downloads the artifact the plan job uploaded.
    const artifact = join(mkdtempSync(join(dir, "releases-job-")), "saved-plan");
    cpSync(plan.savedPlan, artifact, { recursive: true });
    const shown = await runStep(showStep, { SAVED_PLAN_DIR: artifact });
    expect(shown.code, shown.log).toBe(0);
    expect(shown.summary).toContain(`releases digest \`${digest}\` · 2 release(s) or deletion(s)`);
    expect(shown.summary).toContain("> [!CAUTION]");

    const releaseValues = {
      SAVED_PLAN_DIR: artifact,
      ALLOW_RELEASES: "true",
      DATABASE_URL: db.url,
      ...environmentSecrets(stack, releaseKey),
    };
    // A digest other than the one the plan job printed (and the reviewer approved) is refused.
    const wrong = await runStep(releaseStep, { ...releaseValues, EXPECTED_DIGEST: NO_RELEASES });
    expect(wrong.code).toBe(1);
    expect(wrong.log).toContain(
      `error: refused: the saved plan's releases digest is ${digest}, not the expected ${NO_RELEASES}`,
    );
    expect(deletes(since)).toEqual([]);

    const released = await runStep(releaseStep, { ...releaseValues, EXPECTED_DIGEST: digest });
    expect(released.code, released.log).toBe(0);
    // The release, then the attachment's delete, which finds the number already out of the
    // service's pool (Twilio's 20404: done).
    expect(deletes(since)).toEqual(["DeleteIncomingPhoneNumber 204", "DeletePhoneNumber 404"]);
    expect(
      (await rows()).map((r) => [r.vapi_phone_id, r.is_active, r.twilio_phone_number_sid]),
    ).toEqual([
      ["vapi-a", false, null],
      ["vapi-b", true, expect.stringMatching(/^PN/)],
    ]);
  });

  it("refuses an up that would release a number the saved plan does not hold: 0 release calls", async () => {
    writeAccounts({ releaseA: true, smsUrlB: "https://hooks.example/v2/sms" });
    const plan = await planJob();
    expect(plan.code, plan.log).toBe(0);
    expect(plan.outputs).toEqual({ digest: NO_RELEASES, releases: "false" });
    const [, b] = (await stack.outputs()).accounts as Array<{
      numbers: Array<{ sid: string; phoneNumber: string }>;
    }>;
    const numberOfB = b?.numbers[0];

    // The YAML then also releases B's number; even the release key, which could, releases nothing.
    writeAccounts({ releaseA: true, releaseB: true, smsUrlB: "https://hooks.example/v2/sms" });
    const since = stack.emulator.requestLog.entries().length;
    const rowsBefore = await rows();
    const apply = await applyInPlanJob(plan.savedPlan, NO_RELEASES, releaseKey);
    expect(apply.code).toBe(1);
    const commit = headCommit()?.slice(0, 12);
    expect(apply.log).toContain(
      [
        `error: refused: this deployment would release number \`main\` of account ${B.name} (${B.id}) (${numberOfB?.phoneNumber}, ${numberOfB?.sid}), which the saved plan does not hold; Pulumi stopped before that operation`,
        `  saved plan: ${plan.savedPlan}/update-plan.json (stack ${stack.stack}, commit ${commit}, releases digest ${NO_RELEASES})`,
      ].join("\n"),
    );
    expect(deletes(since)).toEqual([]);
    expect(apply.log).not.toContain("] migrating the database");
    expect(await rows()).toEqual(rowsBefore);
    const stillThere = await stack.twilio.incomingPhoneNumbers(numberOfB?.sid ?? "").fetch();
    expect(stillThere.sid).toBe(numberOfB?.sid);
  });

  it("deploys main only: a run started from another branch stops before anything", async () => {
    for (const step of [planStep, applyStep]) {
      const values: Record<string, string> = {
        DEPLOY_REF: "refs/heads/feature/x",
        SAVED_PLAN_DIR: join(dir, "never"),
        ...environmentSecrets(stack, deployKey),
        ...(step === applyStep ? { EXPECTED_DIGEST: NO_RELEASES, DATABASE_URL: db.url } : {}),
      };
      const run = await runStep(step, values);
      expect(run.code).toBe(1);
      expect(run.log).toBe(
        "::error::deploys run from main only; this run is on 'refs/heads/feature/x': start the deploy workflow from main (workflow_dispatch → Branch: main)\n",
      );
    }
  });

  it("refuses to apply without DATABASE_URL, before calling Pulumi", async () => {
    const run = await runStep(applyStep, {
      SAVED_PLAN_DIR: join(dir, "never"),
      EXPECTED_DIGEST: NO_RELEASES,
      DATABASE_URL: "",
      ...environmentSecrets(stack, deployKey),
    });
    expect(run.code).toBe(1);
    expect(run.log).toBe(
      "::error::DATABASE_URL is not set: the sync would write into an embedded database and the backend would never see the SIDs\n",
    );
  });
});
