/**
 * Crash-only registration: `pulumi up` (the real CLI) killed with SIGKILL, CLI and plugins, right
 * after the emulator served each create of the chain in turn (the customer profile, the A2P trust
 * product, the brand registration, the campaign), then the documented recovery (`npm run pulumi --
 * recover`, `preview` and `up`, which refresh first) and a no-op `up`. Twilio must then hold one of
 * each, never two: a brand or a campaign registered twice costs money and days of review.
 *
 * Reviews are decided at once (the emulator's autoReview), so every run goes as far down the chain
 * as it can: each killed run first finds what the previous one made (markers, the brand by its
 * profile, the campaign by its service) and is killed at the next create.
 *
 * On the same stack, a failed campaign: registered anew once its fields change (the failed one
 * deleted, the brand kept), nothing done while the YAML still says what was rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoReview, compliance, decide } from "../support/a2p-stack";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { documentedRerun, recover } from "../support/documented-recovery";
import { killSwitch } from "../support/up-killed-at";
import { US_ACCOUNT_ID, usAccountYaml } from "../support/us-a2p-yaml";

let stack: AccountsStack;
const kills = killSwitch();

beforeAll(async () => {
  stack = await createAccountsStack({
    autoReview: { afterMs: 1, outcome: "approve" },
    onExchange: (entry) => kills.onExchange(entry),
  });
  stack.writeAccounts(usAccountYaml());
});

afterAll(async () => {
  await stack?.dispose();
});

/** Runs `pulumi up`, kills it when the emulator has served the first `operationId`, then recovers. */
async function upKilledAt(operationId: string): Promise<void> {
  await kills.upKilledAt(stack, operationId);
  await recover(stack);
}

function creates(operationId: string): number {
  return kills.history.filter((e) => e.operationId === operationId && (e.status ?? 500) < 300)
    .length;
}

describe("a kill during each create of the registration", () => {
  it("registers one profile, trust product, brand and campaign, whatever was killed when", async () => {
    for (const operationId of [
      "CreateCustomerProfile",
      "CreateTrustProduct",
      "CreateBrandRegistrations",
      "CreateUsAppToPerson",
    ]) {
      await upKilledAt(operationId);
    }
    await documentedRerun(stack);

    const summary = await compliance(stack);
    expect(summary.customer_profiles.map((p) => p.status)).toEqual(["twilio-approved"]);
    expect(summary.trust_products.map((p) => p.status)).toEqual(["twilio-approved"]);
    expect(summary.brand_registrations.map((b) => b.status)).toEqual(["APPROVED"]);
    expect(summary.campaigns.map((c) => c.campaign_status)).toEqual(["VERIFIED"]);
    // Each create was served once, across the five runs; the end users and address too.
    for (const operationId of [
      "CreateCustomerProfile",
      "CreateTrustProduct",
      "CreateBrandRegistrations",
      "CreateUsAppToPerson",
      "CreateSupportingDocument",
      "CreateAddress",
    ])
      expect(creates(operationId), operationId).toBe(1);
    expect(creates("CreateEndUser")).toBe(3);
    const accounts = (await stack.outputs()).accounts as {
      accountId: string;
      usA2p?: { campaignStatus: string | null };
    }[];
    expect(accounts.find((a) => a.accountId === US_ACCOUNT_ID)?.usA2p?.campaignStatus).toBe(
      "VERIFIED",
    );
  });
});

const C_ID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
const REASON = "Sample messages do not match the declared use case";

/** The Seattle account, and Olympia Family Dental with its own registration. */
function withOlympia(description?: string): string {
  const olympia = usAccountYaml({ areaCode: "360", ...(description ? { description } : {}) })
    .replace("accounts:\n", "")
    .replace(US_ACCOUNT_ID, C_ID)
    .replace("name: Seattle Smiles Dental", "name: Olympia Family Dental")
    .replace("legalName: Seattle Smiles Dental PLLC", "legalName: Olympia Family Dental PLLC");
  return `${usAccountYaml()}${olympia}`;
}

async function olympia(): Promise<{ campaignStatus: string | null; next: string } | undefined> {
  const accounts = (await stack.outputs()).accounts as {
    accountId: string;
    messagingServiceSid: string;
    usA2p?: { campaignStatus: string | null; next: string };
  }[];
  return accounts.find((a) => a.accountId === C_ID)?.usA2p;
}

describe("a failed campaign", () => {
  it("is registered anew, once its fields are corrected (the failed one deleted, the brand kept)", async () => {
    stack.writeAccounts(withOlympia());
    // The chain runs to the approved brand; the campaign create fails (Twilio answers 500 each time).
    stack.emulator.faults.set({
      serverErrors: { rate: 1, match: { operationId: "CreateUsAppToPerson" } },
    });
    try {
      const failed = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
      expect(failed.code).not.toBe(0);
    } finally {
      stack.emulator.faults.clear();
    }
    await autoReview(stack, null);
    await stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
    const inProgress = (await compliance(stack)).campaigns.filter(
      (c) => c.campaign_status === "IN_PROGRESS",
    );
    expect(inProgress).toHaveLength(1);
    await decide(stack, inProgress[0]?.sid ?? "", "reject", REASON);

    // The next up records the rejection, and does nothing else while the YAML is unchanged.
    stack.emulator.requestLog.clear();
    await stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect((await olympia())?.next).toMatch(
      new RegExp(
        `^campaign rejected \\(FAILED since \\d{4}-\\d{2}-\\d{2}\\): ${REASON}; change compliance.usA2p to resubmit$`,
      ),
    );

    stack.writeAccounts(
      withOlympia("Appointment reminders only, for patients who booked through the clinic's site."),
    );
    await stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
    const summary = await compliance(stack);
    expect(summary.campaigns.find((c) => c.sid === inProgress[0]?.sid)).toBeUndefined();
    expect(summary.campaigns.map((c) => c.campaign_status).sort()).toEqual([
      "IN_PROGRESS",
      "VERIFIED",
    ]);
    expect(summary.brand_registrations).toHaveLength(2);
    expect(await olympia()).toEqual({
      campaignStatus: "IN_PROGRESS",
      next: expect.stringMatching(/^waiting for campaign \(IN_PROGRESS since /),
    });
  });
});
