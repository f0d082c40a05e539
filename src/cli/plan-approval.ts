/**
 * `npm run plan:approval -- --stack NAME (--plan DIR | --nothing-to-plan) --label NAME
 * [--label-present] [--label-added] [--previous-comment FILE] --comment FILE [--outputs FILE]`:
 * the pull-request plan job's decision about its releases (src/plan/approval.ts): does the check
 * pass, is the approval label withdrawn, and the plan comment that says so (the one place its
 * text is made). Exit codes: 0 the check passes, 1 it fails, 2 usage.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { decideApproval, planCommentMarker } from "../plan/approval";
import { digestOfReleaseSet } from "../plan/release-digest";
import { type RenderedPlan, readRenderedPlan, SavedPlanError } from "../plan/saved-plan";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run plan:approval -- --stack <name> --plan <dir> --label <name> --comment <file> [options]

The pull-request plan job's decision about the releases and deletions of a plan saved with
npm run plan -- --save-plan <dir>: the check passes when there are none, or when the approval label
approved exactly this set (its digest); a push that changes the set withdraws the approval. Writes
the plan comment (marker, plan, note) and prints the decision, reason first.

Options:
  --stack <name>             the stack the plan is for (the comment's marker)
  --plan <dir>               the saved plan's directory (plan.md, plan.json)
  --nothing-to-plan          instead of --plan: the pull request changes nothing a deployment
                             reads (npm run plan:needed); the comment says so
  --label <name>             the approval label
  --label-present            the pull request carries the label
  --label-added              this run is the event of the label being added
  --previous-comment <file>  the workflow's own previous plan comment for this stack (absent or
                             empty: none)
  --comment <file>           where to write the new comment's Markdown
  --outputs <file>           append verdict=… and remove-label=true|false (GITHUB_OUTPUT)
  -h, --help                 show this help

Exit codes: 0 the check passes, 1 it fails (the reason first), 2 usage.`;

function readOptional(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, "utf8") || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The plan of the directory, or a failed one that points at the job log. */
function planOrFailure(dir: string, stack: string): { plan: RenderedPlan; problem?: string } {
  try {
    return { plan: readRenderedPlan(dir) };
  } catch (error) {
    if (!(error instanceof SavedPlanError)) throw error;
    return {
      problem: error.message,
      plan: {
        stack,
        markdown: `### Twilio plan for stack \`${stack}\`\n\nThe plan could not run; see the job log.\n`,
        failed: true,
        releaseDigest: digestOfReleaseSet([]),
        releases: [],
        numbers: [],
      },
    };
  }
}

function nothingToPlan(stack: string): RenderedPlan {
  return {
    stack,
    markdown: `### Twilio plan for stack \`${stack}\`\n\n**Nothing to plan**: this pull request changes no accounts file and no deploy code.\n`,
    failed: false,
    releaseDigest: digestOfReleaseSet([]),
    releases: [],
    numbers: [],
  };
}

export const planApprovalCommand = defineCommand({
  script: "plan:approval",
  usage: USAGE,
  options: {
    stack: { type: "string" },
    plan: { type: "string" },
    label: { type: "string" },
    "label-present": { type: "boolean" },
    "label-added": { type: "boolean" },
    "nothing-to-plan": { type: "boolean" },
    "previous-comment": { type: "string" },
    comment: { type: "string" },
    outputs: { type: "string" },
  },
  run({ values }, io) {
    for (const name of ["stack", "label", "comment"] as const) {
      if (!values[name]) throw new UsageError(`--${name} is required`);
    }
    if ((values.plan === undefined) === (values["nothing-to-plan"] !== true)) {
      throw new UsageError("give exactly one of --plan <dir> or --nothing-to-plan");
    }
    const stack = values.stack as string;
    const label = values.label as string;
    const { plan, problem } = values.plan
      ? planOrFailure(resolvePath(io, values.plan), stack)
      : { plan: nothingToPlan(stack), problem: undefined };
    if (problem) io.err(`[plan:approval] ${problem}\n`);
    const previous = values["previous-comment"];
    const decision = decideApproval({
      plan,
      previousComment: readOptional(previous ? resolvePath(io, previous) : undefined),
      labelPresent: values["label-present"] === true,
      labelAdded: values["label-added"] === true,
      label,
    });
    writeFileSync(
      resolvePath(io, values.comment as string),
      `${planCommentMarker(stack)}\n${plan.markdown}${decision.note}`,
    );
    if (values.outputs) {
      appendFileSync(
        resolvePath(io, values.outputs),
        `verdict=${decision.verdict}\nremove-label=${decision.removeLabel}\n`,
      );
    }
    io.out(`${decision.message}\n`);
    return decision.passes ? EXIT.ok : EXIT.failure;
  },
});

if (require.main === module) main(planApprovalCommand);
