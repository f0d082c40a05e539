/**
 * The sharded pipeline as GitHub Actions runs it, step by step with exactly the variables the
 * workflows give each step, against two real shards (two stacks on one backend, one Twilio
 * emulator) and a real PostgreSQL scratch database:
 *
 * - pull request: one `plan-shard` job per touched shard (its own read-only key) saves its plan;
 *   the `plan-merge` job merges them into ONE comment (per-account sections, one warning block,
 *   one cost line) whose approval binds the union of the shards' releases; a shard without a plan
 *   fails the check, naming it;
 * - deploy: each shard's plan job and apply step run in parallel, each with its own saved plan;
 *   each shard's sync writes its own rows and never deactivates another shard's.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../../src/emulator/server";
import { digestOfReleaseSet } from "../../src/plan/release-digest";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { createTwilioClient } from "../../src/twilio/client";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { runCommand } from "../support/run-command";
import { createShardStacks, type ShardStacks } from "../support/shard-stacks";
import { readGithubOutput } from "../workflows/runner";
import {
  type ApiKey,
  createRestrictedKey,
  DEPLOY_KEY_POLICY,
  PLAN_KEY_POLICY,
  RELEASE_KEY_POLICY,
} from "../workflows/twilio-keys";
import {
  readWorkflow,
  stepOf,
  WORKFLOW_DIR,
  type Workflow,
  type WorkflowStep,
} from "../workflows/workflows";

const [A, B, C] = THREE_ACCOUNTS.map((account, i) => ({
  ...account,
  vapiPhoneId: `vapi-${i + 1}`,
})) as [
  (typeof THREE_ACCOUNTS)[0] & { vapiPhoneId: string },
  (typeof THREE_ACCOUNTS)[0] & { vapiPhoneId: string },
  (typeof THREE_ACCOUNTS)[0] & { vapiPhoneId: string },
];
const D = {
  id: "4f1c2a9e-8d3b-4b7a-9c61-2e5d7f0a1b23",
  name: "Verdun Smiles",
  areaCode: "514",
  vapiPhoneId: "vapi-4",
};

const planYml = readWorkflow(join(WORKFLOW_DIR, "plan.yml"));
const deployYml = readWorkflow(join(WORKFLOW_DIR, "deploy-stack.yml"));
const shardPlanStep = stepOf(planYml, "plan-shard", "Plan the shard");
const mergeStep = stepOf(planYml, "plan-merge", "merge");
const deployPlanStep = stepOf(deployYml, "plan", "plan");
const deployApplyStep = stepOf(deployYml, "plan", "Apply the saved plan, migrate, sync");
const releaseStep = stepOf(deployYml, "releases", "Apply the approved saved plan, migrate, sync");

let shards: ShardStacks;
let db: ScratchDatabase;
let dir: string;
let planKey: ApiKey;
let deployKey: ApiKey;
let releaseKey: ApiKey;
let runs = 0;
const stackOf = (name: string) => shards.shards.find((s) => s.name === name)?.stack as string;

/** Runs a step's `run:` with exactly the variables its workflow and step declare. */
async function runStep(workflow: Workflow, step: WorkflowStep, values: Record<string, string>) {
  const declared = [...Object.keys(workflow.env ?? {}), ...Object.keys(step.env ?? {})];
  expect(Object.keys(values).sort(), `${step.name}'s variables`).toEqual(declared.sort());
  const files = mkdtempSync(join(dir, `step-${++runs}-`));
  const output = join(files, "output");
  const summary = join(files, "summary");
  const inherited = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (/^(TWILIO_|PULUMI_BACKEND|PULUMI_CONFIG|DATABASE_URL)/.test(name)) delete inherited[name];
  }
  const result = await runCommand("bash", ["-e", "-c", `: >"$GITHUB_OUTPUT"; ${step.run ?? ""}`], {
    cwd: repoRoot,
    env: {
      ...inherited,
      ...values,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      NO_COLOR: "1",
    },
  });
  return { ...result, log: `${result.stdout}${result.stderr}`, outputs: readGithubOutput(output) };
}

function secrets(key: ApiKey): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${shards.ws.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
    TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
    TWILIO_API_KEY: key.sid,
    TWILIO_API_SECRET: key.secret,
  };
}

