/**
 * `npm run plan -- --stack NAME [--accounts FILE…] [--format markdown|text|json] [--from-json FILE]`:
 * what a deployment of the stack would do, per customer account, from the real
 * `pulumi preview --json` (src/plan/). Exit codes: 0 a plan without releases or deletions, 3 a plan
 * with any, 1 an error, 2 a usage error. See docs/plan.md.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../../scripts/lib/pulumi";
import { WrapperUsageError } from "../../scripts/lib/pulumi-wrapper";
import { buildPlan, EXIT, exitCodeOf, type Plan } from "../plan/model";
import { parsePreviewJson } from "../plan/preview-json";
import { renderJson, renderMarkdown, renderText } from "../plan/render";
import { LOCAL_STACK, runPreview } from "../plan/run-preview";
import type { CliIo } from "./io";

const USAGE = `Usage: npm run plan -- --stack <name> [options]

Runs the real \`pulumi preview --json\` of the stack and shows, per customer account, the numbers
to buy, adopt or release, the Messaging Services to create, update or delete, the attachments and
webhooks that change, and the monthly cost delta. Releases and deletions come first, in a warning
block. Makes no Twilio call and changes nothing.

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
  -h, --help             show this help

Backend: PULUMI_BACKEND_URL with your PULUMI_CONFIG_PASSPHRASE(_FILE) or secrets provider, or the
local backend .local/pulumi-state (as npm run pulumi).
Twilio credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (the refresh reads Twilio; the
preview itself changes nothing there).

Exit codes: 0 a plan without releases or deletions (or no changes), 3 a plan that releases a
number or deletes a Messaging Service or an attachment, 1 an error (e.g. invalid YAML), 2 usage.
`;

const FORMATS = ["markdown", "text", "json"] as const;
type Format = (typeof FORMATS)[number];

export interface PlanIo extends CliIo {
  /** The user's working directory (npm sets INIT_CWD): relative --accounts paths start there. */
  cwd: string;
}

interface Options {
  stack?: string;
  accounts?: string[];
  format: Format;
  fromJson?: string;
  refresh: boolean;
}

const OPTIONS = {
  stack: { type: "string" },
  accounts: { type: "string", multiple: true },
  format: { type: "string", default: "markdown" },
  "from-json": { type: "string" },
  refresh: { type: "boolean" },
  "no-refresh": { type: "boolean" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parseOptions(args: string[]): Options | { help: true } | { usageError: string } {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { usageError: (error as Error).message };
  }
  const { values, positionals } = parsed;
  // `--accounts a.yaml b.yaml` reads as two files, like `--accounts a.yaml --accounts b.yaml`.
  if (positionals.length > 0 && !values.accounts) {
    return { usageError: `unexpected argument '${positionals[0]}'` };
  }
  const accounts = values.accounts ? [...values.accounts, ...positionals] : undefined;
  if (values.help) return { help: true };
  if (!FORMATS.includes(values.format as Format)) {
    return { usageError: `--format expects one of ${FORMATS.join(", ")}, got '${values.format}'` };
  }
  if (values["from-json"] === undefined && !values.stack) {
    return { usageError: "--stack is required (or --from-json with a saved preview)" };
  }
  if (values["from-json"] !== undefined && accounts) {
    return { usageError: "--accounts cannot be used with --from-json (the preview already ran)" };
  }
  if (values.refresh && values["no-refresh"]) {
    return { usageError: "--refresh and --no-refresh cannot be used together" };
  }
  if (values["from-json"] !== undefined && (values.refresh || values["no-refresh"])) {
    return { usageError: "--refresh and --no-refresh need a preview to run (not --from-json)" };
  }
  if (values.stack !== undefined && !/^[\w./-]+$/.test(values.stack)) {
    return { usageError: `--stack expects a stack name, got '${values.stack}'` };
  }
  return {
    stack: values.stack,
    accounts,
    format: values.format as Format,
    fromJson: values["from-json"],
    // Drift is seen by default; npm start's local stack has no emulator running outside npm start.
    refresh: values.refresh ?? (values["no-refresh"] ? false : values.stack !== LOCAL_STACK),
  };
}

/** The stack named in a preview's URNs (urn:pulumi:<stack>::<project>::…). */
function stackOfPreview(text: string): string {
  return text.match(/"urn:pulumi:([^:"]+)::/)?.[1] ?? "(unknown stack)";
}

function render(plan: Plan, format: Format): string {
  if (format === "json") return renderJson(plan);
  if (format === "text") return renderText(plan);
  return renderMarkdown(plan, {
    fullPlanHint: `\`npm run plan -- --stack ${plan.stack} --format text\` prints every account`,
  });
}

export async function runPlan(args: string[], io: PlanIo): Promise<number> {
  const options = parseOptions(args);
  if ("help" in options) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if ("usageError" in options) {
    io.err(`error: ${options.usageError}\n\n${USAGE}`);
    return EXIT.usage;
  }
  let text: string;
  let source: string;
  if (options.fromJson !== undefined) {
    source = options.fromJson;
    try {
      text = readFileSync(resolve(io.cwd, options.fromJson), "utf8");
    } catch (error) {
      io.err(
        `error: cannot read ${options.fromJson}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
      );
      return EXIT.error;
    }
  } else {
    const stack = options.stack as string;
    source = `pulumi preview --json of stack ${stack}`;
    let run: Awaited<ReturnType<typeof runPreview>>;
    try {
      run = await runPreview({
        stack,
        accounts: options.accounts,
        cwd: io.cwd,
        refresh: options.refresh,
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
      const reason = run.stderr.trim().replace(/^error: /, "") || `pulumi exited with ${run.code}`;
      const hint =
        stack === LOCAL_STACK && /no stack named/.test(reason)
          ? " (run `npm start` first: it makes the local stack)"
          : "";
      io.err(`error: the preview of stack ${stack} failed: ${reason}${hint}\n`);
      return EXIT.error;
    }
  }
  let plan: Plan;
  try {
    const preview = parsePreviewJson(text, source);
    plan = buildPlan(preview, options.stack ?? stackOfPreview(text), repoRoot);
  } catch (error) {
    io.err(`error: ${(error as Error).message}\n`);
    return EXIT.error;
  }
  io.out(render(plan, options.format));
  const code = exitCodeOf(plan);
  if (code === EXIT.error) {
    // Reason first: the program's own messages (file:line:column for invalid YAML), then context.
    io.err(
      `${plan.errors.join("\n")}\n[plan] the preview of stack ${plan.stack} failed; nothing was changed\n`,
    );
  } else if (code === EXIT.destructive) {
    io.err(`[plan] this plan releases or deletes: ${plan.destructive.length} change(s) (exit 3)\n`);
  }
  return code;
}

if (require.main === module) {
  runPlan(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.env.INIT_CWD ?? process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
