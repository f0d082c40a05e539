/**
 * What `pulumi up --plan` refused, in the plan's words. The engine stops at the first operation
 * the saved update plan does not hold and says so in its own terms ("resource urn:…PhoneNumber::
 * <account>-main violates plan: protect changed (expected true)"); a person needs the operation
 * (release number `main`), the account and number it is about, and the plan it is missing from.
 *
 * The engine's messages (Pulumi 3.248, pkg/resource/deploy): "violates plan: <goal check>" (protect,
 * properties, parent … changed), "<op> is not allowed by the plan: …", "resource unexpectedly not
 * deleted", "no plan for resource …", "expected resource operations for … but none were seen".
 * In this program a release is an update that drops `protect` (pulumi/account.ts), so a number's
 * "protect changed (expected true)" is a release the plan does not hold.
 */
import { z } from "zod";
import { parseJsonInput } from "../config/json-input";
import { TYPES, urnName } from "./model";
import type { PlannedNumber } from "./saved-plan";

/** The parts of Pulumi's update plan (`pulumi preview --save-plan`) that name things. */
const UpdatePlanSchema = z.looseObject({
  resourcePlans: z
    .record(
      z.string(),
      z.looseObject({
        steps: z.array(z.string()).optional(),
        state: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default({}),
});

export interface PlanViolation {
  urn: string;
  type: string;
  name: string;
  /** The engine's words, after "violates plan: " when it says that. */
  reason: string;
}

export interface EngineDiagnostic {
  message: string;
  severity: string;
  urn?: string;
}

const VIOLATION =
  /violates plan|is not allowed by the plan|unexpectedly not deleted|no plan for resource|expected resource operations for/;

/** Pulumi's colour markers (`<{%reset%}>`) and the `error: ` lead, gone. */
function plainMessage(message: string): string {
  return message
    .replace(/<\{%[^%]*%\}>/g, "")
    .trim()
    .replace(/^error: /, "");
}

/** The plan violations among an `up`'s error diagnostics, once each. */
export function planViolations(diagnostics: readonly EngineDiagnostic[]): PlanViolation[] {
  const seen = new Set<string>();
  const found: PlanViolation[] = [];
  for (const d of diagnostics) {
    const message = plainMessage(d.message);
    if (d.severity !== "error" || !VIOLATION.test(message)) continue;
    const urn = d.urn ?? message.match(/urn:pulumi:\S+/)?.[0] ?? "";
    const key = `${urn} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    const reason = message.includes("violates plan: ")
      ? message.slice(message.indexOf("violates plan: ") + "violates plan: ".length)
      : message;
    found.push({ urn, type, name: urn ? urnName(urn) : "", reason });
  }
  return found;
}

/**
 * What a saved plan knows about its resources: account names (the number guard's inputs in the
 * update plan, the plan's accounts), and numbers' phone numbers and SIDs (the update plan's state
 * of an unchanged number, the plan's entry of a changed one).
 */
export interface SavedPlanNames {
  accountName(accountId: string): string | undefined;
  numberIds(urn: string, accountId: string, name: string): string[];
}

export function savedPlanNames(
  updatePlanText: string,
  plannedNumbers: readonly PlannedNumber[],
): SavedPlanNames {
  const parsed = parseJsonInput(updatePlanText, UpdatePlanSchema, 1);
  const plans = parsed.ok ? parsed.data.resourcePlans : {};
  const accounts = new Map<string, string>(plannedNumbers.map((n) => [n.accountId, n.accountName]));
  for (const [urn, plan] of Object.entries(plans)) {
    if (!urn.endsWith(`${TYPES.numberGuard}::number-guard`)) continue;
    const numbers = (plan.state?.numbers ?? {}) as Record<string, Record<string, unknown>>;
    for (const n of Object.values(numbers)) {
      if (typeof n.accountId === "string" && typeof n.accountName === "string") {
        accounts.set(n.accountId, n.accountName);
      }
    }
  }
  const ids = (...values: unknown[]) =>
    values.filter((v): v is string => typeof v === "string" && v !== "");
  return {
    accountName: (id) => accounts.get(id),
    numberIds(urn, accountId, name) {
      const state = plans[urn]?.state ?? {};
      const fromState = ids(state.phoneNumber, state.sid);
      if (fromState.length > 0) return fromState;
      const planned = plannedNumbers.find((n) => n.accountId === accountId && n.name === name);
      return ids(planned?.phoneNumber, planned?.sid);
    },
  };
}

/** Account ids are UUIDs (src/config/schema.ts): resource names start with one. */
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function accountLabel(accountId: string, names: SavedPlanNames): string {
  const name = names.accountName(accountId);
  return name ? `account ${name} (${accountId})` : `account ${accountId}`;
}

/** "number `main` of account Name (id) (+1…, PN…)", "the Messaging Service of account …", … */
function subject(v: PlanViolation, names: SavedPlanNames): string {
  const accountId = v.name.match(ACCOUNT_ID)?.[0];
  if (!accountId) return `${v.type.split(":").pop() || "resource"} ${v.name}`;
  const rest = v.name.slice(accountId.length + 1);
  const account = accountLabel(accountId, names);
  if (v.type === TYPES.phoneNumber) {
    const ids = names.numberIds(v.urn, accountId, rest);
    return `number \`${rest}\` of ${account}${ids.length > 0 ? ` (${ids.join(", ")})` : ""}`;
  }
  if (v.type === TYPES.messagingService) return `the Messaging Service of ${account}`;
  if (v.type === TYPES.attachment) {
    return `the attachment of number \`${rest.replace(/-attachment$/, "")}\` of ${account}`;
  }
  return `${v.type.split(":").pop()} ${rest} of ${account}`;
}

/** Per resource type, the words of an engine operation. */
const OPERATION_WORDS: Record<string, Record<string, string>> = {
  [TYPES.phoneNumber]: {
    create: "buy or adopt",
    update: "update",
    delete: "release (delete)",
    replace: "replace (release, then buy another)",
  },
  [TYPES.messagingService]: {
    create: "create",
    update: "update",
    delete: "delete",
    replace: "replace",
  },
  [TYPES.attachment]: {
    create: "create",
    update: "update",
    delete: "delete (detach the number)",
    replace: "replace (detach, then attach again)",
  },
};

/** The operation the engine was about to do, in words. */
function operation(v: PlanViolation): string {
  if (v.type === TYPES.phoneNumber && /^protect changed \(expected true\)/.test(v.reason)) {
    return "release";
  }
  const op = v.reason.match(/^(\S+) is not allowed by the plan/)?.[1];
  if (op) {
    const base = op.replace(/^(create|delete)-replace(d|ment)$/, "replace");
    return OPERATION_WORDS[v.type]?.[base] ?? op;
  }
  if (/^properties changed/.test(v.reason)) {
    // Each change is <planned op><actual op><property>[values], e.g. "=~smsUrl[{…}]".
    const fields = [...v.reason.matchAll(/(?:: |, )[+~=-]{2}(\w+)/g)].map((m) => m[1]);
    return `change${fields.length > 0 ? ` ${[...new Set(fields)].join(", ")} of` : ""}`;
  }
  if (/unexpectedly not deleted/.test(v.reason)) return "skip the deletion of";
  return "change";
}

/** One violation, reason first: "release number `main` of account …". */
export function describeViolation(v: PlanViolation, names: SavedPlanNames): string {
  if (!v.urn) return v.reason;
  return `${operation(v)} ${subject(v, names)}`;
}
