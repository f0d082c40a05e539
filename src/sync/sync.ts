/**
 * The sync room (src/sync/): after a deployment, the SIDs of the stack outputs into the backend's
 * `VapiPhoneNumber` rows (contract.ts the outputs' schema, read-outputs.ts where they come from,
 * plan.ts the decisions, this file the transaction, report.ts what a person reads), and `adopt`
 * (adopt.ts) for rows made before the project.
 *
 * Imports src/pulumi (to read a stack), src/db, src/config, src/validation and src/util. Never the
 * emulator or the sender: the sync says what it changed (its report, and `onRowsChanged`), and
 * the caller drops the sender's cached routes (npm start wires `sender.invalidate()`; a backend
 * running the sync does the same, docs/sync.md). Never src/cli, scripts/, bench/ or test/.
 *
 * This file: the post-deploy sync.
 *
 * Everything happens in one transaction that first takes a PostgreSQL advisory lock, so a second
 * sync started meanwhile waits, then reads what the first committed and finds nothing to do. Rows
 * are read and written in bulk (a handful of statements whatever the number of accounts): one
 * statement per kind of change, with the values passed as arrays.
 */
import { randomUUID } from "node:crypto";
import type { Database } from "../db";
import type { StackOutputs } from "./contract";
import {
  type Conflict,
  lookupKeys,
  type NumberRef,
  type PhoneRow,
  planSync,
  type Renumbered,
} from "./plan";
import { writeCampaignStatuses } from "./us-a2p-status";

/** Advisory lock key of the sync (distinct from Prisma's migrate lock, 72707369). */
export const SYNC_LOCK_KEY = 0x73796e63; // "sync"

/** What `--json` prints. */
export interface SyncReport {
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  /** Rows of parked numbers made inactive (their number SID kept; see plan.ts). */
  parked: number;
  /**
   * Rows moved to a number bought again (old and new phone number and SID; see plan.ts). Present
   * only when there are some: the reports of every other sync read as before.
   */
  renumbered?: Renumbered[];
  unmatched: NumberRef[];
  conflicts: Conflict[];
}

export interface SyncResult {
  report: SyncReport;
  /** Account rows created for new numbers. */
  accountsCreated: number;
  accounts: number;
  numbers: number;
  dryRun: boolean;
  /** Account rows whose US A2P campaign status changed (us-a2p-status.ts); 0 in a dry run. */
  campaignStatusesChanged?: number;
}

export interface SyncOptions {
  /** Plan and report, write nothing (the transaction is rolled back). */
  dryRun?: boolean;
  /**
   * Called after a commit that created, updated or deactivated rows (never for a dry run): the
   * hook for a sender in the same process, whose cached Messaging Service routes may now be stale
   * (`() => sender.invalidate()`, or `invalidateSenderCaches` for every sender of the process).
   */
  onRowsChanged?: (result: SyncResult) => void;
}

/** Rows the sync created, updated, renumbered, parked or deactivated, and campaign statuses. */
export function rowsChanged(result: SyncResult): number {
  const { created, updated, deactivated, parked, renumbered } = result.report;
  return (
    created +
    updated +
    deactivated +
    parked +
    (renumbered?.length ?? 0) +
    (result.campaignStatusesChanged ?? 0)
  );
}

/** A transaction of the generated client (what `$transaction` hands its callback). */
type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];

/** Thrown inside the transaction to roll a dry run back after planning. */
class DryRunRollback extends Error {
  constructor(readonly result: SyncResult) {
    super("dry run: rolled back");
  }
}

