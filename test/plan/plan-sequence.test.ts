/**
 * `npm run plan` on one real stack through a deployment's life: buy and adopt, a settings update, a
 * webhook change, a release, an account removal the program refuses, invalid YAML, and no change.
 * Every plan is rendered from a real `pulumi preview --json` of the project's program against the
 * Twilio emulator (live, or captured from the same CLI and read back with --from-json).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCommentMarker } from "../../src/plan/approval";
import { repoRoot } from "../../src/util/repo-root";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { changingSteps, jsonPreviewSteps } from "../support/preview-then-up";
import { type CliResult, runPlanApproval, runPlanCli, stackEnvironment } from "./plan-cli";
import { scalePreview } from "./scale-preview";

const A = { id: "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11", name: "Downtown Montreal Dentistry" };
const B = { id: "b329f0bd-3fcd-472f-ac93-596b2f650edc", name: "Kitsilano Family Dental" };
const ADOPTED = {
  sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4",
  phoneNumber: "+16045550142",
  friendlyName: "Kitsilano front desk",
};
const INBOUND = "https://api.parlae.example/twilio/inbound";

interface Proposal {
  sticky?: boolean;
  inbound?: string;
  smsUrl?: string;
  releaseA?: boolean;
  withA?: boolean;
  withB?: boolean;
}

/** The accounts YAML a pull request proposes, written as a person writes it. */
function accountsYaml(p: Proposal = {}): string {
  // Releases at once: these tests are about the plan of a release, not its window.
  const lines = ["defaults:", "  country: CA", "  releaseAfterDays: 0", "accounts:"];
  if (p.withA ?? true) {
    lines.push(`  - id: ${A.id}`, `    name: ${A.name}`);
    if (p.releaseA) lines.push("    release: true");
    lines.push(
      "    messagingService:",
      `      inboundRequestUrl: ${p.inbound ?? INBOUND}`,
      `      stickySender: ${p.sticky ?? true}`,
      "    numbers:",
      "      - name: main",
      '        areaCode: "514"',
    );
    if (p.smsUrl) lines.push(`        smsUrl: ${p.smsUrl}`);
  }
  if (p.withB ?? true) {
    lines.push(
      `  - id: ${B.id}`,
      `    name: ${B.name}`,
      "    messagingService:",
      `      inboundRequestUrl: ${INBOUND}`,
      "    numbers:",
      "      - name: main",
      "        adopt:",
      `          sid: ${ADOPTED.sid}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

let stack: AccountsStack;
let dir: string;
/** Captured real previews, scaled up to 1,000 accounts at the end. */
const captured: Record<string, string> = {};

beforeAll(async () => {
  stack = await createAccountsStack({ seedPhoneNumbers: [ADOPTED] });
  dir = join(stack.ws.stateDir, "..");
});

afterAll(async () => {
  await stack?.dispose();
});

/** `npm run plan -- --stack <this stack> …args`, as CI runs it. */
function plan(...args: string[]): Promise<CliResult> {
  return runPlanCli(["--stack", stack.stack, ...args], stackEnvironment(stack));
}

/**
 * Captures the stack's real `pulumi preview --json --refresh` (what the plan runs) into a file and
 * returns its path and Twilio steps (`op Type name`, as `twilioSteps` gives them).
 */
async function capturePreview(name: string) {
  const preview = await stack.cli(["preview", "--json", "--refresh"], { check: false });
  const file = join(dir, `${name}.preview.json`);
  writeFileSync(file, preview.stdout);
  captured[name] = preview.stdout;
  return { file, steps: jsonPreviewSteps(preview.stdout) };
}

/** The plan of a captured preview, through the CLI's --from-json. */
function planFrom(file: string, format = "markdown"): Promise<CliResult> {
  return runPlanCli(["--from-json", file, "--format", format, "--stack", stack.stack]);
}

/**
 * Deploys what was previewed, and checks that `up` changed per resource what the captured preview
 * planned (`pulumi preview --json` lists only the steps that change something).
 */
async function upAsPreviewed(previewed: string[]): Promise<void> {
  const up = await stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
  expect(changingSteps(up.events), "up did what the captured preview planned").toEqual(
    changing(previewed),
  );
}

async function deployed() {
  const outputs = (await stack.outputs()).accounts as Array<{
    accountId: string;
    messagingServiceSid: string;
    numbers: Array<{ sid: string; phoneNumber: string }>;
  }>;
  const of = (id: string) => outputs.find((o) => o.accountId === id);
  return { a: of(A.id), b: of(B.id) };
}

/** The steps that change something. */
const changing = (steps: string[]) => steps.filter((step) => !step.startsWith("same "));

describe("npm run plan through a stack's life", () => {
  it("plans the first deployment: a number bought, one adopted, two services, two attachments (exit 0)", async () => {
    stack.writeAccounts(accountsYaml());
    const live = await plan();
    expect(live.code).toBe(0);
    expect(live.stdout).toBe(
      [
        `### Twilio plan for stack \`${stack.stack}\``,
        "",
        "2 accounts change · numbers: 1 to buy, 1 to adopt · Messaging Services: 2 to create · attachments: 2 added",
        "",
        "**Monthly cost: +$1.15** (1 number bought × $1.15) · numbers managed: 0 → 2 (≈ $2.30/month at $1.15 per number; Messaging Services are free)",
        "",
        "<details open><summary>Changes per account (2)</summary>",
        "",
        `**Downtown Montreal Dentistry** (\`${A.id}\`)`,
        "- buy number `main` in area code `514` (CA) · +$1.15/month",
        "- create Messaging Service `Downtown Montreal Dentistry - Parlae`",
        "- attach number `main` to the Messaging Service",
        "",
        `**Kitsilano Family Dental** (\`${B.id}\`)`,
        `- adopt number \`main\` (\`${ADOPTED.sid}\`) (already in the Twilio account: no new cost)`,
        "- create Messaging Service `Kitsilano Family Dental - Parlae`",
        "- attach number `main` to the Messaging Service",
        "",
        "</details>",
        "",
      ].join("\n"),
    );
    expect(live.stderr).toContain("[plan] running pulumi preview --json --refresh on stack");

    // The same preview saved by the CLI and read back renders the same plan.
    const captured = await capturePreview("first");
    expect((await planFrom(captured.file)).stdout).toBe(live.stdout);
    const text = await planFrom(captured.file, "text");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `Downtown Montreal Dentistry (${A.id})\n  buy number main in area code 514 (CA) · +$1.15/month\n`,
    );
    const json = JSON.parse((await planFrom(captured.file, "json")).stdout);
    expect(json).toMatchObject({
      exitCode: 0,
      destructive: [],
      buysByAreaCode: { "514": 1 },
      totals: {
        numbersToBuy: 1,
        numbersToAdopt: 1,
        monthlyDeltaCents: 115,
        managedNumbersAfter: 2,
      },
    });
    await upAsPreviewed(captured.steps);
  });

  it("plans a settings update with each changed field, old → new", async () => {
    stack.writeAccounts(accountsYaml({ sticky: false }));
    const { file, steps } = await capturePreview("settings");
    const result = await planFrom(file);
    const { a } = await deployed();
    expect(result.stdout).toContain(
      `- update Messaging Service \`Downtown Montreal Dentistry - Parlae\` (\`${a?.messagingServiceSid}\`): \`stickySender\`: \`true\` → \`false\`\n`,
    );
    expect(result.stdout).toContain("Messaging Services: 1 to update");
    expect(result.stdout).toContain("**Monthly cost: +$0.00**");
    // Only the service changes: no attachment replaced (issue 7), so no warning block and exit 0.
    expect(changing(steps)).toEqual([`update MessagingService ${A.id}-service`]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("> [!CAUTION]");
    expect(result.stdout).not.toContain("re-attach");
    await upAsPreviewed(steps);
  });

  it("plans webhook changes of a number and a service", async () => {
    stack.writeAccounts(
      accountsYaml({
        sticky: false,
        inbound: "https://hooks.example/v2/inbound",
        smsUrl: "https://hooks.example/v2/sms",
      }),
    );
    const { file, steps } = await capturePreview("webhooks");
    const result = await planFrom(file);
    expect(result.stdout).toContain(
      `- webhook of number main: \`smsUrl\`: (not set) → \`https://hooks.example/v2/sms\`\n`,
    );
    expect(result.stdout).toContain(
      `- webhook of Messaging Service: \`inboundRequestUrl\`: \`${INBOUND}\` → \`https://hooks.example/v2/inbound\`\n`,
    );
    expect(result.stdout).toContain("webhooks: 2 changed");
    expect(result.stdout).toContain(
      "**Monthly cost: +$0.00** · numbers managed: 2 → 2 (≈ $2.30/month at $1.15 per number; Messaging Services are free)",
    );
    // The number and the service are updated in place; their attachment stays (issue 7).
    expect(changing(steps)).toEqual([
      `update MessagingService ${A.id}-service`,
      `update PhoneNumber ${A.id}-main`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("> [!CAUTION]");
    expect(result.stdout).not.toContain("re-attach");
    await upAsPreviewed(steps);
  });

  it("puts a release first, in the warning block, with the account name, and exits 3", async () => {
    stack.writeAccounts(
      accountsYaml({
        sticky: false,
        inbound: "https://hooks.example/v2/inbound",
        smsUrl: "https://hooks.example/v2/sms",
        releaseA: true,
      }),
    );
    const { a } = await deployed();
    const number = a?.numbers[0];
    const { file, steps } = await capturePreview("release");
    const result = await planFrom(file);
    expect(result.code).toBe(3);
    expect(result.stdout.split("\n").slice(0, 6).join("\n")).toBe(
      [
        `### Twilio plan for stack \`${stack.stack}\``,
        "",
        "> [!CAUTION]",
        "> **This plan releases or deletes in Twilio (cannot be undone): 3 changes in 1 account**",
        ">",
        `> - **Downtown Montreal Dentistry** (\`${A.id}\`): release number \`main\` (${number?.phoneNumber}, ${number?.sid}); delete Messaging Service "Downtown Montreal Dentistry - Parlae" (${a?.messagingServiceSid}); detach number \`main\` (${number?.phoneNumber}) from its Messaging Service`,
      ].join("\n"),
    );
    expect(result.stdout).toContain(
      "**Monthly cost: -$1.15** (1 number released × -$1.15) · numbers managed: 2 → 1 (≈ $1.15/month",
    );
    expect(result.stdout).toContain(
      `- RELEASE number \`main\` (\`${number?.phoneNumber}\`, \`${number?.sid}\`) · -$1.15/month\n`,
    );
    expect(result.stderr).toContain("this plan releases or deletes: 3 change(s) (exit 3)");
    // The digest an approval is bound to: in the warning block, hidden for the workflow, in JSON
    // with the set it is computed from, and in the text.
    const json = JSON.parse((await planFrom(file, "json")).stdout);
    expect(json.releaseSet).toEqual([
      `account ${A.id} attachment main detach ${number?.phoneNumber}`,
      `account ${A.id} messaging-service delete ${a?.messagingServiceSid}`,
      `account ${A.id} number main release ${number?.sid}`,
    ]);
    expect(json.releaseDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.stdout).toContain(
      `>\n> Releases digest: \`${json.releaseDigest}\` (an approval holds for exactly this list)\n<!-- twilio-messaging-release-digest:${json.releaseDigest} -->\n`,
    );
    expect((await planFrom(file, "text")).stdout).toContain(
      `!!! releases digest: ${json.releaseDigest}\n`,
    );
    await upAsPreviewed(steps);
  });

  it("surfaces the program's refusal of an account removed without release, reason first (exit 1)", async () => {
    const proposal = join(dir, "proposed.yaml");
    writeFileSync(proposal, accountsYaml({ releaseA: true, withB: false }));
    const stackFile = join(repoRoot, `Pulumi.${stack.stack}.yaml`);
    const configBefore = readFileSync(stackFile, "utf8");
    const result = await plan("--accounts", proposal);
    expect(result.code).toBe(1);
    const reason = `number 'main' of account ${B.id} (${B.name}) was removed from the YAML without release: true.`;
    expect(result.stderr.split("\n").find((l) => !l.startsWith("["))).toContain(reason);
    expect(result.stdout).toContain("**The preview failed; nothing was planned.**");
    expect(result.stdout).toContain(`\`\`\`\n${reason}`);
    // --accounts is for this preview only: the stack's config file is untouched.
    expect(readFileSync(stackFile, "utf8")).toBe(configBefore);
  });

  it("keeps invalid YAML's file:line:column message (exit 1)", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      `accounts:\n  - id: ${A.id}\n    name: Clinic\n    numbers:\n      - name: main\n        areaCode: "51"\n`,
    );
    const result = await plan("--accounts", bad);
    expect(result.code).toBe(1);
    const message = `${bad}:6:19: accounts[0].numbers[0].areaCode: expected a 3-digit area code such as "514", got "51"`;
    expect(result.stderr.split("\n").find((l) => !l.startsWith("["))).toBe(message);
    expect(result.stdout).toContain(`\`\`\`\n${message}\n\`\`\``);
  });

  it("says no changes when the YAML matches Twilio (exit 0), without the earlier --accounts and with two files", async () => {
    const noChanges = {
      code: 0,
      stdout: `### Twilio plan for stack \`${stack.stack}\`\n\n**No changes** to Twilio.\n`,
    };
    const result = await plan();
    expect({ code: result.code, stdout: result.stdout }).toEqual(noChanges);
    // The same accounts split over two files given to one --accounts: both reach the program.
    const deployedA = join(dir, "a.yaml");
    const deployedB = join(dir, "b.yaml");
    writeFileSync(
      deployedA,
      accountsYaml({
        sticky: false,
        inbound: "https://hooks.example/v2/inbound",
        smsUrl: "https://hooks.example/v2/sms",
        releaseA: true,
        withB: false,
      }),
    );
    writeFileSync(deployedB, accountsYaml({ withA: false }));
    const split = await plan("--accounts", deployedA, deployedB);
    expect({ code: split.code, stdout: split.stdout }).toEqual(noChanges);
  });
});

