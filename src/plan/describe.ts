/**
 * The words of a plan, shared by the Markdown, text and JSON renderers: one wording, two styles.
 * The model (model.ts) holds data only; every sentence a reader sees is made here.
 */
import { formatUtc } from "../util/clock";
import { plural } from "../util/plural";
import {
  type AccountPlan,
  type AttachmentPlan,
  type DestructiveChange,
  destructiveChangesOf,
  type FieldChange,
  type NumberPlan,
  type Plan,
  type WebhookChange,
} from "./model";
import { UNKNOWN_VALUE } from "./preview-json";

/** How a renderer marks code and emphasis (Markdown: backticks and bold; text: nothing). */
export interface Style {
  code(text: string): string;
  strong(text: string): string;
  /** Escapes text from the YAML (account names) for the output format. */
  plain(text: string): string;
}

export const TEXT_STYLE: Style = { code: (t) => t, strong: (t) => t, plain: (t) => t };

/** Counts in a plan are grouped: "1,000 accounts". */
export const GROUPED = { grouped: true } as const;

/** "$1.15", "-$2.30", "+$0.00" (with sign when asked). */
export function formatUsd(cents: number, options: { sign?: boolean } = {}): string {
  const sign = cents < 0 ? "-" : options.sign ? "+" : "";
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, "0")}`;
}

export function formatValue(value: unknown, style: Style): string {
  if (value === undefined || value === null) return "(not set)";
  if (value === UNKNOWN_VALUE) return "(known after deploy)";
  return style.code(typeof value === "string" ? value : JSON.stringify(value));
}

function change(c: FieldChange, style: Style): string {
  return `${style.code(c.field)}: ${formatValue(c.from, style)} → ${formatValue(c.to, style)}`;
}

export function accountTitle(
  account: Pick<AccountPlan, "accountId" | "accountName">,
  style: Style,
): string {
  return account.accountName === account.accountId
    ? style.code(account.accountId)
    : `${style.strong(style.plain(account.accountName))} (${style.code(account.accountId)})`;
}

function numberIds(n: NumberPlan, style: Style): string {
  const ids = [n.phoneNumber, n.sid].filter((v): v is string => Boolean(v)).map(style.code);
  return ids.length > 0 ? ` (${ids.join(", ")})` : "";
}

function cost(cents: number): string {
  return cents === 0 ? "" : ` · ${formatUsd(cents, { sign: true })}/month`;
}

/** "+1 514 555 0100": a North American number as a person reads it (others as they are). */
function spacedPhone(phoneNumber: string | undefined): string | undefined {
  return phoneNumber?.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "+1 $1 $2 $3");
}

/** "+1 514 555 0100 (PN…)": a number that is gone, as a person reads it. */
function goneNumber(n: NumberPlan, style: Style): string {
  const ids = [spacedPhone(n.phoneNumber), n.sid].filter((v): v is string => Boolean(v));
  return ids.length > 0
    ? `${style.code(ids[0] ?? "")}${ids[1] ? ` (${style.code(ids[1])})` : ""}`
    : "the number";
}

export function describeNumber(n: NumberPlan, style: Style): string {
  const name = style.code(n.name);
  switch (n.action) {
    case "buy":
      return `buy number ${name} in area code ${style.code(n.areaCode ?? "?")}${n.country ? ` (${n.country})` : ""}${cost(n.monthlyCents)}`;
    case "adopt":
      return `adopt number ${name}${numberIds(n, style)} (already in the Twilio account: no new cost)`;
    case "release":
      return `RELEASE number ${name}${numberIds(n, style)}${n.parkedUntil ? ` (parked until ${formatUtc(n.parkedUntil)}: its release window has ended)` : ""}${cost(n.monthlyCents)}`;
    case "park":
      return `PARK number ${name}${numberIds(n, style)} until ${formatUtc(n.parkedUntil ?? "")} (releaseAfterDays ${n.releaseAfterDays}): it leaves the Messaging Service and its webhooks are cleared; Twilio releases it in the first up after that date, unless release: true is taken back before`;
    case "repark":
      return n.previousParkedUntil && n.previousParkedUntil !== n.parkedUntil
        ? `${Date.parse(n.parkedUntil ?? "") < Date.parse(n.previousParkedUntil) ? "SHORTEN" : "extend"} the release window of parked number ${name}${numberIds(n, style)}: release date ${formatUtc(n.previousParkedUntil)} → ${formatUtc(n.parkedUntil ?? "")} (releaseAfterDays is now ${n.releaseAfterDays})`
        : `park number ${name}${numberIds(n, style)} again until ${formatUtc(n.parkedUntil ?? "")} (Twilio no longer matches its parked state)`;
    case "rebuy":
      return `REPLACE number ${name}: ${goneNumber(n, style)} is no longer in Twilio; up buys a new number in area code ${style.code(n.areaCode ?? "?")}, the customer's number changes`;
    case "restore":
      return `RESTORE parked number ${name}${numberIds(n, style)}${n.parkedUntil ? ` (was parked until ${formatUtc(n.parkedUntil)})` : ""}: attached to the Messaging Service again, its webhooks and friendly name back`;
    case "delete":
      return `DELETE number ${name}${numberIds(n, style)}${cost(n.monthlyCents)}`;
    case "replace":
      return `REPLACE number ${name}${numberIds(n, style)} (released, another one bought)`;
    case "forget":
      return `forget released number ${name}${numberIds(n, style)} (state only, no Twilio call)`;
    case "skip":
      return `number ${name} is marked release: true before it was bought: nothing to buy or release`;
    case "update":
      return `update number ${name}${numberIds(n, style)}: ${n.changes.map((c) => change(c, style)).join("; ")}`;
  }
}

