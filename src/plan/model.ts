/**
 * The plan room (src/plan/): what a deployment of a stack would do, per customer account, from the
 * real `pulumi preview --json` (run-preview.ts runs it, preview-json.ts reads it, this file builds
 * the model, describe.ts and render.ts put it in words for a pull request or a terminal), and what
 * binds a deployment to it: the digest of its releases (release-digest.ts), the pull request's
 * approval of them (approval.ts), the plan saved with Pulumi's update plan (saved-plan.ts) and its
 * apply, which does nothing the plan does not hold (apply.ts, plan-violations.ts), and which files
 * a deployment reads (deploy-inputs.ts).
 *
 * Imports src/pulumi (to run the preview), src/config (to read JSON input) and src/util. Never the
 * emulator or the sender: whoever starts an emulator (npm start, tests, the plan command for the
 * stack `local`) passes its URL and credentials in. Never src/cli, scripts/, bench/ or test/.
 *
 * This file: the plan model. Data only, no words: it says what happens (buy, release, update, the
 * fields that change, the cost in cents); describe.ts says it in English. It models what the
 * preview says, nothing more: a step the engine plans is shown as planned.
 */
import { now as clockNow, DAY_MS } from "../util/clock";
import { windowEnd, windowPassed } from "../util/release-window";
import { type Preview, type PreviewStep, type ResourceState, UNKNOWN_VALUE } from "./preview-json";
import { NUMBER_MONTHLY_CENTS } from "./prices";
import { type RegistrationPlan, registrationPlans, US_A2P_TYPE } from "./us-a2p";

/** Resource types of the project's program (pulumi/, providers/). */
export const TYPES = {
  phoneNumber: "pulumi-nodejs:dynamic/twilio:PhoneNumber",
  messagingService: "pulumi-nodejs:dynamic/twilio:MessagingService",
  attachment: "pulumi-nodejs:dynamic/twilio:ServiceNumber",
  numberGuard: "pulumi-nodejs:dynamic/twilio:NumberGuard",
  account: "twilio-messaging:index:Account",
  stack: "pulumi:pulumi:Stack",
} as const;

/** A declared field whose value changes; `to` may be UNKNOWN_VALUE (known after the deployment). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface NumberPlan {
  name: string;
  /**
   * buy / adopt: a new number in the stack; release: Twilio releases it; update: a declared field
   * other than a webhook changes; delete / replace: the engine would delete the number (the
   * providers refuse, but the plan shows it loudly); forget: a released number's entry leaves the
   * state (no Twilio call); skip: declared `release: true` before it was ever bought (no call);
   * park: `release: true` with a window: detached and parked until `parkedUntil`; repark: a parked
   * number's window end moves (`releaseAfterDays` changed) or its parked fields drifted; restore:
   * `release: true` taken back within the window (docs/providers.md, "Releases with an undo window");
   * rebuy: a bought number a refresh found gone from Twilio, still declared active: another number
   * is bought in its place, so the customer's number changes (a release in all but name).
   */
  action:
    | "buy"
    | "adopt"
    | "release"
    | "update"
    | "delete"
    | "replace"
    | "forget"
    | "skip"
    | "park"
    | "repark"
    | "restore"
    | "rebuy";
  sid?: string;
  phoneNumber?: string;
  areaCode?: string;
  country?: string;
  changes: FieldChange[];
  /** What this change adds to (or removes from) the monthly bill, in US cents. */
  monthlyCents: number;
  /**
   * park, repark: when the window ends (a park's is counted from the plan's "now"; `up` records
   * its own); restore, release: when the window would have ended, for a parked number.
   */
  parkedUntil?: string;
  /** repark: the end the state recorded before. */
  previousParkedUntil?: string;
  /** park, repark: the declared window in days. */
  releaseAfterDays?: number;
}

/** A number that stays parked after this deployment (new, moved or unchanged). */
export interface ParkedNumber {
  accountId: string;
  accountName: string;
  name: string;
  sid?: string;
  phoneNumber?: string;
  parkedUntil: string;
  /** Its window ends before the next scheduled deploy: that deploy releases it (after approval). */
  endsBeforeNextDeploy: boolean;
}

/** The deploy workflow runs daily (.github/workflows/deploy.yml, `schedule:`). */
export const SCHEDULED_DEPLOY_INTERVAL_MS = DAY_MS;

export interface ServicePlan {
  action: "create" | "update" | "delete" | "replace";
  friendlyName?: string;
  sid?: string;
  /** Changed settings other than webhooks (those are listed under `webhooks`). */
  changes: FieldChange[];
}

