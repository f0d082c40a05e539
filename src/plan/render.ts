/**
 * Renders a plan as Markdown (a pull-request comment or a job summary), as plain text (a terminal)
 * or as JSON (the model of src/plan/model.ts, with describe.ts's words where a reader needs them).
 */
import { plural } from "../util/plural";
import {
  accountLines,
  accountTitle,
  costLine,
  describeDestructive,
  destructiveHeadline,
  destructiveLines,
  GROUPED,
  parkedLines,
  type Style,
  summaryLine,
  TEXT_STYLE,
  webhookOwner,
} from "./describe";
import { hasChanges, type Plan } from "./model";
import { releaseDigest, releaseSet } from "./release-digest";
import { registrationLine } from "./us-a2p";

/** GitHub refuses a comment longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/**
 * What the Markdown may use: leaves room for what the workflow adds (the sticky-comment marker and
 * the approval-label note, a few hundred characters).
 */
export const MARKDOWN_BUDGET = 60_000;
/** Account sections are shown open up to this many accounts, collapsed beyond. */
const OPEN_ACCOUNTS = 10;
/** The warning block may take at most this much of the budget; the rest is summarised. */
const WARNING_BUDGET = 25_000;

/**
 * The hidden line that carries the releases digest in the Markdown (release-digest.ts), so the
 * pull-request job can read back which set a comment showed (approval.ts).
 */
export const RELEASE_DIGEST_MARKER = "twilio-messaging-release-digest";

