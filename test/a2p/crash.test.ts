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
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { compliance } from "../support/a2p-stack";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { documentedRerun, recover } from "../support/documented-recovery";
import { US_ACCOUNT_ID, usAccountYaml } from "../support/us-a2p-yaml";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: AccountsStack;
const history: RequestLogEntry[] = [];
let onExchange: ((entry: RequestLogEntry) => void) | undefined;

beforeAll(async () => {
  stack = await createAccountsStack({
    autoReview: { afterMs: 1, outcome: "approve" },
    onExchange: (entry) => {
      history.push(entry);
      onExchange?.(entry);
    },
  });
  stack.writeAccounts(usAccountYaml());
});

afterAll(async () => {
  await stack?.dispose();
});

/** Runs `pulumi up` and kills it when the emulator has served the first `operationId`. */
async function upKilledAt(operationId: string): Promise<void> {
  const killed = new AbortController();
  let killedAt = 0;
  onExchange = (entry) => {
    if (entry.operationId !== operationId || killed.signal.aborted) return;
    killedAt = Date.now();
    killed.abort();
  };
  try {
    const crashed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      check: false,
      signal: killed.signal,
    });
    expect(killed.signal.aborted, `the up never sent ${operationId}:\n${crashed.output}`).toBe(
      true,
    );
    expect(crashed.code).not.toBe(0);
  } finally {
    onExchange = undefined;
  }
  // Nothing of the killed run reaches Twilio afterwards.
  await sleep(1_500);
  const late = history.filter((entry) => Date.parse(entry.time) > killedAt + 100);
  expect(late.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
  await recover(stack);
}

function creates(operationId: string): number {
  return history.filter((e) => e.operationId === operationId && (e.status ?? 500) < 300).length;
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