const planEnv = {
  STACK: "prod",
  ACCOUNTS_FILES: "config/accounts.yaml",
  APPROVAL_LABEL: "release-approved",
};

/** The `plan-shard` job's plan step for one shard; its plan goes where the artifact is fetched. */
function planShard(shard: string, plans: string) {
  return runStep(planYml, shardPlanStep, {
    ...planEnv,
    SHARD: shard,
    SHARDS_MANIFEST: shards.manifest,
    PLAN_DIR: join(plans, `plan-${shard}`),
    ...secrets(planKey),
  });
}

function merge(
  shardList: string[],
  plans: string,
  label: { present?: boolean; added?: boolean; previous?: string } = {},
) {
  const out = mkdtempSync(join(dir, "merged-"));
  return runStep(planYml, mergeStep, {
    ...planEnv,
    SHARDS_JOB: "success",
    SHARDS: JSON.stringify(shardList),
    PLANS_DIR: plans,
    OUT_DIR: out,
    LABEL_PRESENT: String(label.present ?? false),
    LABEL_ADDED: String(label.added ?? false),
    PREVIOUS_COMMENT: label.previous ?? join(out, "none.md"),
  });
}

async function rows(): Promise<
  Record<string, { active: boolean; updated: string; pn: string | null }>
> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query(
      "SELECT vapi_phone_id, is_active, updated_at::text AS updated, twilio_phone_number_sid AS pn FROM vapi_phone_numbers",
    );
    return Object.fromEntries(
      result.rows.map((r) => [
        r.vapi_phone_id,
        { active: r.is_active, updated: r.updated, pn: r.pn },
      ]),
    );
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "shards-pipeline-"));
  shards = await createShardStacks(["west", "east"]);
  db = await createScratchDatabase("shards_pipeline");
  const twilio = createTwilioClient({
    accountSid: DEFAULT_ACCOUNT_SID,
    authToken: DEFAULT_AUTH_TOKEN,
    baseUrl: shards.emulator.baseUrl,
  });
  planKey = await createRestrictedKey(twilio, "plan", PLAN_KEY_POLICY);
  deployKey = await createRestrictedKey(twilio, "deploy", DEPLOY_KEY_POLICY);
  releaseKey = await createRestrictedKey(twilio, "release", RELEASE_KEY_POLICY);
  shards.writeAccounts("west", accountsYaml([A, B]));
  shards.writeAccounts("east", accountsYaml([C]));
  await Promise.all([
    shards.pulumi("west", ["up", "--yes", "--skip-preview"]),
    shards.pulumi("east", ["up", "--yes", "--skip-preview"]),
  ]);
}, 300_000);

afterAll(async () => {
  await shards?.dispose();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the sharded pull-request plan", () => {
  it("plans each touched shard in its own job and posts ONE merged comment; the approval binds the union of releases", async () => {
    // West gains an account; east releases its number.
    shards.writeAccounts("west", accountsYaml([A, B, D]));
    shards.writeAccounts("east", accountsYaml([{ ...C, numberRelease: true }]));
    const plans = mkdtempSync(join(dir, "plans-"));
    const [west, east] = await Promise.all([planShard("west", plans), planShard("east", plans)]);
    expect(west.code, west.log).toBe(0);
    expect(east.code, east.log).toBe(0);
    expect(west.log).toContain(`shard west (stack ${stackOf("west")}): planned (exit 0)`);
    expect(east.log).toContain(`shard east (stack ${stackOf("east")}): planned (exit 3)`);

    const first = await merge(["west", "east"], plans);
    expect(first.code).toBe(1);
    expect(first.outputs.verdict).toBe("needs-approval");
    const comment = readFileSync(first.outputs.comment as string, "utf8");
    expect(
      comment.startsWith(
        "<!-- twilio-messaging-plan:shards -->\n### Twilio plan for 2 shards: `west`, `east`\n",
      ),
    ).toBe(true);
    const count = (text: string) => comment.split(text).length - 1;
    expect(count("> [!CAUTION]")).toBe(1);
    expect(count("Releases digest:")).toBe(1);
    expect(count("**Monthly cost:")).toBe(1);
    expect(comment).toContain(
      `**${D.name}** (\`${D.id}\`)\n- buy number \`main\` in area code \`514\``,
    );
    expect(comment).toContain(`**${C.name}** (\`${C.id}\`)\n- RELEASE number \`main\``);
    expect(comment).toContain(
      "**Monthly cost: +$0.00** (1 number bought × $1.15, 1 number released × -$1.15)",
    );
    // The digest is the one of the union of both shards' releases.
    const union = ["west", "east"].flatMap(
      (s) =>
        JSON.parse(readFileSync(join(plans, `plan-${s}`, "plan.json"), "utf8"))
          .releaseSet as string[],
    );
    expect(union).toHaveLength(2); // the release and the detach, both from east
    expect(comment).toContain(`Releases digest: \`${digestOfReleaseSet(union)}\``);

    // A maintainer adds the label on that comment: the check passes, approval recorded.
    const approved = await merge(["west", "east"], plans, {
      present: true,
      added: true,
      previous: first.outputs.comment,
    });
    expect(approved.code, approved.log).toBe(0);
    expect(approved.outputs.verdict).toBe("approved");

    // A shard whose job left no plan fails the merged check, naming it.
    const missing = await merge(["west", "east", "north"], plans);
    expect(missing.code).toBe(1);
    expect(readFileSync(missing.outputs.comment as string, "utf8")).toContain(
      "shard north has no plan",
    );
  }, 300_000);
});

