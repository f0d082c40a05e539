/**
 * A saved plan: the directory `npm run plan -- --save-plan DIR` writes and `npm run apply -- --plan
 * DIR` applies. CI uploads it as an artifact and hands it from the deploy's plan job to the job
 * that applies it after approval, so it holds nothing secret (tested): Pulumi's update plan holds
 * the stack config and the resources' inputs and outputs, and neither ever holds a credential
 * (providers/twilio-session.ts).
 *
 * - `plan.md`          the plan as Markdown (job summary, pull-request comment);
 * - `plan.json`        the plan as JSON (`--format json`), with its releases digest;
 * - `update-plan.json` Pulumi's update plan (`pulumi preview --save-plan`): what `pulumi up --plan`
 *                      enforces, operation by operation; only when the preview succeeded;
 * - `saved-plan.json`  what binds them: stack, commit, releases digest, the update plan's SHA-256;
 *                      only when the preview succeeded (a failed plan cannot be applied).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";
import {
  digestOfReleaseSet,
  RELEASE_DIGEST_PATTERN,
  type ReleaseDigest,
  releaseDigest,
  releaseSet,
} from "./release-digest";

export const SAVED_PLAN_FILES = {
  markdown: "plan.md",
  json: "plan.json",
  updatePlan: "update-plan.json",
  manifest: "saved-plan.json",
} as const;

const Digest = z.string().regex(RELEASE_DIGEST_PATTERN, "expected sha256: and 64 hex digits");

const ManifestSchema = z.strictObject({
  format: z.literal(1),
  stack: z.string().min(1),
  /** The commit the plan was made at; null outside a git checkout. */
  commit: z.string().nullable(),
  createdAt: z.string(),
  releaseDigest: Digest,
  /** How many releases and deletions the plan holds (0: it applies without approval). */
  releases: z.number().int().min(0),
  /** SHA-256 (hex) of update-plan.json, so a swapped file is refused. */
  updatePlanSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type SavedPlanManifest = z.output<typeof ManifestSchema>;

/** The parts of plan.json that applying needs (the renderer writes more). */
const PlanJsonSchema = z.looseObject({
  stack: z.string(),
  accounts: z.array(
    z.looseObject({
      accountId: z.string(),
      accountName: z.string(),
      numbers: z.array(
        z.looseObject({
          name: z.string(),
          sid: z.string().optional(),
          phoneNumber: z.string().optional(),
        }),
      ),
    }),
  ),
  destructive: z.array(z.looseObject({ what: z.string(), accountName: z.string() })),
  releaseSet: z.array(z.string()),
  releaseDigest: Digest,
  /** `npm run plan`'s exit code for it: 0, 3 (releases or deletions) or 1 (the preview failed). */
  exitCode: z.number().int(),
});

/** A number the plan changes, as the plan names it (for messages about it). */
export interface PlannedNumber {
  accountId: string;
  accountName: string;
  name: string;
  sid?: string;
  phoneNumber?: string;
}

export interface SavedPlan {
  dir: string;
  manifest: SavedPlanManifest;
  /** Each release or deletion in the plan's words: "Name: release number `main` (…)". */
  releases: string[];
  numbers: PlannedNumber[];
  /** Path of Pulumi's update plan, for `pulumi up --plan`. */
  updatePlanFile: string;
}

/** A saved plan that cannot be applied: the reason, first. */
export class SavedPlanError extends Error {}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Removes what an earlier plan left in `dir`, so a failed preview never leaves an old plan behind. */
export function clearSavedPlan(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const file of Object.values(SAVED_PLAN_FILES)) rmSync(join(dir, file), { force: true });
}

export interface SavedPlanContent {
  stack: string;
  commit: string | null;
  /** The plan's releases and deletions (the model's `destructive`). */
  plan: Parameters<typeof releaseSet>[0];
  markdown: string;
  json: string;
  /** False when the preview failed: no update plan, no manifest; the Markdown shows why. */
  appliable: boolean;
}

