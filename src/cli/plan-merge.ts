/**
 * `npm run plan:merge -- --plans DIR --shards JSON --out DIR`: one plan from the plans the touched
 * shards' jobs saved (src/plan/merge.ts), saved like one shard's (plan.md, plan.json,
 * plan-model.json) so that npm run plan:approval decides over the union of the releases. Exit
 * codes as npm run plan: 0 no release or deletion, 3 some, 1 a shard's plan failed or is missing,
 * 2 usage.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mergePlans, PLAN_MODEL_FILE, readShardPlan } from "../plan/merge";
import type { Plan } from "../plan/model";
import { renderJson, renderMarkdown, renderText } from "../plan/render";
import { SAVED_PLAN_FILES } from "../plan/saved-plan";
import { SHARD_NAME } from "../shards/manifest";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run plan:merge -- --plans <dir> --shards <json> --out <dir>

Merges the plans of several shards into one (a sharded pull request's one comment): per-account
sections of every shard, one warning block and one releases digest over the union of their
releases and deletions, one cost line. Each shard's plan is read from <plans>/plan-<shard>/ (what
npm run plan -- --save-plan wrote there, as the workflow's artifacts hold it); a shard named in
--shards without a plan makes the merged plan fail, naming it. Writes plan.md, plan.json and
plan-model.json into --out (for npm run plan:approval -- --plan <out>) and prints the plan as text.

Options:
  --plans <dir>    the folder holding one plan-<shard>/ folder per shard
  --shards <json>  the shards to merge, as a JSON list of names (npm run shard:touched's output)
  --out <dir>      where to write the merged plan
  -h, --help       show this help

Exit codes: 0 no release or deletion, 3 the merged plan releases or deletes, 1 a shard's plan
failed or is missing, 2 usage.`;

function shardList(text: string): string[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new UsageError(`--shards expects a JSON list of shard names, got '${text}'`);
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError("--shards expects a non-empty JSON list of shard names");
  }
  for (const name of list) {
    // Names become folder names here: only what the manifest allows.
    if (typeof name !== "string" || !SHARD_NAME.test(name)) {
      throw new UsageError(`--shards: '${String(name)}' is not a shard name`);
    }
  }
  return list as string[];
}

function heading(shards: string[]): string {
  return `### Twilio plan for ${shards.length === 1 ? "shard" : `${shards.length} shards`}: ${shards.map((s) => `\`${s}\``).join(", ")}`;
}

function exitCodeOf(plan: Plan): number {
  if (plan.errors.length > 0) return EXIT.failure;
  return plan.destructive.length > 0 ? EXIT.destructive : EXIT.ok;
}

export const planMergeCommand = defineCommand({
  script: "plan:merge",
  usage: USAGE,
  options: {
    plans: { type: "string" },
    shards: { type: "string" },
    out: { type: "string" },
  },
  run({ values }, io) {
    for (const name of ["plans", "shards", "out"] as const) {
      if (!values[name]) throw new UsageError(`--${name} is required`);
    }
    const shards = shardList(values.shards as string);
    const plansDir = resolvePath(io, values.plans as string);
    const parts = shards.map((shard) => readShardPlan(shard, join(plansDir, `plan-${shard}`)));
    const merged = mergePlans(parts, `shards: ${shards.join(", ")}`);
    const code = exitCodeOf(merged);
    const markdown = renderMarkdown(merged, {
      fullPlanHint: "each shard's plan job prints its accounts in full",
    }).replace(/^### .*\n/, `${heading(shards)}\n`);
    const out = resolvePath(io, values.out as string);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, SAVED_PLAN_FILES.markdown), markdown);
    writeFileSync(join(out, SAVED_PLAN_FILES.json), renderJson(merged, code));
    writeFileSync(join(out, PLAN_MODEL_FILE), JSON.stringify(merged));
    io.out(renderText(merged));
    io.err(
      `[plan:merge] ${shards.length} shard plan(s) merged into ${out} (${markdown.length.toLocaleString("en-US")} characters of Markdown)\n`,
    );
    if (code === EXIT.failure) io.err(`${merged.errors.join("\n")}\n`);
    return code;
  },
});

if (require.main === module) main(planMergeCommand);
