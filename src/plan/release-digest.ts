/**
 * The digest of a plan's releases and deletions: what an approval is bound to. A pull request's
 * approval label, the sticky comment that records it, the deploy's saved plan and the approver of
 * the `<stack>-releases` environment all name the same value, so a push that adds one more release
 * (or swaps one number for another) no longer matches what a person approved.
 *
 * The set is written one line per destructive change (account id, what, which, how, and the SID
 * when the preview knows it), sorted, so the same changes give the same digest whatever order the
 * engine listed them in. Changes that destroy nothing (buys, updates, webhooks) are not in it:
 * they may change after an approval without asking for it again.
 */
import { createHash } from "node:crypto";
import type { DestructiveChange, Plan } from "./model";

/** `sha256:` and 64 hex digits. */
export type ReleaseDigest = `sha256:${string}`;

export const RELEASE_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** One change of the set, e.g. `account 0b6f… number main release PN…`. */
function entryOf(change: DestructiveChange): string {
  const account = `account ${change.accountId}`;
  if ("number" in change) {
    const n = change.number;
    return `${account} number ${n.name} ${n.action} ${n.sid ?? n.phoneNumber ?? "-"}`;
  }
  if ("service" in change) {
    return `${account} messaging-service ${change.service.action} ${change.service.sid ?? "-"}`;
  }
  const a = change.attachment;
  return `${account} attachment ${a.numberName} ${a.action} ${a.phoneNumber ?? "-"}`;
}

/** The plan's releases and deletions as sorted lines (empty when it has none). */
export function releaseSet(plan: Pick<Plan, "destructive">): string[] {
  return plan.destructive.map(entryOf).sort();
}

/** The digest of a release set (see `releaseSet`); the empty set has one too. */
export function digestOfReleaseSet(entries: readonly string[]): ReleaseDigest {
  const text = [...entries].sort().join("\n");
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

export function releaseDigest(plan: Pick<Plan, "destructive">): ReleaseDigest {
  return digestOfReleaseSet(releaseSet(plan));
}
