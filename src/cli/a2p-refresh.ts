/**
 * `npm run a2p:refresh -- --stack NAME [--summary FILE] [--from-json FILE]`: what moved in the US
 * A2P 10DLC reviews of a stack since its last deployment (approved, rejected and why), from a
 * refreshing `pulumi preview` (read-only: a pull request's key is enough), as Markdown for a job
 * summary. The scheduled workflow (.github/workflows/a2p-refresh.yml) runs it daily; the deploy
 * continues the chains. Exit codes: 0 done, 1 the preview failed, 2 usage.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { buildPlan } from "../plan/model";
import { parsePreviewJson } from "../plan/preview-json";
import { runPreview } from "../plan/run-preview";
import { type RegistrationChange, registrationChanges } from "../plan/us-a2p";
import { WrapperUsageError } from "../pulumi/backend";
import { repoRoot } from "../util/repo-root";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run a2p:refresh -- --stack <name> [options]

Runs the stack's \`pulumi preview --json --refresh\` (no change is made: a read-only Twilio key
is enough) and prints, as Markdown, every US A2P 10DLC review that moved since the stack's last
deployment (customer profiles, trust products, brands, campaigns: approved, rejected and why),
then where each registration stands and what the next deployment does (docs/a2p.md).

Options:
  --stack <name>      the stack to refresh
  --summary <file>    also append the Markdown to this file (a job's $GITHUB_STEP_SUMMARY)
  --from-json <file>  read a saved \`pulumi preview --json --refresh\` output instead
  -h, --help          show this help

Exit codes: 0 done, 1 the preview failed, 2 usage error.
`;

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function changeRow(c: RegistrationChange): string {
  return `| ${cell(c.accountName)} (\`${c.accountId}\`) | ${c.link} | ${c.from ?? "—"} | **${c.to ?? "gone"}** | ${cell(c.reason ?? "")} |`;
}

export const a2pRefreshCommand = defineCommand({
  script: "a2p:refresh",
  usage: USAGE,
  options: {
    stack: { type: "string" },
    summary: { type: "string" },
    "from-json": { type: "string" },
  },
  async run({ values }, io) {
    const stack = values.stack;
    if (!stack) throw new UsageError("--stack is required");
    if (!/^[\w./-]+$/.test(stack))
      throw new UsageError(`--stack expects a stack name, got '${stack}'`);
    let text: string;
    if (values["from-json"] !== undefined) {
      text = readFileSync(resolvePath(io, values["from-json"]), "utf8");
    } else {
      try {
        const run = await runPreview({
          stack,
          cwd: io.cwd,
          refresh: true,
          log: (line) => io.err(`[a2p:refresh] ${line}\n`),
        });
        text = run.stdout;
        if (text.trim() === "") {
          io.err(
            `error: the preview of stack ${stack} failed: ${run.stderr.trim() || `exit ${run.code}`}\n`,
          );
          return EXIT.failure;
        }
      } catch (error) {
        if (!(error instanceof WrapperUsageError)) throw error;
        io.err(`error: ${error.message}\n`);
        return EXIT.usage;
      }
    }
    const preview = parsePreviewJson(text, `pulumi preview --json of stack ${stack}`);
    const plan = buildPlan(preview, stack, repoRoot);
    if (plan.errors.length > 0) {
      io.err(`error: the preview of stack ${stack} failed:\n${plan.errors.join("\n")}\n`);
      return EXIT.failure;
    }
    const names = new Map(plan.registrations.map((r) => [r.accountId, r.accountName]));
    const changes = registrationChanges(preview, (id) => names.get(id) ?? id);
    const out = [`### US A2P 10DLC reviews on stack \`${stack}\``, ""];
    if (changes.length === 0) {
      out.push("No review moved since the last deployment.");
    } else {
      out.push(
        `${changes.length === 1 ? "1 review" : `${changes.length} reviews`} moved since the last deployment (the next deployment continues the chains):`,
        "",
        "| account | registration | was | now | reason |",
        "| --- | --- | --- | --- | --- |",
        ...changes.map(changeRow),
      );
    }
    if (plan.registrations.length > 0) {
      out.push("", "Where each registration stands:", "");
      for (const r of plan.registrations)
        out.push(`- ${r.accountName} (\`${r.accountId}\`): ${r.next} (now: ${r.state})`);
    }
    const markdown = `${out.join("\n")}\n`;
    io.out(markdown);
    if (values.summary) appendFileSync(resolvePath(io, values.summary), markdown);
    return EXIT.ok;
  },
});

if (require.main === module) main(a2pRefreshCommand);
