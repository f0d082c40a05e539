/**
 * An account's US A2P 10DLC registration from YAML to a verified campaign, on the real Pulumi CLI
 * and the emulator. One stack, in order, like a team's weeks: each `up` does what the reviews
 * allow and never waits; the reviewer (the emulator's admin API) decides between runs.
 */
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { runPlanCli, stackEnvironment } from "../plan/plan-cli";
import { autoReview, compliance, decide } from "../support/a2p-stack";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { runCommand } from "../support/run-command";
import { PERSONAL, US_ACCOUNT_ID, usAccountYaml } from "../support/us-a2p-yaml";

let stack: AccountsStack;

interface UsA2pOutput {
  campaignStatus: string | null;
  next: string;
}

async function registration(): Promise<UsA2pOutput | undefined> {
  const accounts = (await stack.outputs()).accounts as { accountId: string; usA2p?: UsA2pOutput }[];
  return accounts.find((a) => a.accountId === US_ACCOUNT_ID)?.usA2p;
}

async function up() {
  return stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
}

const SINCE = "since \\d{4}-\\d{2}-\\d{2}\\)$";
const TITLE = `Seattle Smiles Dental (${US_ACCOUNT_ID})`;
const UNREGISTERED_ID = "e8b1c0de-51a2-4f0e-9d3c-2b7a6f5e4d3c";

/** The YAML: the registered account, and a US account that declares no registration. */
function accountsYaml(options: Parameters<typeof usAccountYaml>[0] = {}): string {
  return `${usAccountYaml(options)}  - id: ${UNREGISTERED_ID}
    name: Portland Walk-in Dental
    numbers:
      - name: main
        areaCode: "503"
        country: US
`;
}

const B_ID = "0c7d9e8f-1a2b-4c3d-8e9f-a1b2c3d4e5f6";
const B_TITLE = `Tacoma Bright Smiles (${B_ID})`;
const REASON = "The EIN does not match the legal business name";

/** A second registered account, Tacoma Bright Smiles, next to the two of accountsYaml(). */
function withTacoma(options: Parameters<typeof usAccountYaml>[0] = {}): string {
  const tacoma = usAccountYaml({ ...options, areaCode: "253" })
    .replace("accounts:\n", "")
    .replace(US_ACCOUNT_ID, B_ID)
    .replace("name: Seattle Smiles Dental", "name: Tacoma Bright Smiles")
    .replace("legalName: Seattle Smiles Dental PLLC", "legalName: Tacoma Bright Smiles PLLC");
  return `${accountsYaml()}${tacoma}`;
}

/** \`npm run plan -- --format text\`, as a person reads it. */
async function planText(): Promise<string> {
  const plan = await runPlanCli(
    ["--stack", stack.stack, "--format", "text"],
    stackEnvironment(stack),
  );
  expect(plan.code, plan.stderr).toBe(0);
  return plan.stdout;
}

/** The plan's text with the dates (the emulator's clock: today) made stable. */
function datesOut(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}/g, "<day>");
}

beforeAll(async () => {
  stack = await createAccountsStack();
  stack.writeAccounts(accountsYaml());
});

afterAll(async () => {
  await stack?.dispose();
});