export interface AttachmentPlan {
  /** attach: the number joins the service; detach: it leaves; reattach: detached, then attached again. */
  action: "attach" | "detach" | "reattach";
  numberName: string;
  phoneNumber?: string;
  /** For a reattach: the fields that make the engine replace the attachment. */
  reasons: string[];
}

export interface WebhookChange extends FieldChange {
  /** The number whose webhook changes (its name); absent for the Messaging Service's. */
  numberName?: string;
}

export interface AccountPlan {
  accountId: string;
  accountName: string;
  numbers: NumberPlan[];
  service?: ServicePlan;
  attachments: AttachmentPlan[];
  webhooks: WebhookChange[];
  monthlyCents: number;
}

/**
 * A change that destroys something in Twilio, for the warning block and exit code 3: a number
 * released, deleted or replaced, the Messaging Service deleted or replaced, an attachment removed.
 */
export type DestructiveChange = { accountId: string; accountName: string } & (
  | { number: NumberPlan }
  | { service: ServicePlan }
  | { attachment: AttachmentPlan }
);

export interface PlanTotals {
  accountsChanged: number;
  numbersToBuy: number;
  numbersToAdopt: number;
  numbersToRelease: number;
  numbersToPark: number;
  numbersToRestore: number;
  numbersUpdated: number;
  servicesToCreate: number;
  servicesToUpdate: number;
  servicesToDelete: number;
  attachmentsAdded: number;
  attachmentsRemoved: number;
  webhooksChanged: number;
  /** Buys minus releases, priced (src/plan/prices.ts). */
  monthlyDeltaCents: number;
  /** Active numbers the stack manages before and after the deployment. */
  managedNumbersBefore: number;
  managedNumbersAfter: number;
  numberMonthlyCents: number;
}

export interface Plan {
  stack: string;
  /** Accounts with at least one Twilio change, by name. */
  accounts: AccountPlan[];
  destructive: DestructiveChange[];
  totals: PlanTotals;
  /** Numbers to buy per area code, e.g. { "514": 3 }. */
  buysByAreaCode: Record<string, number>;
  /** Numbers parked after this deployment, by release date. */
  parked: ParkedNumber[];
  /** The plan's "now" (src/util/clock.ts), ISO 8601. */
  now: string;
  /** Steps that change only Pulumi's bookkeeping (number guard, components): no Twilio call. */
  stateOnlyChanges: number;
  /** The preview's errors, reason first; a plan with errors is not a plan. */
  errors: string[];
  /** The preview's warnings worth a reader's time. */
  warnings: string[];
  /** Every account's US A2P 10DLC registration: where it stands, what the next up does (us-a2p.ts). */
  registrations: RegistrationPlan[];
}

export function hasChanges(plan: Plan): boolean {
  return plan.accounts.length > 0 || plan.registrations.some((r) => r.action !== "none");
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);
const WEBHOOK_FIELD = /(Url|Callback|Method)$/;
/** Inputs that identify or file a resource; never shown as a changed setting. */
const BOOKKEEPING_INPUTS = new Set([
  "__provider",
  "accountId",
  "marker",
  "numberName",
  "kind",
  "areaCode",
  "country",
  "adoptSid",
  "adoptPhoneNumber",
  "release",
  "releaseAfterDays",
  "parkingUrl",
]);
/** Pulumi warnings every run prints here (the dynamic provider plugin is found on PATH on purpose). */
const NOISE_WARNINGS = [/using pulumi-resource-pulumi-nodejs from \$PATH/];

/** The last `::`-separated part of a URN: the resource's name. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== UNKNOWN_VALUE ? value : undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What Twilio held at the last deployment: the outputs (they record what Twilio returned). */
function oldValues(state: ResourceState | undefined): Record<string, unknown> {
  return { ...state?.inputs, ...state?.outputs };
}

/** Declared fields whose new value differs from the old one. */
function changedFields(step: PreviewStep): FieldChange[] {
  const olds = oldValues(step.oldState);
  const news = step.newState?.inputs ?? {};
  return Object.entries(news)
    .filter(([field, to]) => !BOOKKEEPING_INPUTS.has(field) && to !== undefined)
    .filter(([field, to]) => !same(olds[field], to))
    .map(([field, to]) => ({ field, from: olds[field], to }));
}

/**
 * Reason first: drops Pulumi's "error: <type> resource '<name>'[: property … value …] has a
 * problem:" lead. A check failure without a property (the number guard's, providers/number-guard.ts)
 * has no "property … value …" part.
 */