describe("a 1,000-account plan", () => {
  const LIMIT = 65_536; // GitHub's comment size limit, in characters

  /**
   * The comments the plan workflow posts for a preview, as scripts/ci-plan.sh makes them: the saved
   * plan's plan.md and plan.json (what --save-plan writes: the same renderings), then
   * `npm run plan:approval` writes marker + plan + note into the file the workflow posts unchanged
   * (.github/workflows/plan.yml). One comment per label state, the note differs.
   */
  async function postedComments(previewFile: string): Promise<string[]> {
    const planDir = join(dir, `saved-${Date.now()}`);
    mkdirSync(planDir);
    writeFileSync(join(planDir, "plan.md"), (await planFrom(previewFile)).stdout);
    writeFileSync(join(planDir, "plan.json"), (await planFrom(previewFile, "json")).stdout);
    const approval = async (name: string, flags: string[]) => {
      const comment = join(planDir, `${name}.md`);
      await runPlanApproval([
        ...["--stack", stack.stack, "--plan", planDir, "--label", "release-approved"],
        ...["--comment", comment, ...flags],
      ]);
      return readFileSync(comment, "utf8");
    };
    const unlabelled = await approval("unlabelled", []);
    writeFileSync(join(planDir, "previous.md"), unlabelled);
    return [
      unlabelled,
      await approval("withdrawn", ["--label-present"]),
      await approval("approved", [
        "--label-present",
        "--label-added",
        "--previous-comment",
        join(planDir, "previous.md"),
      ]),
    ];
  }

  it("fits a GitHub comment: counts and cost for all, details collapsed and cut with a note", async () => {
    const file = join(dir, "scaled-first.json");
    writeFileSync(file, scalePreview(captured.first as string, A, 1000));
    const result = await planFrom(file);
    expect(result.code).toBe(0);
    for (const comment of await postedComments(file)) {
      expect(comment.startsWith(`${planCommentMarker(stack.stack)}\n${result.stdout}`)).toBe(true);
      expect(comment.length).toBeLessThan(LIMIT);
    }
    expect(result.stdout).toContain(
      "1,001 accounts change · numbers: 1,000 to buy, 1 to adopt · Messaging Services: 1,001 to create · attachments: 1,001 added",
    );
    expect(result.stdout).toContain("**Monthly cost: +$1,150.00** (1,000 numbers bought × $1.15)");
    expect(result.stdout).toContain("<details><summary>Changes per account (1,001)</summary>");
    expect(result.stdout).toMatch(
      /\n… and [\d,]+ more accounts not shown here \(GitHub's comment size limit\) \(`npm run plan -- --stack e2e-[\w-]+ --format text` prints every account\)\.\n/,
    );
    expect(result.stdout.trimEnd().endsWith("</details>")).toBe(true);
  });

  it("keeps the warning block first and within the limit when 1,000 accounts are released (exit 3)", async () => {
    const file = join(dir, "scaled-release.json");
    writeFileSync(file, scalePreview(captured.release as string, A, 1000));
    const result = await planFrom(file);
    expect(result.code).toBe(3);
    const comments = await postedComments(file);
    expect(comments.map((c) => /> \[!(\w+)\]\n(?!.*\n> \[!)/s.exec(c)?.[1])).toEqual([
      "IMPORTANT",
      "WARNING",
      "NOTE",
    ]);
    for (const comment of comments) expect(comment.length).toBeLessThan(LIMIT);
    expect(result.stdout.split("\n").slice(2, 4)).toEqual([
      "> [!CAUTION]",
      "> **This plan releases or deletes in Twilio (cannot be undone): 3,000 changes in 1,000 accounts**",
    ]);
    expect(result.stdout).toMatch(
      /\n> - … and [\d,]+ more accounts with releases or deletions: see the full plan/,
    );
    expect(result.stdout).toContain(
      "**Monthly cost: -$1,150.00** (1,000 numbers released × -$1.15)",
    );
    // The text format is not cut: every account is there.
    const text = await planFrom(file, "text");
    expect(text.stdout.match(/^!!! {3}/gm)).toHaveLength(1000);
  });
});

describe("npm run plan usage", () => {
  it("prints help (exit 0) and refuses bad options with exit 2", async () => {
    const help = await runPlanCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run plan -- --stack <name> [options]");
    const badFormat = await runPlanCli(["--stack", "x", "--format", "xml"]);
    expect(badFormat).toMatchObject({ code: 2, stdout: "" });
    expect(badFormat.stderr).toMatch(
      /^error: --format expects one of markdown, text, json, got 'xml'/,
    );
    const noStack = await runPlanCli([]);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toMatch(/^error: --stack is required/);
  });
});