describe("US A2P registration: the approve path", () => {
  it("the first plan registers the account, and warns about the US account without a registration", async () => {
    const text = await planText();
    expect(text).toContain(
      [
        "US A2P 10DLC registrations:",
        `  ${TITLE}: create and submit the customer profile (business, representative, address) (now: nothing registered yet)`,
      ].join("\n"),
    );
    expect(text).toContain(
      `account ${UNREGISTERED_ID} (Portland Walk-in Dental) has US local numbers ('main') but no compliance.usA2p: US carriers block its messages (Twilio error 30034) until a brand and campaign are registered`,
    );
    for (const value of Object.values(PERSONAL)) expect(text).not.toContain(value);
  });

  it("first up: buys the number, makes and submits the customer profile, and stops there", async () => {
    await up();
    const summary = await compliance(stack);
    expect(summary.customer_profiles.map((p) => p.status)).toEqual(["pending-review"]);
    expect(summary.trust_products).toEqual([]);
    expect(summary.brand_registrations).toEqual([]);
    expect(await registration()).toEqual({
      campaignStatus: null,
      next: expect.stringMatching(
        new RegExp(`^waiting for customer profile \\(pending-review ${SINCE}`),
      ),
    });
  });

  it("the plan while the profile is in review: no change, and what it waits for since when", async () => {
    const text = datesOut(await planText());
    expect(text).toContain("No changes to Twilio.");
    expect(text, text).toContain(
      [
        "US A2P 10DLC registrations:",
        `  ${TITLE}: waiting for customer profile (pending-review since <day>) (now: customer profile pending-review)`,
      ].join("\n"),
    );
  });

  it("an up while the profile is in review changes nothing in Twilio", async () => {
    stack.emulator.requestLog.clear();
    await up();
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("continues the chain after each approval: trust product, brand, campaign", async () => {
    const profile = (await compliance(stack)).customer_profiles[0]?.sid ?? "";
    await decide(stack, profile, "approve");
    // The plan's refresh sees the approval: the next up continues the chain.
    expect(datesOut(await planText())).toContain(
      `  ${TITLE}: create and submit the A2P trust product (now: customer profile twilio-approved)`,
    );
    await up();
    let summary = await compliance(stack);
    expect(summary.trust_products.map((t) => t.status)).toEqual(["pending-review"]);
    expect((await registration())?.next).toMatch(
      new RegExp(`^waiting for A2P trust product \\(pending-review ${SINCE}`),
    );

    await decide(stack, summary.trust_products[0]?.sid ?? "", "approve");
    await up();
    summary = await compliance(stack);
    expect(
      summary.brand_registrations.map((b) => [b.status, b.customer_profile_bundle_sid]),
    ).toEqual([["PENDING", profile]]);
    expect((await registration())?.next).toMatch(
      new RegExp(`^waiting for brand \\(PENDING ${SINCE}`),
    );

    await decide(stack, summary.brand_registrations[0]?.sid ?? "", "approve");
    await up();
    summary = await compliance(stack);
    const accounts = (await stack.outputs()).accounts as { messagingServiceSid: string }[];
    expect(summary.campaigns.map((c) => [c.campaign_status, c.messaging_service_sid])).toEqual([
      ["IN_PROGRESS", accounts[0]?.messagingServiceSid],
    ]);
    expect(await registration()).toEqual({
      campaignStatus: "IN_PROGRESS",
      next: expect.stringMatching(new RegExp(`^waiting for campaign \\(IN_PROGRESS ${SINCE}`)),
    });
  });

  it("reads the verified campaign on the next up, then converges with no mutating call", async () => {
    const campaign = (await compliance(stack)).campaigns[0]?.sid ?? "";
    await decide(stack, campaign, "approve");
    await up();
    expect(await registration()).toEqual({
      campaignStatus: "VERIFIED",
      next: "registered: campaign VERIFIED",
    });
    stack.emulator.requestLog.clear();
    await up();
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    const summary = await compliance(stack);
    expect(summary.customer_profiles).toHaveLength(1);
    expect(summary.brand_registrations).toHaveLength(1);
    expect(summary.campaigns).toHaveLength(1);
  });

  it("keeps the tax id, email and phone out of the state's plain text and the outputs", async () => {
    const exported = await stack.cli(["stack", "export"]);
    const outputs = JSON.stringify(await stack.outputs());
    for (const value of Object.values(PERSONAL)) {
      expect(exported.stdout).not.toContain(value);
      expect(outputs).not.toContain(value);
    }
  });
});

describe("US A2P registration: a rejection, its reason, and the resubmission", () => {
  it("shows the reviewer's reason in the plan, and does nothing until the YAML changes", async () => {
    stack.writeAccounts(withTacoma());
    await up();
    const submitted = (await compliance(stack)).customer_profiles.filter((p) =>
      p.friendly_name.startsWith("Tacoma Bright Smiles PLLC profile"),
    );
    expect(submitted.map((p) => p.status)).toEqual(["pending-review"]);
    expect(submitted).toHaveLength(1);
    await decide(stack, submitted[0]?.sid ?? "", "reject", REASON);
    const text = datesOut(await planText());
    expect(text).toContain("No changes to Twilio.");
    expect(text, text).toContain(
      `  ${B_TITLE}: customer profile rejected (twilio-rejected since <day>): ${REASON}; change compliance.usA2p to resubmit (now: customer profile twilio-rejected)`,
    );
  });

  it("the daily refresh's script lists the rejection and its reason in the job summary", async () => {
    const summaryFile = join(tmpdir(), `a2p-summary-${process.pid}.md`);
    try {
      const run = await runCommand("bash", ["scripts/ci-a2p-refresh.sh"], {
        cwd: repoRoot,
        env: {
          ...process.env,
          ...stackEnvironment(stack),
          STACK: stack.stack,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
      });
      expect(run.code, run.stderr).toBe(0);
      const summary = readFileSync(summaryFile, "utf8");
      expect(summary).toContain(`### US A2P 10DLC reviews on stack \`${stack.stack}\``);
      expect(summary).toContain(
        `| Tacoma Bright Smiles (\`${B_ID}\`) | customer profile | pending-review | **twilio-rejected** | ${REASON} |`,
      );
      expect(summary).toContain("1 review moved since the last deployment");
      for (const value of Object.values(PERSONAL)) expect(summary).not.toContain(value);
    } finally {
      rmSync(summaryFile, { force: true });
    }
  });

  it("resubmits the corrected profile (no second one) and carries the chain as far as the reviews allow in one up", async () => {
    stack.writeAccounts(withTacoma({ website: "https://tacoma-bright-smiles.example" }));
    // Reviews decided at once: this one up goes from the resubmission to a verified campaign.
    await autoReview(stack, { afterMs: 1, outcome: "approve" });
    try {
      await up();
    } finally {
      await autoReview(stack, null);
    }
    const summary = await compliance(stack);
    expect(summary.customer_profiles.map((p) => p.status)).toEqual([
      "twilio-approved",
      "twilio-approved",
    ]);
    expect(summary.brand_registrations).toHaveLength(2);
    expect(summary.campaigns.map((c) => c.campaign_status)).toEqual(["VERIFIED", "VERIFIED"]);
    const accounts = (await stack.outputs()).accounts as { accountId: string; usA2p?: unknown }[];
    expect(accounts.find((a) => a.accountId === B_ID)?.usA2p).toEqual({
      campaignStatus: "VERIFIED",
      next: "registered: campaign VERIFIED",
    });
  });
});
