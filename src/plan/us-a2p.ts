/**
 * The plan's view of each account's US A2P 10DLC registration (providers/us-a2p-registration.ts):
 * where it stands, as the preview's refresh read it from Twilio, and what the next `up` does or
 * waits for, in the words of src/a2p/describe.ts. Every registration is listed, changed or not:
 * "waiting for brand (IN_REVIEW since 2026-12-01)" is what a reviewer needs to see while nothing
 * can be done. Personal data never reaches the plan (it is a secret in the preview).
 */
import {
  type Changes,
  isActionable,
  LINK_NAMES,
  LINKS,
  nextStep,
  type RegistrationState,
  type Step,
} from "../a2p/chain";
import { describeState, describeStep } from "../a2p/describe";
import type { Preview, ResourceState } from "./preview-json";

export const US_A2P_TYPE = "pulumi-nodejs:dynamic/twilio:UsA2pRegistration";

export interface RegistrationPlan {
  accountId: string;
  accountName: string;
  /** create: the first registration steps; advance: the next `up` performs a step; none: it waits. */
  action: "create" | "advance" | "none";
  /** The campaign's status now (null before the campaign exists). */
  campaignStatus: string | null;
  /** Where each link stands now, in words. */
  state: string;
  /** What the next `up` does, or what it waits for, in words. */
  next: string;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stepOf(oldState: ResourceState | undefined, inputs: Record<string, unknown>): Step {
  const outputs = record(oldState?.outputs);
  const changes: Changes = {
    brand: oldState !== undefined && !same(outputs.brand, inputs.brand),
    campaign: oldState !== undefined && !same(outputs.campaign, inputs.campaign),
  };
  return nextStep(record(outputs.state) as RegistrationState, changes);
}

/**
 * The registrations in the preview, by account name. A `--refresh` preview holds a `refresh` step
 * for every resource (its state as Twilio holds it now) and, when the YAML or the refreshed state
 * calls for one, a create or update step; a registration with nothing to do has no other step.
 */
export function registrationPlans(
  preview: Preview,
  accountName: (accountId: string) => string,
): RegistrationPlan[] {
  const byUrn = new Map<
    string,
    { old?: ResourceState; inputs: Record<string, unknown>; created: boolean }
  >();
  for (const step of preview.steps) {
    const state = step.newState ?? step.oldState;
    if (state?.type !== US_A2P_TYPE || step.op === "delete" || step.op === "read") continue;
    const known = byUrn.get(step.urn);
    if (step.op === "refresh") {
      // The refreshed state: what Twilio holds now, with the inputs of the last deployment.
      byUrn.set(step.urn, {
        old: step.newState,
        inputs: record(step.newState?.inputs),
        created: false,
      });
      continue;
    }
    byUrn.set(step.urn, {
      old: step.oldState ?? known?.old,
      inputs: record(step.newState?.inputs ?? known?.inputs),
      created: step.op === "create",
    });
  }
  const plans: RegistrationPlan[] = [];
  for (const { old, inputs, created } of byUrn.values()) {
    const accountId = String(inputs.accountId ?? record(old?.outputs).accountId ?? "");
    const next = stepOf(created ? undefined : old, inputs);
    const outputs = created ? {} : record(old?.outputs);
    plans.push({
      accountId,
      accountName: accountName(accountId),
      action: created ? "create" : isActionable(next) ? "advance" : "none",
      campaignStatus: typeof outputs.campaignStatus === "string" ? outputs.campaignStatus : null,
      state: describeState(record(outputs.state) as RegistrationState),
      next: describeStep(next),
    });
  }
  return plans.sort(
    (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
  );
}

/** One line per registration, for the text and Markdown renderers. */
export function registrationLine(r: RegistrationPlan, title: string): string {
  return `${title}: ${r.next} (now: ${r.state})`;
}

/** A review that moved since the last `up`: what the scheduled refresh reports. */
export interface RegistrationChange {
  accountId: string;
  accountName: string;
  link: string;
  from: string | null;
  to: string | null;
  reason?: string;
}

/**
 * The reviews that moved since the last `up`, from a `--refresh` preview: a registration whose
 * review moved is planned as an update (its diff says so), whose old state holds both the refreshed
 * `state` and the `reviewed` one the last up left.
 */
export function registrationChanges(
  preview: Preview,
  accountName: (accountId: string) => string,
): RegistrationChange[] {
  const changes: RegistrationChange[] = [];
  for (const step of preview.steps) {
    if (step.oldState?.type !== US_A2P_TYPE || step.op === "refresh") continue;
    const outputs = record(step.oldState.outputs);
    const now = record(outputs.state) as RegistrationState;
    const before = record(outputs.reviewed) as RegistrationState;
    const accountId = String(outputs.accountId ?? "");
    for (const link of LINKS) {
      const from = before[link]?.status ?? null;
      const to = now[link]?.status ?? null;
      if (from === to) continue;
      const reason = now[link]?.reason;
      changes.push({
        accountId,
        accountName: accountName(accountId),
        link: LINK_NAMES[link],
        from,
        to,
        ...(reason ? { reason } : {}),
      });
    }
  }
  return changes.sort(
    (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
  );
}
