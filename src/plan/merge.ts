/**
 * One plan from the plans of several shards (a sharded setup's pull request: one matrix job per
 * touched shard saves its plan, one job merges them into one comment). The merged plan is a plan
 * like any other, so it renders as one: per-account sections, one warning block, one cost line,
 * one releases digest over the union of every shard's releases (what the approval label binds).
 *
 * Each shard's job saves its plan model next to its saved plan (`plan-model.json`, written by
 * `npm run plan -- --save-plan`); a shard whose job left no plan makes the merged plan a failed one
 * that names it, so a missing shard can never read as "no changes".
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";
import type { Plan, PlanTotals } from "./model";

/** The plan model a saved plan's directory holds besides plan.md and plan.json. */
export const PLAN_MODEL_FILE = "plan-model.json";

/** What merging reads of a model; the rest is carried as it is. */
const PlanModelSchema = z.looseObject({
  stack: z.string(),
  accounts: z.array(z.looseObject({ accountId: z.string(), accountName: z.string() })),
  destructive: z.array(z.looseObject({ accountId: z.string() })),
  totals: z.record(z.string(), z.number()),
  buysByAreaCode: z.record(z.string(), z.number()),
  stateOnlyChanges: z.number(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
});

export interface ShardPlan {
  shard: string;
  /** The shard's plan, or why there is none (its job failed before planning). */
  plan: Plan | { missing: string };
}

/** Reads a shard's saved plan model; a missing or unreadable one is reported, never skipped. */
export function readShardPlan(shard: string, dir: string): ShardPlan {
  let text: string;
  try {
    text = readFileSync(join(dir, PLAN_MODEL_FILE), "utf8");
  } catch (error) {
    return {
      shard,
      plan: {
        missing: `shard ${shard} has no plan (${join(dir, PLAN_MODEL_FILE)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); its plan job failed before planning: see its log`,
      },
    };
  }
  const input = parseJsonInput(text, PlanModelSchema, 1);
  if (!input.ok) {
    const problem = "notJson" in input ? `not JSON (${input.notJson})` : input.problems[0];
    return { shard, plan: { missing: `shard ${shard}'s plan is not a plan model: ${problem}` } };
  }
  return { shard, plan: input.data as unknown as Plan };
}

/** Totals that add up across shards (the price per number is the same everywhere). */
function addTotals(a: PlanTotals, b: PlanTotals): PlanTotals {
  const sum = { ...a } as Record<string, number>;
  for (const [key, value] of Object.entries(b)) {
    if (key === "numberMonthlyCents") continue;
    sum[key] = (sum[key] ?? 0) + value;
  }
  return sum as unknown as PlanTotals;
}

export function mergePlans(parts: readonly ShardPlan[], stack: string): Plan {
  const plans = parts.flatMap((p) =>
    "missing" in p.plan ? [] : [{ shard: p.shard, plan: p.plan }],
  );
  const first = plans[0]?.plan;
  const empty: PlanTotals = {
    accountsChanged: 0,
    numbersToBuy: 0,
    numbersToAdopt: 0,
    numbersToRelease: 0,
    numbersToPark: 0,
    numbersToRestore: 0,
    numbersUpdated: 0,
    servicesToCreate: 0,
    servicesToUpdate: 0,
    servicesToDelete: 0,
    attachmentsAdded: 0,
    attachmentsRemoved: 0,
    webhooksChanged: 0,
    monthlyDeltaCents: 0,
    managedNumbersBefore: 0,
    managedNumbersAfter: 0,
    numberMonthlyCents: first?.totals.numberMonthlyCents ?? 0,
  };
  const buys: Record<string, number> = {};
  for (const { plan } of plans) {
    for (const [code, n] of Object.entries(plan.buysByAreaCode)) buys[code] = (buys[code] ?? 0) + n;
  }
  return {
    stack,
    accounts: plans
      .flatMap(({ plan }) => plan.accounts)
      .sort(
        (a, b) =>
          a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
      ),
    destructive: plans.flatMap(({ plan }) => plan.destructive),
    totals: plans.reduce((sum, { plan }) => addTotals(sum, plan.totals), empty),
    buysByAreaCode: buys,
    stateOnlyChanges: plans.reduce((sum, { plan }) => sum + plan.stateOnlyChanges, 0),
    // Each shard lists its own accounts' US A2P registrations; the merged plan lists them all.
    registrations: plans
      .flatMap(({ plan }) => plan.registrations)
      .sort((a, b) => a.accountName.localeCompare(b.accountName)),
    // Parked numbers of every shard, by release date as each shard's plan lists them.
    parked: plans
      .flatMap(({ plan }) => plan.parked)
      .sort((a, b) => a.parkedUntil.localeCompare(b.parkedUntil)),
    // One clock for every shard's plan in a run; the first shard's is the merged plan's.
    now: first?.now ?? new Date().toISOString(),
    errors: parts.flatMap((p) =>
      "missing" in p.plan
        ? [p.plan.missing]
        : p.plan.errors.map((error) => `shard ${p.shard}: ${error}`),
    ),
    warnings: plans.flatMap(({ shard, plan }) => plan.warnings.map((w) => `shard ${shard}: ${w}`)),
  };
}
