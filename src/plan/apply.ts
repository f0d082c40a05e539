/**
 * Applies a saved plan (saved-plan.ts) with Pulumi's update plans: `pulumi up --plan`, refreshing
 * first like every `up` of the project. The engine does what the plan holds and stops at the first
 * operation it does not hold (a release, a deletion, a replacement, a change nobody previewed);
 * plan-violations.ts says which, in the plan's words.
 *
 * Before Pulumi runs, the saved plan must be this stack's, made at this commit, hold the releases
 * digest the caller expects (the one a person approved), and hold no release or deletion unless the
 * caller says releases are approved (the `<stack>-releases` job, after its reviewers approved).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";
import { stackEnvironment } from "../pulumi/backend";
import { runPulumiInWithEvents } from "../pulumi/events";
import { runPulumiIn } from "../pulumi/run";
import { repoRoot } from "../util/repo-root";
import { describeViolation, planViolations, savedPlanNames } from "./plan-violations";
import { type PlannedNumber, readSavedPlan, type SavedPlan } from "./saved-plan";

export interface ApplyRequest {
  /** The saved plan's directory. */
  dir: string;
  /** Refuse a plan of another stack. */
  stack?: string;
  /** The commit of this checkout (headCommit); the plan must have been made at it. */
  commit: string | null;
  /** Refuse a plan whose releases digest is not this one (the approved one). */
  expectDigest?: string;
  /** Whether the plan may release or delete (only after a person approved it). */
  allowReleases: boolean;
  /** Echo Pulumi's progress to stderr. */
  echo?: boolean;
  log?: (line: string) => void;
}

export type ApplyOutcome =
  | { status: "applied"; saved: SavedPlan }
  /** Nothing ran: the saved plan is not the one this deployment may apply. */
  | { status: "refused"; reason: string }
  /** Pulumi stopped at an operation the plan does not hold. */
  | { status: "violated"; saved: SavedPlan; reason: string }
  /** Pulumi failed for another reason (a Twilio error, the backend …). */
  | { status: "failed"; saved: SavedPlan; reason: string };

const short = (commit: string | null) => commit?.slice(0, 12) ?? "unknown";

/** "<dir>/update-plan.json (stack prod, commit 1a2b3c4d5e6f, releases digest sha256:…)" */
export function describeSavedPlan(saved: SavedPlan): string {
  const m = saved.manifest;
  return `${saved.updatePlanFile} (stack ${m.stack}, commit ${short(m.commit)}, releases digest ${m.releaseDigest})`;
}

/** Why this saved plan may not be applied here, or undefined when it may. */
function refusal(saved: SavedPlan, request: ApplyRequest): string | undefined {
  const m = saved.manifest;
  if (request.stack !== undefined && request.stack !== m.stack) {
    return `the saved plan in ${saved.dir} is for stack ${m.stack}, not ${request.stack}`;
  }
  if (m.commit !== request.commit) {
    return `the saved plan in ${saved.dir} was made at commit ${short(m.commit)}, and this checkout is at ${short(request.commit)}: plan again at this commit`;
  }
  if (request.expectDigest !== undefined && request.expectDigest !== m.releaseDigest) {
    return `the saved plan's releases digest is ${m.releaseDigest}, not the expected ${request.expectDigest}: it is not the plan that was shown for approval`;
  }
  if (m.releases > 0 && !request.allowReleases) {
    return `the saved plan releases or deletes (${m.releases} change(s), digest ${m.releaseDigest}): it is applied only after a person approved it (--allow-releases, the <stack>-releases job): ${saved.releases.join("; ")}`;
  }
  return undefined;
}

/** The part of the stack's `accounts` output that names numbers (src/sync/contract.ts has it all). */
const AccountsOutputSchema = z.looseObject({
  accounts: z
    .array(
      z.looseObject({
        accountId: z.string(),
        name: z.string(),
        numbers: z.array(
          z.looseObject({
            name: z.string(),
            sid: z.string().nullable(),
            phoneNumber: z.string().nullable(),
          }),
        ),
      }),
    )
    .default([]),
});

/**
 * The stack's numbers as its last deployment left them (`pulumi stack output`), to name a number a
 * refusal is about when the saved plan does not (it lists only what it changes). Empty when the
 * outputs cannot be read: the message then names the number without its SID.
 */
async function deployedNumbers(env: NodeJS.ProcessEnv, stack: string): Promise<PlannedNumber[]> {
  const run = await runPulumiIn(env, repoRoot, ["stack", "output", "--json", "--stack", stack], {
    check: false,
  });
  const parsed = parseJsonInput(run.stdout, AccountsOutputSchema, 1);
  if (run.code !== 0 || !parsed.ok) return [];
  return parsed.data.accounts.flatMap((a) =>
    a.numbers.map((n) => ({
      accountId: a.accountId,
      accountName: a.name,
      name: n.name,
      ...(n.sid ? { sid: n.sid } : {}),
      ...(n.phoneNumber ? { phoneNumber: n.phoneNumber } : {}),
    })),
  );
}

export async function applySavedPlan(request: ApplyRequest): Promise<ApplyOutcome> {
  const log = request.log ?? (() => {});
  let saved: SavedPlan;
  try {
    saved = readSavedPlan(request.dir);
  } catch (error) {
    return { status: "refused", reason: (error as Error).message };
  }
  const refused = refusal(saved, request);
  if (refused) return { status: "refused", reason: refused };

  const stack = saved.manifest.stack;
  const args = [
    "up",
    "--yes",
    "--skip-preview",
    "--refresh",
    "--plan",
    saved.updatePlanFile,
    "--stack",
    stack,
  ];
  // Update plans are behind PULUMI_EXPERIMENTAL in the pinned CLI 3.248.
  const env = { ...stackEnvironment(stack, args), PULUMI_EXPERIMENTAL: "true" };
  log(`applying ${describeSavedPlan(saved)}`);
  const run = await runPulumiInWithEvents(env, repoRoot, args, {
    check: false,
    echo: request.echo,
  });
  if (run.code === 0) return { status: "applied", saved };

  const diagnostics = run.events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent] : []));
  const violations = planViolations(diagnostics);
  if (violations.length > 0) {
    const names = savedPlanNames(readFileSync(saved.updatePlanFile, "utf8"), [
      ...saved.numbers,
      ...(await deployedNumbers(env, stack)),
    ]);
    const [first, ...more] = violations.map((v) => describeViolation(v, names));
    const lines = [
      `refused: this deployment would ${first}, which the saved plan does not hold; Pulumi stopped before that operation`,
      ...more.map((what) => `  and would ${what}, which it does not hold either`),
      `  saved plan: ${describeSavedPlan(saved)}`,
      `  next: plan again from this commit (npm run plan -- --stack ${stack} --save-plan <dir>) and have that plan reviewed; operations the saved plan holds may have run (see the log above)`,
      ...violations.map((v) => `  pulumi: ${v.urn ? `resource ${v.urn} ` : ""}${v.reason}`),
    ];
    return { status: "violated", saved, reason: lines.join("\n") };
  }
  const errors = diagnostics
    .filter((d) => d.severity === "error")
    .map((d) =>
      d.message
        .replace(/<\{%[^%]*%\}>/g, "")
        .trim()
        .replace(/^error: /, ""),
    )
    .filter((message) => message !== "" && message !== "update failed");
  const reason =
    errors[0] ?? (run.stderr.trim().replace(/^error: /, "") || `pulumi exited with ${run.code}`);
  return {
    status: "failed",
    saved,
    reason: [reason, ...errors.slice(1).map((e) => `  also: ${e}`)].join("\n"),
  };
}
