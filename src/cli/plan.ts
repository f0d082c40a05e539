/**
 * `npm run plan -- --stack NAME [--accounts FILE…] [--format markdown|text|json] [--from-json FILE]
 * [--save-plan DIR]`: what a deployment of the stack would do, per customer account, from the real
 * `pulumi preview --json` (src/plan/), optionally saved for `npm run apply`. Exit codes: 0 a plan
 * without releases or deletions, 3 a plan with any, 1 an error, 2 a usage error. See docs/plan.md.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PLAN_MODEL_FILE } from "../plan/merge";
import { buildPlan, type Plan } from "../plan/model";
import { parsePreviewJson } from "../plan/preview-json";
import { renderJson, renderMarkdown, renderText } from "../plan/render";
import { runPreview } from "../plan/run-preview";
import { clearSavedPlan, SAVED_PLAN_FILES, writeSavedPlan } from "../plan/saved-plan";
import { LOCAL_STACK, WrapperUsageError } from "../pulumi/backend";
import { headCommit } from "../util/git";
import { repoRoot } from "../util/repo-root";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";
import { localTwilioEnvironment } from "./local-twilio";

const USAGE = `Usage: npm run plan -- --stack <name> [options]

Runs the real \`pulumi preview --json\` of the stack and shows, per customer account, the numbers
to buy, adopt or release, the Messaging Services to create, update or delete, the attachments and
webhooks that change, and the monthly cost delta. Releases and deletions come first, in a warning
block, with their digest (what an approval is bound to). Numbers marked release: true are parked
first: the plan lists parks, restores, moved release dates and every parked number with its date,
what keeping them costs, and whose window ends before the next (daily) scheduled deploy; a number
whose window has ended is a release. "Now" is the system clock, or TWILIO_MESSAGING_NOW (ISO 8601). Reads Twilio (the refresh) and changes
nothing there.

Options:
  --stack <name>         the stack to preview ("local": the stack npm start made, .local/)
  --accounts <file>…     accounts YAML to preview instead of the stack's own accountFiles, for
                         this preview only (several files, or the option repeated; the stack's
                         config is not changed)
  --format <format>      markdown (default; fits a GitHub comment), text, or json
  --from-json <file>     render a saved \`pulumi preview --json\` output instead of running one
  --refresh              read every resource from Twilio first, so changes made outside (drift)
                         show in the plan; the default for every stack but "local"
  --no-refresh           plan from the stored state only (no Twilio read); the default for
                         "local", whose emulator runs only while npm start does
  --save-plan <dir>      also save the plan in <dir> for \`npm run apply -- --plan <dir>\`:
                         plan.md, plan.json, Pulumi's update plan (update-plan.json),
                         saved-plan.json (stack, commit, releases digest) and plan-model.json
                         (for npm run plan:merge); no secret in any
  -h, --help             show this help

Backend: PULUMI_BACKEND_URL with your PULUMI_CONFIG_PASSPHRASE(_FILE) or secrets provider, or the
local backend .local/pulumi-state (as npm run pulumi).
Twilio credentials: TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET (a read-only
restricted key is enough: docs/workflows.md) or TWILIO_AUTH_TOKEN. The refresh reads Twilio; the
preview changes nothing there. For "local", unset ones are the emulator's (its test credentials,
TWILIO_BASE_URL http://127.0.0.1:4010).

Exit codes: 0 a plan without releases or deletions (or no changes), 3 a plan that releases a
number or deletes a Messaging Service or an attachment, 1 an error (e.g. invalid YAML), 2 usage.
`;

const FORMATS = ["markdown", "text", "json"] as const;
type Format = (typeof FORMATS)[number];

/** Exit code of a plan: 1 when the preview failed, 3 when it releases or deletes, else 0. */
function exitCodeOf(plan: Plan): number {
  if (plan.errors.length > 0) return EXIT.failure;
  return plan.destructive.length > 0 ? EXIT.destructive : EXIT.ok;
}

/** The stack named in a preview's URNs (urn:pulumi:<stack>::<project>::…). */
function stackOfPreview(text: string): string {
  return text.match(/"urn:pulumi:([^:"]+)::/)?.[1] ?? "(unknown stack)";
}

function render(plan: Plan, format: Format): string {
  if (format === "json") return renderJson(plan, exitCodeOf(plan));
  if (format === "text") return renderText(plan);
  return renderMarkdown(plan, {
    fullPlanHint: `\`npm run plan -- --stack ${plan.stack} --format text\` prints every account`,
  });
}