const MARKDOWN_STYLE: Style = {
  code: (text) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``),
  strong: (text) => `**${text}**`,
  plain: (text) => text.replace(/[\\`*_{}[\]<>#|!~]/g, (c) => `\\${c}`),
};

export interface RenderOptions {
  /** Shown in the "full plan" hint when the Markdown leaves accounts out. */
  fullPlanHint?: string;
}

export function renderMarkdown(plan: Plan, options: RenderOptions = {}): string {
  const s = MARKDOWN_STYLE;
  const out: string[] = [`### Twilio plan for stack ${s.code(plan.stack)}`, ""];
  if (plan.errors.length > 0) {
    out.push(
      "> [!CAUTION]",
      "> **The preview failed; nothing was planned.** Fix the problem below and push again.",
      "",
      "```",
      ...plan.errors.map((e) => e.replaceAll("```", "'''")),
      "```",
    );
    return `${out.join("\n")}\n`;
  }
  if (!hasChanges(plan)) {
    out.push(`**No changes** to Twilio.${stateOnly(plan)}`);
    out.push(...registrationsMarkdown(plan), ...parkedMarkdown(plan));
    out.push(...warningsMarkdown(plan));
    return `${out.join("\n")}\n`;
  }
  if (plan.destructive.length > 0) {
    out.push("> [!CAUTION]", `> **${destructiveHeadline(plan)}**`, ">");
    out.push(
      ...withinBudget(
        destructiveLines(plan, s).map((l) => `> - ${l}`),
        WARNING_BUDGET,
        (n) =>
          `> - … and ${plural(n, "more account", GROUPED)} with releases or deletions: see the full plan${hint(options)}`,
      ),
    );
    const digest = releaseDigest(plan);
    out.push(
      ">",
      `> Releases digest: ${s.code(digest)} (an approval holds for exactly this list)`,
      `<!-- ${RELEASE_DIGEST_MARKER}:${digest} -->`,
      "",
    );
  }
  out.push(summaryLine(plan), "", costLine(plan, s), "");
  const areaCodes = Object.entries(plan.buysByAreaCode).sort(([a], [b]) => a.localeCompare(b));
  if (areaCodes.length > 1) {
    out.push(
      `<details><summary>Numbers to buy by area code (${areaCodes.length})</summary>`,
      "",
      "| area code | numbers |",
      "| --- | ---: |",
      ...areaCodes.map(([code, n]) => `| ${code} | ${n.toLocaleString("en-US")} |`),
      "",
      "</details>",
      "",
    );
  }
  const open = plan.accounts.length <= OPEN_ACCOUNTS ? " open" : "";
  const head = `<details${open}><summary>Changes per account (${plan.accounts.length.toLocaleString("en-US")})</summary>`;
  const tail = [
    "</details>",
    ...registrationsMarkdown(plan),
    ...parkedMarkdown(plan),
    ...warningsMarkdown(plan),
  ];
  const used = out.join("\n").length + head.length + tail.join("\n").length + 400;
  const sections = plan.accounts.map(
    (account) =>
      `\n${accountTitle(account, s)}\n${accountLines(account, s)
        .map((line) => `- ${line}`)
        .join("\n")}`,
  );
  out.push(head);
  out.push(
    ...withinBudget(
      sections,
      MARKDOWN_BUDGET - used,
      (n) =>
        `\n… and ${plural(n, "more account", GROUPED)} not shown here (GitHub's comment size limit)${hint(options)}.`,
    ),
  );
  out.push("", ...tail);
  return `${out.join("\n")}\n`;
}

export function renderText(plan: Plan): string {
  const s = TEXT_STYLE;
  const out: string[] = [`Twilio plan for stack ${plan.stack}`, ""];
  if (plan.errors.length > 0) {
    out.push("The preview failed; nothing was planned:", ...plan.errors.map((e) => `  ${e}`));
    return `${out.join("\n")}\n`;
  }
  if (!hasChanges(plan)) {
    out.push(`No changes to Twilio.${stateOnly(plan)}`, ...registrationsText(plan));
    out.push(...parkedText(plan), ...warningsText(plan));
    return `${out.join("\n")}\n`;
  }
  if (plan.destructive.length > 0) {
    out.push(`!!! ${destructiveHeadline(plan)}`);
    out.push(...destructiveLines(plan, s).map((l) => `!!!   ${l}`));
    out.push(`!!! releases digest: ${releaseDigest(plan)}`, "");
  }
  out.push(summaryLine(plan), costLine(plan, s));
  for (const account of plan.accounts) {
    out.push("", accountTitle(account, s), ...accountLines(account, s).map((l) => `  ${l}`));
  }
  out.push(...registrationsText(plan), ...parkedText(plan), ...warningsText(plan));
  return `${out.join("\n")}\n`;
}

/**
 * The plan as JSON for programs: the model, with each webhook's owner and each destructive change
 * in the warning block's words, the releases digest and the set it is computed from
 * (release-digest.ts), plus the exit code `npm run plan` gives it.
 */
export function renderJson(plan: Plan, exitCode: number): string {
  const json = {
    ...plan,
    accounts: plan.accounts.map((account) => ({
      ...account,
      webhooks: account.webhooks.map(({ field, from, to, ...w }) => ({
        on: webhookOwner(w),
        field,
        from,
        to,
      })),
    })),
    destructive: plan.destructive.map((d) => ({
      accountId: d.accountId,
      accountName: d.accountName,
      what: describeDestructive(d, TEXT_STYLE),
    })),
    releaseSet: releaseSet(plan),
    releaseDigest: releaseDigest(plan),
    exitCode,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function stateOnly(plan: Plan): string {
  return plan.stateOnlyChanges > 0
    ? ` (${plural(plan.stateOnlyChanges, "state-only change", GROUPED)}: Pulumi bookkeeping, no Twilio call)`
    : "";
}

function hint(options: RenderOptions): string {
  return options.fullPlanHint ? ` (${options.fullPlanHint})` : "";
}

function registrationsMarkdown(plan: Plan): string[] {
  if (plan.registrations.length === 0) return [];
  const s = MARKDOWN_STYLE;
  return [
    "",
    `<details open><summary>US A2P 10DLC registrations (${plan.registrations.length})</summary>`,
    "",
    ...plan.registrations.map((r) => `- ${registrationLine(r, accountTitle(r, s))}`),
    "",
    "</details>",
  ];
}

function registrationsText(plan: Plan): string[] {
  if (plan.registrations.length === 0) return [];
  return [
    "",
    "US A2P 10DLC registrations:",
    ...plan.registrations.map((r) => `  ${registrationLine(r, accountTitle(r, TEXT_STYLE))}`),
  ];
}

function warningsMarkdown(plan: Plan): string[] {
  if (plan.warnings.length === 0) return [];
  return [
    "",
    `<details><summary>Pulumi warnings (${plan.warnings.length})</summary>`,
    "",
    "```",
    ...plan.warnings.map((w) => w.replaceAll("```", "'''")),
    "```",
    "</details>",
  ];
}

function parkedMarkdown(plan: Plan): string[] {
  if (plan.parked.length === 0) return [];
  const { headline, lines } = parkedLines(plan, MARKDOWN_STYLE);
  const open = plan.parked.length <= OPEN_ACCOUNTS ? " open" : "";
  return [
    "",
    `<details${open}><summary>Parked numbers (${plan.parked.length.toLocaleString("en-US")})</summary>`,
    "",
    headline,
    "",
    ...withinBudget(
      lines.map((l) => `- ${l}`),
      WARNING_BUDGET,
      (n) => `- … and ${plural(n, "more parked number", GROUPED)}`,
    ),
    "",
    "</details>",
  ];
}

function parkedText(plan: Plan): string[] {
  if (plan.parked.length === 0) return [];
  const { headline, lines } = parkedLines(plan, TEXT_STYLE);
  return ["", `Parked: ${headline}`, ...lines.map((l) => `  ${l}`)];
}

function warningsText(plan: Plan): string[] {
  return plan.warnings.length === 0
    ? []
    : ["", "Pulumi warnings:", ...plan.warnings.map((w) => `  ${w}`)];
}

/** The items that fit in `budget` characters, then one line saying how many were left out. */
function withinBudget(
  items: string[],
  budget: number,
  leftOut: (count: number) => string,
): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [index, item] of items.entries()) {
    const note = leftOut(items.length - index).length + 1;
    if (used + item.length + 1 + (index < items.length - 1 ? note : 0) > budget) {
      return [...kept, leftOut(items.length - index)];
    }
    kept.push(item);
    used += item.length + 1;
  }
  return kept;
}