export function cleanDiagnostic(message: string, projectRoot?: string): string {
  let text = message.trim().replace(/^error: /, "");
  const problem = text.match(
    /^\S+ resource '[^']*'(?:: property \S+ value .*?)? has a problem: ([\s\S]*)$/,
  );
  if (problem?.[1]) text = problem[1];
  if (projectRoot) text = text.split(`${projectRoot}/`).join("");
  return text;
}

type AccountDraft = AccountPlan;

/** Builds the plan of a stack from its preview. `projectRoot` shortens file paths in errors. */
export function buildPlan(
  preview: Preview,
  stack: string,
  projectRoot?: string,
  at: Date = clockNow(),
): Plan {
  const names = accountNames(preview);
  const drafts = new Map<string, AccountDraft>();
  const draft = (accountId: string): AccountDraft => {
    let found = drafts.get(accountId);
    if (!found) {
      found = {
        accountId,
        accountName: names.get(accountId) ?? accountId,
        numbers: [],
        attachments: [],
        webhooks: [],
        monthlyCents: 0,
      };
      drafts.set(accountId, found);
    }
    return found;
  };
  let managedBefore = 0;
  let stateOnlyChanges = 0;
  const seen = new Set<string>();
  /** Parked numbers the deployment leaves as they are (no step changes them). */
  const stillParked: Array<{ accountId: string; number: NumberPlan }> = [];

  for (const step of preview.steps) {
    const state = step.newState ?? step.oldState;
    const type = state?.type ?? "";
    if (type === TYPES.stack) {
      managedBefore = activeNumbersInOutputs(step.oldState);
      stillParked.push(...parkedInOutputs(step.oldState));
    }
    if (step.op === "same" || step.op === "read" || step.op === "refresh") continue;
    if (type === US_A2P_TYPE) continue; // registrationPlans below
    // A replacement may appear as one `replace` step or as its two halves: count it once.
    if (seen.has(`${step.urn} ${REPLACE_OPS.has(step.op) ? "replace" : step.op}`)) continue;
    seen.add(`${step.urn} ${REPLACE_OPS.has(step.op) ? "replace" : step.op}`);
    const op = REPLACE_OPS.has(step.op) ? "replace" : step.op;
    const parent = state?.parent;
    const accountId = parent?.includes(`${TYPES.account}::`) ? urnName(parent) : undefined;
    if (!accountId || !isTwilioType(type)) {
      stateOnlyChanges++;
      continue;
    }
    const account = draft(accountId);
    if (type === TYPES.phoneNumber) addNumberStep(account, step, op, at);
    else if (type === TYPES.messagingService) addServiceStep(account, step, op);
    else addAttachmentStep(account, step, op);
  }

  const accounts = [...drafts.values()]
    .filter((a) => a.numbers.length + a.attachments.length + a.webhooks.length > 0 || a.service)
    .sort(
      (a, b) =>
        a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
    );
  for (const a of accounts) {
    a.numbers.sort((x, y) => x.name.localeCompare(y.name));
    a.attachments.sort((x, y) => x.numberName.localeCompare(y.numberName));
  }
  const destructive = accounts.flatMap(destructiveChangesOf);
  const nextDeploy = at.getTime() + SCHEDULED_DEPLOY_INTERVAL_MS;
  // A number this deployment changes is listed by what its step does, not by the last outputs.
  const stepped = new Set(
    accounts.flatMap((a) => a.numbers.map((n) => `${a.accountId}/${n.name}`)),
  );
  const parked: ParkedNumber[] = [
    ...stillParked.filter(({ accountId, number }) => !stepped.has(`${accountId}/${number.name}`)),
    ...accounts.flatMap((a) =>
      a.numbers
        .filter((n) => n.action === "park" || n.action === "repark")
        .map((number) => ({ accountId: a.accountId, number })),
    ),
  ]
    .map(({ accountId, number }) => ({
      accountId,
      accountName: names.get(accountId) ?? accountId,
      name: number.name,
      ...(number.sid ? { sid: number.sid } : {}),
      ...(number.phoneNumber ? { phoneNumber: number.phoneNumber } : {}),
      parkedUntil: number.parkedUntil ?? "",
      endsBeforeNextDeploy: Date.parse(number.parkedUntil ?? "") <= nextDeploy,
    }))
    .sort(
      (a, b) =>
        a.parkedUntil.localeCompare(b.parkedUntil) ||
        a.accountName.localeCompare(b.accountName) ||
        a.name.localeCompare(b.name),
    );
  const plans: AccountPlan[] = accounts;
  const numbers = plans.flatMap((a) => a.numbers);
  const count = <T>(list: T[], test: (item: T) => boolean) => list.filter(test).length;
  const services = plans.flatMap((a) => (a.service ? [a.service] : []));
  const attachments = plans.flatMap((a) => a.attachments);
  const effects = numbers.map(numberEffect);
  const sum = (key: keyof NumberEffect) => effects.reduce((total, e) => total + e[key], 0);
  const buysByAreaCode: Record<string, number> = {};
  numbers.forEach((n, i) => {
    if (effects[i]?.bought) {
      const key = n.areaCode ?? "?";
      buysByAreaCode[key] = (buysByAreaCode[key] ?? 0) + 1;
    }
  });
  return {
    stack,
    accounts: plans,
    destructive,
    totals: {
      accountsChanged: plans.length,
      numbersToBuy: sum("bought"),
      numbersToAdopt: sum("adopted"),
      numbersToRelease: sum("released"),
      numbersToPark: count(numbers, (n) => n.action === "park"),
      numbersToRestore: count(numbers, (n) => n.action === "restore"),
      numbersUpdated: count(numbers, (n) => n.action === "update"),
      servicesToCreate: count(services, (s) => s.action === "create"),
      servicesToUpdate: count(services, (s) => s.action === "update"),
      servicesToDelete: count(services, (s) => s.action === "delete" || s.action === "replace"),
      attachmentsAdded: count(attachments, (a) => a.action !== "detach"),
      attachmentsRemoved: count(attachments, (a) => a.action !== "attach"),
      webhooksChanged: plans.reduce((sum, a) => sum + a.webhooks.length, 0),
      monthlyDeltaCents: plans.reduce((sum, a) => sum + a.monthlyCents, 0),
      managedNumbersBefore: managedBefore,
      managedNumbersAfter: managedBefore + sum("bought") + sum("adopted") - sum("released"),
      numberMonthlyCents: NUMBER_MONTHLY_CENTS,
    },
    buysByAreaCode,
    parked,
    now: at.toISOString(),
    stateOnlyChanges,
    errors: preview.diagnostics
      .filter((d) => d.severity === "error")
      .flatMap((d) => cleanDiagnostic(d.message, projectRoot).split("\n")),
    warnings: preview.diagnostics
      .filter((d) => d.severity === "warning" && !NOISE_WARNINGS.some((re) => re.test(d.message)))
      .map((d) => cleanDiagnostic(d.message.replace(/^warning: /, ""), projectRoot)),
    registrations: registrationPlans(preview, (id) => names.get(id) ?? id),
  };
}