describe("the sharded deploy", () => {
  it("deploys the shards in parallel with their own saved plans; each shard's sync leaves the other's rows alone", async () => {
    shards.writeAccounts("west", accountsYaml([A, B]));
    shards.writeAccounts("east", accountsYaml([C]));
    const deploy = async (shard: string) => {
      const saved = join(mkdtempSync(join(dir, `saved-${shard}-`)), "saved-plan");
      const base = {
        STACK: stackOf(shard),
        SHARDS_MANIFEST: shards.manifest,
        ACCOUNTS_FILES: "",
        DEPLOY_REF: "refs/heads/main",
      };
      const plan = await runStep(deployYml, deployPlanStep, {
        ...base,
        SAVED_PLAN_DIR: saved,
        ...secrets(deployKey),
      });
      expect(plan.code, plan.log).toBe(0);
      return { base, saved, plan };
    };
    const apply = (
      d: Awaited<ReturnType<typeof deploy>>,
      step = deployApplyStep,
      key = deployKey,
      extra = {},
    ) =>
      runStep(deployYml, step, {
        ...d.base,
        SAVED_PLAN_DIR: d.saved,
        EXPECTED_DIGEST: d.plan.outputs.digest as string,
        DATABASE_URL: db.url,
        ...extra,
        ...secrets(key),
      });
    const [west, east] = await Promise.all([deploy("west"), deploy("east")]);
    expect([west.plan.outputs.releases, east.plan.outputs.releases]).toEqual(["false", "false"]);
    const applied = await Promise.all([apply(west), apply(east)]);
    for (const run of applied) expect(run.code, run.log).toBe(0);
    const afterBoth = await rows();
    expect(Object.keys(afterBoth).sort()).toEqual(["vapi-1", "vapi-2", "vapi-3"]);
    expect(Object.values(afterBoth).every((r) => r.active && r.pn)).toBe(true);

    // East releases its number: its sync clears that row, and nothing of west's.
    shards.writeAccounts("east", accountsYaml([{ ...C, numberRelease: true }]));
    const release = await deploy("east");
    expect(release.plan.outputs.releases).toBe("true");
    const released = await apply(release, releaseStep, releaseKey, { ALLOW_RELEASES: "true" });
    expect(released.code, released.log).toBe(0);
    const afterRelease = await rows();
    expect(afterRelease["vapi-3"]?.active).toBe(false);
    expect(afterRelease["vapi-1"]).toEqual(afterBoth["vapi-1"]);
    expect(afterRelease["vapi-2"]).toEqual(afterBoth["vapi-2"]);

    // West's sync again: its rows unchanged, east's released row stays as east left it.
    const sync = await runCommand(
      join(repoRoot, "node_modules", ".bin", "tsx"),
      [
        join(repoRoot, "src", "cli", "sync.ts"),
        "--stack",
        stackOf("west"),
        "--database-url",
        db.url,
        "--json",
      ],
      { cwd: repoRoot, env: shards.env },
    );
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      created: 0,
      updated: 0,
      deactivated: 0,
      unchanged: 2,
    });
    expect(await rows()).toEqual(afterRelease);
  }, 400_000);
});
