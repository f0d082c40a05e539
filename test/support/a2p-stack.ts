/**
 * The reviewer's side of the A2P suites: what the emulator holds (`GET /__emulator/compliance`)
 * and its decisions (`POST /__emulator/compliance/{SID}/approve|reject`), over HTTP as a demo does.
 */
import { expect } from "vitest";
import type { AccountsStack } from "./accounts-stack";

const SECONDARY_PROFILE_POLICY_SID = "RNdfbf3fae0e1107f8aded0e7cead80bf5";

interface Bundle {
  sid: string;
  friendly_name: string;
  policy_sid: string;
  status: string;
  failure_reason: string | null;
}

export interface ComplianceSummary {
  customer_profiles: Bundle[];
  trust_products: Bundle[];
  brand_registrations: { sid: string; status: string; customer_profile_bundle_sid: string }[];
  campaigns: { sid: string; campaign_status: string; messaging_service_sid: string }[];
}

export async function compliance(stack: AccountsStack): Promise<ComplianceSummary> {
  const response = await fetch(`${stack.emulator.baseUrl}/__emulator/compliance`);
  expect(response.status).toBe(200);
  const summary = (await response.json()) as ComplianceSummary;
  // The primary profile is the ISV's own (made in the Console); the chain makes secondary ones.
  return {
    ...summary,
    customer_profiles: summary.customer_profiles.filter(
      (p) => p.policy_sid === SECONDARY_PROFILE_POLICY_SID,
    ),
  };
}

/** The reviewer decides on a submitted profile, trust product, brand or campaign. */
export async function decide(
  stack: AccountsStack,
  sid: string,
  action: "approve" | "reject",
  reason?: string,
): Promise<void> {
  const response = await fetch(`${stack.emulator.baseUrl}/__emulator/compliance/${sid}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(reason ? { reason } : {}),
  });
  expect(response.status, await response.text()).toBe(200);
}

/** Turns the emulator's automatic review on (`{ afterMs, outcome }`) or off (null). */
export async function autoReview(
  stack: AccountsStack,
  setting: { afterMs: number; outcome?: "approve" | "reject"; reason?: string } | null,
): Promise<void> {
  const response = await fetch(`${stack.emulator.baseUrl}/__emulator/settings`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ autoReview: setting }),
  });
  expect(response.status, await response.text()).toBe(200);
}