/** Long enough for 10,000s of accounts, or for waiting behind another sync. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export async function syncStackOutputs(
  db: Database,
  outputs: StackOutputs,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const dryRun = options.dryRun ?? false;
  try {
    const result = await db.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(${SYNC_LOCK_KEY})`;
        const keys = lookupKeys(outputs);
        const rows = await readRows(tx, keys);
        const existingAccounts = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT "id"::text AS "id" FROM "accounts" WHERE "id" = ANY(${keys.accountIds}::uuid[])`;
        const plan = planSync(outputs, rows, new Set(existingAccounts.map((a) => a.id)));
        const result: SyncResult = {
          report: {
            created: plan.creates.length,
            updated: plan.updates.length,
            unchanged: plan.unchanged,
            deactivated: plan.deactivations.length,
            parked: plan.parkings.length,
            ...(plan.renumbers.length > 0
              ? {
                  renumbered: plan.renumbers.map(
                    ({ twilioMessagingServiceSid: _, ...renumbered }) => renumbered,
                  ),
                }
              : {}),
            unmatched: plan.unmatched,
            conflicts: plan.conflicts,
          },
          accountsCreated: plan.accountsToCreate.length,
          accounts: outputs.accounts.length,
          numbers: outputs.accounts.reduce((sum, a) => sum + a.numbers.length, 0),
          dryRun,
        };
        if (dryRun) throw new DryRunRollback(result);

        if (plan.accountsToCreate.length > 0) {
          await tx.$executeRaw`
            INSERT INTO "accounts" ("id", "name", "created_at", "updated_at")
            SELECT a."id", a."name", now(), now()
            FROM unnest(${plan.accountsToCreate.map((a) => a.id)}::uuid[],
                        ${plan.accountsToCreate.map((a) => a.name)}::text[]) AS a("id", "name")
            ON CONFLICT ("id") DO NOTHING`;
        }
        if (plan.updates.length > 0) {
          await tx.$executeRaw`
            UPDATE "vapi_phone_numbers" AS v
            SET "twilio_phone_number_sid" = u."pn",
                "twilio_messaging_service_sid" = u."mg",
                "is_active" = true,
                "updated_at" = now()
            FROM unnest(${plan.updates.map((u) => u.rowId)}::uuid[],
                        ${plan.updates.map((u) => u.twilioPhoneNumberSid)}::text[],
                        ${plan.updates.map((u) => u.twilioMessagingServiceSid)}::text[]) AS u("id", "pn", "mg")
            WHERE v."id" = u."id"`;
        }
        if (plan.renumbers.length > 0) {
          // The phone number too: the customer's number changed (the new one is in no row, or
          // the plan would have matched that row).
          const r = plan.renumbers;
          await tx.$executeRaw`
            UPDATE "vapi_phone_numbers" AS v
            SET "phone_number" = u."phone",
                "twilio_phone_number_sid" = u."pn",
                "twilio_messaging_service_sid" = u."mg",
                "is_active" = true,
                "updated_at" = now()
            FROM unnest(${r.map((u) => u.rowId)}::uuid[],
                        ${r.map((u) => u.phoneNumber as string)}::text[],
                        ${r.map((u) => u.sid as string)}::text[],
                        ${r.map((u) => u.twilioMessagingServiceSid)}::text[]) AS u("id", "phone", "pn", "mg")
            WHERE v."id" = u."id"`;
        }
        if (plan.deactivations.length > 0) {
          await tx.$executeRaw`
            UPDATE "vapi_phone_numbers"
            SET "twilio_phone_number_sid" = NULL,
                "twilio_messaging_service_sid" = NULL,
                "is_active" = false,
                "updated_at" = now()
            WHERE "id" = ANY(${plan.deactivations}::uuid[])`;
        }
        if (plan.parkings.length > 0) {
          await tx.$executeRaw`
            UPDATE "vapi_phone_numbers"
            SET "twilio_messaging_service_sid" = NULL,
                "is_active" = false,
                "updated_at" = now()
            WHERE "id" = ANY(${plan.parkings}::uuid[])`;
        }
        if (plan.creates.length > 0) {
          const c = plan.creates;
          await tx.$executeRaw`
            INSERT INTO "vapi_phone_numbers" ("id", "account_id", "vapi_phone_id", "phone_number", "name",
              "twilio_phone_number_sid", "twilio_messaging_service_sid", "is_active", "created_at", "updated_at")
            SELECT r."id", r."account_id", r."vapi_phone_id", r."phone_number", r."name", r."pn", r."mg", true, now(), now()
            FROM unnest(${c.map(() => randomUUID())}::uuid[],
                        ${c.map((r) => r.accountId)}::uuid[],
                        ${c.map((r) => r.vapiPhoneId)}::text[],
                        ${c.map((r) => r.phoneNumber)}::text[],
                        ${c.map((r) => r.name)}::text[],
                        ${c.map((r) => r.twilioPhoneNumberSid)}::text[],
                        ${c.map((r) => r.twilioMessagingServiceSid)}::text[])
              AS r("id", "account_id", "vapi_phone_id", "phone_number", "name", "pn", "mg")`;
        }
        // After the account rows exist: the sender reads the status from them.
        const campaignStatusesChanged = await writeCampaignStatuses(tx, outputs);
        if (campaignStatusesChanged > 0) result.campaignStatusesChanged = campaignStatusesChanged;
        return result;
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
    );
    // After the commit: a sender in this process (the backend running the sync) must not keep
    // sending through a Messaging Service SID the rows no longer hold.
    if (rowsChanged(result) > 0) options.onRowsChanged?.(result);
    return result;
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}

async function readRows(
  tx: Tx,
  keys: { sids: string[]; phoneNumbers: string[]; vapiPhoneIds: string[] },
): Promise<PhoneRow[]> {
  return tx.$queryRaw<PhoneRow[]>`
    SELECT "id"::text AS "id", "account_id"::text AS "accountId", "vapi_phone_id" AS "vapiPhoneId",
           "phone_number" AS "phoneNumber", "twilio_phone_number_sid" AS "twilioPhoneNumberSid",
           "twilio_messaging_service_sid" AS "twilioMessagingServiceSid", "is_active" AS "isActive"
    FROM "vapi_phone_numbers"
    WHERE "twilio_phone_number_sid" = ANY(${keys.sids}::text[])
       OR "phone_number" = ANY(${keys.phoneNumbers}::text[])
       OR "vapi_phone_id" = ANY(${keys.vapiPhoneIds}::text[])
    ORDER BY "created_at", "id"`;
}