/** Writes the plan's files into `dir` (where the preview already saved update-plan.json). */
export function writeSavedPlan(dir: string, content: SavedPlanContent): SavedPlanManifest | null {
  writeFileSync(join(dir, SAVED_PLAN_FILES.markdown), content.markdown);
  writeFileSync(join(dir, SAVED_PLAN_FILES.json), content.json);
  const updatePlan = join(dir, SAVED_PLAN_FILES.updatePlan);
  if (!content.appliable || !existsSync(updatePlan)) return null;
  const manifest: SavedPlanManifest = {
    format: 1,
    stack: content.stack,
    commit: content.commit,
    createdAt: new Date().toISOString(),
    releaseDigest: releaseDigest(content.plan),
    releases: releaseSet(content.plan).length,
    updatePlanSha256: sha256(updatePlan),
  };
  writeFileSync(join(dir, SAVED_PLAN_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function readJson<T extends z.ZodType>(dir: string, file: string, schema: T): z.output<T> {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SavedPlanError(
      code === "ENOENT"
        ? `${path} is missing: ${dir} holds no appliable saved plan (was the plan saved with npm run plan -- --save-plan ${dir}, and did its preview succeed?)`
        : `cannot read ${path}: ${code ?? (error as Error).message}`,
    );
  }
  const input = parseJsonInput(text, schema, 1);
  if (input.ok) return input.data;
  const problem = "notJson" in input ? `not JSON (${input.notJson})` : input.problems[0];
  throw new SavedPlanError(`${path} is not what npm run plan -- --save-plan writes: ${problem}`);
}

/** What a plan's own files say, also when its preview failed (no update plan, no manifest). */
export interface RenderedPlan {
  stack: string;
  markdown: string;
  failed: boolean;
  releaseDigest: ReleaseDigest;
  /** Each release or deletion in the plan's words: "Name: release number `main` (…)". */
  releases: string[];
  numbers: PlannedNumber[];
}

/** Reads plan.md and plan.json of a saved plan's directory (throws SavedPlanError when missing). */
export function readRenderedPlan(dir: string): RenderedPlan {
  const plan = readJson(dir, SAVED_PLAN_FILES.json, PlanJsonSchema);
  const digest = digestOfReleaseSet(plan.releaseSet);
  if (digest !== plan.releaseDigest) {
    throw new SavedPlanError(
      `${join(dir, SAVED_PLAN_FILES.json)}'s releases digest does not match its releases`,
    );
  }
  let markdown: string;
  try {
    markdown = readFileSync(join(dir, SAVED_PLAN_FILES.markdown), "utf8");
  } catch (error) {
    throw new SavedPlanError(
      `cannot read ${join(dir, SAVED_PLAN_FILES.markdown)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return {
    stack: plan.stack,
    markdown,
    failed: plan.exitCode === 1,
    releaseDigest: digest,
    releases: plan.destructive.map((d) => `${d.accountName}: ${d.what}`),
    numbers: plan.accounts.flatMap((a) =>
      a.numbers.map((n) => ({
        accountId: a.accountId,
        accountName: a.accountName,
        name: n.name,
        ...(n.sid !== undefined ? { sid: n.sid } : {}),
        ...(n.phoneNumber !== undefined ? { phoneNumber: n.phoneNumber } : {}),
      })),
    ),
  };
}

/**
 * Reads a saved plan and checks that its parts belong together: the update plan is the one the
 * manifest names (SHA-256), and plan.json's releases give the manifest's digest.
 */
export function readSavedPlan(dir: string): SavedPlan {
  const manifest = readJson(dir, SAVED_PLAN_FILES.manifest, ManifestSchema);
  const plan = readRenderedPlan(dir);
  const updatePlanFile = join(dir, SAVED_PLAN_FILES.updatePlan);
  if (!existsSync(updatePlanFile)) {
    throw new SavedPlanError(`${updatePlanFile} is missing: the saved plan is incomplete`);
  }
  if (sha256(updatePlanFile) !== manifest.updatePlanSha256) {
    throw new SavedPlanError(
      `${updatePlanFile} is not the update plan this saved plan was made with (its SHA-256 differs from ${SAVED_PLAN_FILES.manifest}'s)`,
    );
  }
  if (plan.releaseDigest !== manifest.releaseDigest || plan.stack !== manifest.stack) {
    throw new SavedPlanError(
      `${join(dir, SAVED_PLAN_FILES.json)} does not match ${SAVED_PLAN_FILES.manifest} (stack ${plan.stack} vs ${manifest.stack}, releases ${plan.releaseDigest} vs ${manifest.releaseDigest})`,
    );
  }
  return { dir, manifest, releases: plan.releases, numbers: plan.numbers, updatePlanFile };
}