/** An account's changes that destroy something in Twilio: numbers, then the service, then attachments. */
export function destructiveChangesOf(account: AccountPlan): DestructiveChange[] {
  const who = { accountId: account.accountId, accountName: account.accountName };
  const service = account.service;
  // A parked number leaves its service; that detach is part of the park, which can be undone.
  const parking = new Set(account.numbers.filter((n) => n.action === "park").map((n) => n.name));
  return [
    ...account.numbers
      .filter((n) => ["release", "delete", "replace", "rebuy"].includes(n.action))
      .map((number) => ({ ...who, number })),
    ...(service && (service.action === "delete" || service.action === "replace")
      ? [{ ...who, service }]
      : []),
    ...account.attachments
      .filter((a) => a.action === "detach" || a.action === "reattach")
      .filter((a) => !(a.action === "detach" && parking.has(a.numberName)))
      .map((attachment) => ({ ...who, attachment })),
  ];
}

function isTwilioType(type: string): boolean {
  return type === TYPES.phoneNumber || type === TYPES.messagingService || type === TYPES.attachment;
}

/**
 * Account names by id. The number guard's inputs carry every declared number's account name (new
 * inputs for what the YAML says now, old ones for what it said), the stack's last outputs the rest.
 */
function accountNames(preview: Preview): Map<string, string> {
  const names = new Map<string, string>();
  const remember = (id: unknown, name: unknown) => {
    if (typeof id === "string" && typeof name === "string" && !names.has(id)) names.set(id, name);
  };
  for (const step of preview.steps) {
    for (const state of [step.newState, step.oldState]) {
      if (state?.type === TYPES.numberGuard) {
        const numbers = (state.inputs?.numbers ?? {}) as Record<string, Record<string, unknown>>;
        for (const n of Object.values(numbers)) remember(n.accountId, n.accountName);
      }
      if (state?.type === TYPES.stack && Array.isArray(state.outputs?.accounts)) {
        for (const a of state.outputs.accounts as Record<string, unknown>[]) {
          remember(a.accountId, a.name);
        }
      }
    }
  }
  return names;
}