export function describeService(account: AccountPlan, style: Style): string | undefined {
  const s = account.service;
  if (!s) return undefined;
  const what = `Messaging Service${s.friendlyName ? ` ${style.code(s.friendlyName)}` : ""}${s.sid ? ` (${style.code(s.sid)})` : ""}`;
  const changes = s.changes.map((c) => change(c, style)).join("; ");
  switch (s.action) {
    case "create":
      return `create ${what}`;
    case "delete":
      return `DELETE ${what}`;
    case "replace":
      return `REPLACE ${what} (deleted, created again with a new SID)${changes ? `: ${changes}` : ""}`;
    case "update":
      return `update ${what}: ${changes}`;
  }
}

export function describeAttachment(a: AttachmentPlan, style: Style): string {
  const number = `number ${style.code(a.numberName)}${a.phoneNumber ? ` (${style.code(a.phoneNumber)})` : ""}`;
  switch (a.action) {
    case "attach":
      return `attach ${number} to the Messaging Service`;
    case "detach":
      return `DETACH ${number} from the Messaging Service`;
    case "reattach":
      return `DETACH and re-attach ${number} (the preview plans a replacement${a.reasons.length ? `: ${a.reasons.join(", ")}` : ""})`;
  }
}

/** Whose webhook changes: "number main" or "Messaging Service". */
export function webhookOwner(w: Pick<WebhookChange, "numberName">): string {
  return w.numberName !== undefined ? `number ${w.numberName}` : "Messaging Service";
}

export function describeWebhook(w: WebhookChange, style: Style): string {
  return `webhook of ${webhookOwner(w)}: ${change(w, style)}`;
}

/** Every line of an account's section, in reading order. */
export function accountLines(account: AccountPlan, style: Style): string[] {
  return [
    ...account.numbers.map((n) => describeNumber(n, style)),
    ...[describeService(account, style)].filter((l): l is string => l !== undefined),
    ...account.attachments.map((a) => describeAttachment(a, style)),
    ...account.webhooks.map((w) => describeWebhook(w, style)),
  ];
}

/** "3 accounts change · numbers: 2 to buy, …" */
export function summaryLine(plan: Plan): string {
  const t = plan.totals;
  const part = (label: string, items: Array<[number, string]>) => {
    const listed = items
      .filter(([n]) => n > 0)
      .map(([n, what]) => `${n.toLocaleString("en-US")} ${what}`);
    return listed.length > 0 ? `${label}: ${listed.join(", ")}` : undefined;
  };
  return [
    `${plural(t.accountsChanged, "account", GROUPED)} ${t.accountsChanged === 1 ? "changes" : "change"}`,
    part("numbers", [
      [t.numbersToBuy, "to buy"],
      [t.numbersToAdopt, "to adopt"],
      [t.numbersToRelease, "to release"],
      [t.numbersToPark, "to park"],
      [t.numbersToRestore, "to restore"],
      [t.numbersUpdated, "to update"],
    ]),
    part("Messaging Services", [
      [t.servicesToCreate, "to create"],
      [t.servicesToUpdate, "to update"],
      [t.servicesToDelete, "to delete"],
    ]),
    part("attachments", [
      [t.attachmentsAdded, "added"],
      [t.attachmentsRemoved, "removed"],
    ]),
    part("webhooks", [[t.webhooksChanged, "changed"]]),
  ]
    .filter((p): p is string => p !== undefined)
    .join(" · ");
}