export const planCommand = defineCommand({
  script: "plan",
  usage: USAGE,
  options: {
    stack: { type: "string" },
    accounts: { type: "string", multiple: true },
    format: { type: "string", default: "markdown" },
    "from-json": { type: "string" },
    refresh: { type: "boolean" },
    "no-refresh": { type: "boolean" },
    "save-plan": { type: "string" },
  },
  // `--accounts a.yaml b.yaml` reads as two files, like `--accounts a.yaml --accounts b.yaml`.
  positionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length > 0 && !values.accounts) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`);
    }
    const accounts = values.accounts ? [...values.accounts, ...positionals] : undefined;
    const format = values.format as Format;
    const fromJson = values["from-json"];
    if (!FORMATS.includes(format)) {
      throw new UsageError(`--format expects one of ${FORMATS.join(", ")}, got '${values.format}'`);
    }
    if (fromJson === undefined && !values.stack) {
      throw new UsageError("--stack is required (or --from-json with a saved preview)");
    }
    if (fromJson !== undefined && accounts) {
      throw new UsageError("--accounts cannot be used with --from-json (the preview already ran)");
    }
    if (values.refresh && values["no-refresh"]) {
      throw new UsageError("--refresh and --no-refresh cannot be used together");
    }
    if (fromJson !== undefined && (values.refresh || values["no-refresh"])) {
      throw new UsageError("--refresh and --no-refresh need a preview to run (not --from-json)");
    }
    if (fromJson !== undefined && values["save-plan"] !== undefined) {
      throw new UsageError("--save-plan needs a preview to run (not --from-json)");
    }
    if (values["save-plan"] === "") throw new UsageError("--save-plan needs a directory");
    if (values.stack !== undefined && !/^[\w./-]+$/.test(values.stack)) {
      throw new UsageError(`--stack expects a stack name, got '${values.stack}'`);
    }

    const saveDir =
      values["save-plan"] !== undefined ? resolvePath(io, values["save-plan"]) : undefined;
    let text: string;
    let source: string;
    if (fromJson !== undefined) {
      source = fromJson;
      try {
        text = readFileSync(resolvePath(io, fromJson), "utf8");
      } catch (error) {
        io.err(
          `error: cannot read ${fromJson}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
        );
        return EXIT.failure;
      }
    } else {
      const stack = values.stack as string;
      source = `pulumi preview --json of stack ${stack}`;
      if (saveDir !== undefined) {
        clearSavedPlan(saveDir);
        rmSync(join(saveDir, PLAN_MODEL_FILE), { force: true });
      }
      let run: Awaited<ReturnType<typeof runPreview>>;
      try {
        run = await runPreview({
          stack,
          accounts,
          cwd: io.cwd,
          // Drift is seen by default; npm start's local stack has no emulator running outside
          // npm start.
          refresh: values.refresh ?? (values["no-refresh"] ? false : stack !== LOCAL_STACK),
          // The stack `local` deploys to the emulator: its URL and credentials unless set.
          ...(stack === LOCAL_STACK ? { env: localTwilioEnvironment(io.env) } : {}),
          ...(saveDir !== undefined
            ? { savePlan: join(saveDir, SAVED_PLAN_FILES.updatePlan) }
            : {}),
          log: (line) => io.err(`[plan] ${line}\n`),
        });
      } catch (error) {
        if (!(error instanceof WrapperUsageError)) throw error;
        io.err(`error: ${error.message}\n`);
        return EXIT.usage;
      }
      text = run.stdout;
      if (run.stdout.trim() === "") {
        // The CLI failed before it could preview (no such stack, wrong passphrase, …).
        const reason =
          run.stderr.trim().replace(/^error: /, "") || `pulumi exited with ${run.code}`;
        const hint =
          stack === LOCAL_STACK && /no stack named/.test(reason)
            ? " (run `npm start` first: it makes the local stack)"
            : "";
        io.err(`error: the preview of stack ${stack} failed: ${reason}${hint}\n`);
        return EXIT.failure;
      }
    }
    let plan: Plan;
    try {
      const preview = parsePreviewJson(text, source);
      plan = buildPlan(preview, values.stack ?? stackOfPreview(text), repoRoot);
    } catch (error) {
      io.err(`error: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    io.out(render(plan, format));
    const code = exitCodeOf(plan);
    if (saveDir !== undefined) {
      // The model too, for a sharded pull request's one merged plan (npm run plan:merge).
      writeFileSync(join(saveDir, PLAN_MODEL_FILE), JSON.stringify(plan));
      const saved = writeSavedPlan(saveDir, {
        stack: plan.stack,
        commit: headCommit(),
        plan,
        markdown: render(plan, "markdown"),
        json: render(plan, "json"),
        appliable: code !== EXIT.failure,
      });
      io.err(
        saved
          ? `[plan] saved in ${saveDir} (commit ${saved.commit ?? "unknown"}, releases digest ${saved.releaseDigest}); apply it with npm run apply -- --plan ${saveDir}\n`
          : `[plan] the plan and its errors are in ${saveDir}; there is no update plan to apply\n`,
      );
    }
    if (code === EXIT.failure) {
      // Reason first: the program's own messages (file:line:column for invalid YAML), then context.
      io.err(
        `${plan.errors.join("\n")}\n[plan] the preview of stack ${plan.stack} failed; nothing was changed\n`,
      );
    } else if (code === EXIT.destructive) {
      io.err(
        `[plan] this plan releases or deletes: ${plan.destructive.length} change(s) (exit 3)\n`,
      );
    }
    return code;
  },
});

if (require.main === module) main(planCommand);