/** Moves the webhook changes to the account's `webhooks` (of `numberName`, or the service's). */
function splitWebhooks(
  account: AccountDraft,
  numberName: string | undefined,
  changes: FieldChange[],
): FieldChange[] {
  for (const c of changes.filter((c) => WEBHOOK_FIELD.test(c.field))) {
    account.webhooks.push({ ...c, ...(numberName !== undefined ? { numberName } : {}) });
  }
  return changes.filter((c) => !WEBHOOK_FIELD.test(c.field));
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/**
 * Numbers parked at the last deployment, from the stack's `accounts` output (the preview lists no
 * unchanged resource): their windows go on unless a step of this plan changes them.
 */
function parkedInOutputs(
  state: ResourceState | undefined,
): Array<{ accountId: string; number: NumberPlan }> {
  const accounts = state?.outputs?.accounts;
  if (!Array.isArray(accounts)) return [];
  return accounts.flatMap((account: Record<string, unknown>) => {
    const numbers = Array.isArray(account.numbers) ? account.numbers : [];
    return numbers
      .filter((n: Record<string, unknown>) => n.released !== true && str(n.parkedUntil))
      .map((n: Record<string, unknown>) => ({
        accountId: String(account.accountId),
        number: {
          name: String(n.name),
          sid: str(n.sid),
          phoneNumber: str(n.phoneNumber),
          action: "park" as const,
          changes: [],
          monthlyCents: 0,
          parkedUntil: str(n.parkedUntil),
        },
      }));
  });
}

/**
 * What an update of a number marked `release: true`, or of a parked one, does: the provider's own
 * rule (providers/phone-number.ts, `lifecycleOf`) with the plan's "now".
 */
function lifecycleStep(
  base: Omit<NumberPlan, "action">,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  at: Date,
): NumberPlan | undefined {
  if (olds.released === true || olds.gone) return undefined;
  const parkedAt = str(olds.parkedAt);
  const previous = str(olds.parkedUntil);
  if (news.release !== true) {
    return parkedAt ? { ...base, action: "restore", parkedUntil: previous } : undefined;
  }
  const days = numberOrUndefined(news.releaseAfterDays) ?? 0;
  if (!parkedAt) {
    if (days === 0) return { ...base, action: "release", monthlyCents: -NUMBER_MONTHLY_CENTS };
    const parkedUntil = windowEnd(at.toISOString(), days);
    return { ...base, action: "park", parkedUntil, releaseAfterDays: days };
  }
  const parkedUntil = windowEnd(parkedAt, days);
  if (windowPassed(parkedAt, days, at)) {
    return { ...base, action: "release", monthlyCents: -NUMBER_MONTHLY_CENTS, parkedUntil };
  }
  return {
    ...base,
    action: "repark",
    parkedUntil,
    ...(previous ? { previousParkedUntil: previous } : {}),
    releaseAfterDays: days,
  };
}

function addNumberStep(account: AccountDraft, step: PreviewStep, op: string, at: Date): void {
  const news = step.newState?.inputs ?? {};
  const olds = oldValues(step.oldState);
  const name = str(news.numberName) ?? str(olds.numberName) ?? urnName(step.urn);
  const base = {
    name,
    sid: str(olds.sid) ?? str(news.adoptSid),
    phoneNumber: str(olds.phoneNumber) ?? str(news.adoptPhoneNumber),
    changes: [] as FieldChange[],
    monthlyCents: 0,
  };
  let plan: NumberPlan;
  const lifecycle = op === "update" ? lifecycleStep(base, olds, news, at) : undefined;
  if (op === "update" && olds.gone && news.release !== true) {
    plan = { ...base, action: "rebuy", areaCode: str(news.areaCode), country: str(news.country) };
  } else if (lifecycle) {
    plan = lifecycle;
  } else if (op === "create") {
    const days = numberOrUndefined(news.releaseAfterDays) ?? 0;
    if (news.release === true && news.kind === "buy") {
      plan = { ...base, action: "skip" };
    } else if (news.release === true && days > 0) {
      // Adopted to be let go: parked first, like any release.
      const parkedUntil = windowEnd(at.toISOString(), days);
      plan = { ...base, action: "park", parkedUntil, releaseAfterDays: days };
    } else if (news.release === true) {
      plan = { ...base, action: "release", monthlyCents: -NUMBER_MONTHLY_CENTS };
    } else if (news.kind === "buy") {
      plan = {
        ...base,
        action: "buy",
        areaCode: str(news.areaCode),
        country: str(news.country),
        monthlyCents: NUMBER_MONTHLY_CENTS,
      };
    } else {
      plan = { ...base, action: "adopt" };
    }
  } else if (op === "delete") {
    plan = olds.released
      ? { ...base, action: "forget" }
      : { ...base, action: "delete", monthlyCents: -NUMBER_MONTHLY_CENTS };
  } else if (op === "replace") {
    plan = { ...base, action: "replace", areaCode: str(news.areaCode), country: str(news.country) };
  } else if (news.release === true && !olds.released) {
    plan = { ...base, action: "release", monthlyCents: -NUMBER_MONTHLY_CENTS };
  } else {
    const changes = splitWebhooks(account, name, changedFields(step));
    if (changes.length === 0) return;
    plan = { ...base, action: "update", changes };
  }
  const effect = numberEffect(plan);
  plan.monthlyCents = (effect.bought - effect.released) * NUMBER_MONTHLY_CENTS;
  account.numbers.push(plan);
  account.monthlyCents += plan.monthlyCents;
}

/** What one number's change does to the numbers the Twilio account holds (one each, or none). */
export interface NumberEffect {
  bought: number;
  adopted: number;
  released: number;
}

/**
 * The one rule every number total follows (the summary's counts, the cost and its detail, the
 * numbers managed, the buys per area code): a buy buys, an adopt adopts, a release or a delete
 * releases, a replace (or a rebuy of a number found gone) releases the number and buys another
 * (design.md, invariant 1: it is a release, priced as one, next to the buy it brings). A park or a
 * restore changes no count: a parked number is still held, and billed, until its release.
 */
export function numberEffect(n: Pick<NumberPlan, "action">): NumberEffect {
  // A rebuy is a replace Twilio started: the number is already gone, and up buys another.
  const bought = ["buy", "replace", "rebuy"].includes(n.action) ? 1 : 0;
  const released = ["release", "delete", "replace", "rebuy"].includes(n.action) ? 1 : 0;
  return { bought, adopted: n.action === "adopt" ? 1 : 0, released };
}

function addServiceStep(account: AccountDraft, step: PreviewStep, op: string): void {
  const olds = oldValues(step.oldState);
  const news = step.newState?.inputs ?? {};
  const friendlyName = str(news.friendlyName) ?? str(olds.friendlyName);
  const sid = str(olds.sid);
  if (op === "create") {
    account.service = { action: "create", friendlyName, changes: [] };
  } else if (op === "delete") {
    account.service = { action: "delete", friendlyName, sid, changes: [] };
  } else if (op === "replace") {
    account.service = { action: "replace", friendlyName, sid, changes: changedFields(step) };
  } else {
    const changes = splitWebhooks(account, undefined, changedFields(step));
    if (changes.length > 0) account.service = { action: "update", friendlyName, sid, changes };
  }
}

function addAttachmentStep(account: AccountDraft, step: PreviewStep, op: string): void {
  const olds = oldValues(step.oldState);
  const numberName = urnName(step.urn)
    .replace(`${account.accountId}-`, "")
    .replace(/-attachment$/, "");
  const phoneNumber = str(olds.phoneNumber);
  if (op === "create") {
    account.attachments.push({ action: "attach", numberName, reasons: [] });
  } else if (op === "delete") {
    account.attachments.push({ action: "detach", numberName, phoneNumber, reasons: [] });
  } else if (op === "replace") {
    const reasons = step.replaceReasons ?? [];
    account.attachments.push({ action: "reattach", numberName, phoneNumber, reasons });
  }
}

/**
 * Active numbers at the last deployment, from the stack's `accounts` output (the preview omits
 * unchanged resources, so counting steps would miss them). Numbers flagged `released` are skipped.
 */
function activeNumbersInOutputs(state: ResourceState | undefined): number {
  const accounts = state?.outputs?.accounts;
  if (!Array.isArray(accounts)) return 0;
  return accounts.reduce((sum: number, account: { numbers?: unknown }) => {
    const numbers = Array.isArray(account.numbers) ? account.numbers : [];
    return sum + numbers.filter((n: { released?: unknown }) => n.released !== true).length;
  }, 0);
}