/** "Monthly cost: +$1.15 (…) · numbers managed: 3 → 4 (≈ $4.60/month)" */
export function costLine(plan: Plan, style: Style): string {
  const t = plan.totals;
  const price = formatUsd(t.numberMonthlyCents);
  const parts: string[] = [];
  if (t.numbersToBuy > 0)
    parts.push(`${plural(t.numbersToBuy, "number", GROUPED)} bought × ${price}`);
  const released = t.numbersToRelease;
  if (released > 0) parts.push(`${plural(released, "number", GROUPED)} released × -${price}`);
  const detail = parts.length > 0 ? ` (${parts.join(", ")})` : "";
  return (
    `${style.strong(`Monthly cost: ${formatUsd(t.monthlyDeltaCents, { sign: true })}`)}${detail}` +
    ` · numbers managed: ${t.managedNumbersBefore.toLocaleString("en-US")} → ${t.managedNumbersAfter.toLocaleString("en-US")}` +
    ` (≈ ${formatUsd(t.managedNumbersAfter * t.numberMonthlyCents)}/month at ${price} per number; Messaging Services are free)`
  );
}

/** "2 numbers parked (≈ $2.30/month while they wait): …" and one line per parked number. */
export function parkedLines(plan: Plan, style: Style): { headline: string; lines: string[] } {
  const count = plan.parked.length;
  const ending = plan.parked.filter((p) => p.endsBeforeNextDeploy).length;
  const headline =
    `${plural(count, "number", GROUPED)} parked after this deployment ` +
    `(≈ ${formatUsd(count * plan.totals.numberMonthlyCents)}/month to keep, at ${formatUsd(plan.totals.numberMonthlyCents)} per number)` +
    (ending > 0
      ? `; ${plural(ending, "window", GROUPED)} ${ending === 1 ? "ends" : "end"} before the next scheduled deploy, which then releases ${ending === 1 ? "it" : "them"} (with the approval a release needs)`
      : "") +
    ". Remove release: true before the date to restore a number.";
  const lines = plan.parked.map((p) => {
    const ids = [p.phoneNumber, p.sid].filter(Boolean).map((v) => style.code(v as string));
    return (
      `${accountTitle(p, style)}: number ${style.code(p.name)}${ids.length ? ` (${ids.join(", ")})` : ""} ` +
      `parked until ${formatUtc(p.parkedUntil)}${p.endsBeforeNextDeploy ? " (ends before the next scheduled deploy)" : ""}`
    );
  });
  return { headline, lines };
}

/** A change that destroys something in Twilio, as the warning block says it. */
export function describeDestructive(d: DestructiveChange, style: Style): string {
  if ("number" in d) {
    const n = d.number;
    const number = `number ${style.code(n.name)}${n.phoneNumber || n.sid ? ` (${[n.phoneNumber, n.sid].filter(Boolean).join(", ")})` : ""}`;
    if (n.action === "release") return `release ${number}`;
    if (n.action === "rebuy") {
      const which = [`number ${style.code(n.name)}`, n.phoneNumber ? n.sid : undefined];
      return `${spacedPhone(n.phoneNumber) ?? n.sid ?? "a number"} (${which.filter(Boolean).join(", ")}) is no longer in Twilio; up buys a new number, the customer's number changes`;
    }
    if (n.action === "delete") return `DELETE ${number} (releases it in Twilio)`;
    return `REPLACE ${number} (releases it, buys another)`;
  }
  if ("service" in d) {
    const s = d.service;
    const label = `Messaging Service${s.friendlyName ? ` "${style.plain(s.friendlyName)}"` : ""}${s.sid ? ` (${s.sid})` : ""}`;
    return s.action === "delete"
      ? `delete ${label}`
      : `REPLACE ${label} (deleted, then created again with a new SID)`;
  }
  const a = d.attachment;
  const subject = `number ${style.code(a.numberName)}${a.phoneNumber ? ` (${a.phoneNumber})` : ""}`;
  if (a.action === "detach") return `detach ${subject} from its Messaging Service`;
  const reasons = a.reasons.length > 0 ? `: ${a.reasons.join(", ")}` : "";
  return `detach and re-attach ${subject} (replace${reasons})`;
}

/** An account's changes that destroy something in Twilio, numbers first, for the warning block. */
export function destructiveChanges(account: AccountPlan, style: Style): string[] {
  return destructiveChangesOf(account).map((d) => describeDestructive(d, style));
}

/** One line per account with destructive changes: "Name (id): release number `main` (…); …". */
export function destructiveLines(plan: Plan, style: Style): string[] {
  return plan.accounts
    .map((account) => ({ account, what: destructiveChanges(account, style) }))
    .filter(({ what }) => what.length > 0)
    .map(({ account, what }) => `${accountTitle(account, style)}: ${what.join("; ")}`);
}

export function destructiveHeadline(plan: Plan): string {
  const accounts = new Set(plan.destructive.map((d) => d.accountId)).size;
  return `This plan releases or deletes in Twilio (cannot be undone): ${plural(plan.destructive.length, "change", GROUPED)} in ${plural(accounts, "account", GROUPED)}`;
}
