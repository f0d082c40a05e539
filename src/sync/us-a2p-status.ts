/**
 * The US A2P 10DLC campaign status of each account, from the stack outputs into the account row
 * (`accounts.us_a2p_campaign_status`), in the sync's transaction: what the sender checks before it
 * texts a US recipient, and what a backend shows ("texting pending US carrier approval").
 *
 * The value, per account of the outputs:
 * - null: the account has no active US local number (Canadian-only, or released): nothing to check;
 * - the campaign's status as Twilio last reported it (`VERIFIED`, `IN_PROGRESS`, `FAILED`);
 * - `NOT_REGISTERED`: US local numbers, and no campaign (no compliance.usA2p, or not created yet).
 * Only rows that exist and differ are written; an account row the outputs do not name is left alone.
 */
import { countryOfAreaCode } from "../validation/phone-numbers";
import type { StackAccountOutput, StackOutputs } from "./contract";

export const NOT_REGISTERED = "NOT_REGISTERED";

function isUsLocal(phoneNumber: string | null): boolean {
  if (!phoneNumber?.startsWith("+1")) return false;
  return countryOfAreaCode(phoneNumber.slice(2, 5)) === "US";
}

/** The status the account row should hold. */
export function campaignStatusForRow(account: StackAccountOutput): string | null {
  if (account.released) return null;
  const usNumbers = account.numbers.some((n) => !n.released && isUsLocal(n.phoneNumber));
  if (!usNumbers) return null;
  return account.usA2p?.campaignStatus ?? NOT_REGISTERED;
}

/** What a transaction needs (the generated client's transaction has both). */
interface RawTx {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

/** Writes the statuses that changed; returns how many account rows changed. */
export async function writeCampaignStatuses(tx: RawTx, outputs: StackOutputs): Promise<number> {
  if (outputs.accounts.length === 0) return 0;
  const ids = outputs.accounts.map((a) => a.accountId);
  const statuses = outputs.accounts.map(campaignStatusForRow);
  return tx.$executeRaw`
    UPDATE "accounts" AS a
    SET "us_a2p_campaign_status" = s."status", "updated_at" = now()
    FROM unnest(${ids}::uuid[], ${statuses}::text[]) AS s("id", "status")
    WHERE a."id" = s."id" AND a."us_a2p_campaign_status" IS DISTINCT FROM s."status"`;
}
