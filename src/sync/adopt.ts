/**
 * Brings existing accounts under code (replaces the seed's "Manual Setup" loop): rows that hold a
 * Twilio number SID but no Messaging Service SID become accounts YAML that adopts those numbers by
 * SID. `pulumi preview` then shows adoptions (no purchase, no release), `pulumi up` creates each
 * account's Messaging Service and attaches its numbers, and the sync writes the SIDs back.
 *
 * Reads the database only; never calls Twilio.
 */
import { stringify } from "yaml";
import { parseAccountsDocument, type ResolvedConfig } from "../config/load";
import { NUMBER_NAME_PATTERN } from "../config/schema";
import type { Database } from "../db";

/** What adoption reads of a legacy row. */
export interface LegacyRow {
  accountId: string;
  accountName: string;
  name: string;
  phoneNumber: string;
  vapiPhoneId: string;
  twilioPhoneNumberSid: string;
  isActive: boolean;
}

export interface AdoptionPlan {
  /** The accounts YAML, validated by the project's loader. */
  yaml: string;
  config: ResolvedConfig;
  /** Inactive rows are not brought into service; listed so a person sees them. */
  skippedInactive: LegacyRow[];
}

/** Rows with a number SID and no service SID, oldest account first. */
export async function readLegacyRows(db: Database): Promise<LegacyRow[]> {
  const rows = await db.prisma.vapiPhoneNumber.findMany({
    where: { twilioPhoneNumberSid: { not: null }, twilioMessagingServiceSid: null },
    include: { account: { select: { name: true, createdAt: true } } },
    orderBy: [
      { account: { createdAt: "asc" } },
      { accountId: "asc" },
      { createdAt: "asc" },
      { id: "asc" },
    ],
  });
  return rows.map((row) => ({
    accountId: row.accountId,
    accountName: row.account.name,
    name: row.name,
    phoneNumber: row.phoneNumber,
    vapiPhoneId: row.vapiPhoneId,
    twilioPhoneNumberSid: row.twilioPhoneNumberSid ?? "",
    isActive: row.isActive,
  }));
}

/** "Main Line" → "main-line": a number name the YAML accepts, unique within its account. */
function numberName(rowName: string, taken: Set<string>): string {
  const base =
    rowName
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 28)
      .replace(/-+$/, "") || "number";
  let name = base;
  for (let i = 2; taken.has(name) || !NUMBER_NAME_PATTERN.test(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/**
 * Builds the YAML adopting `rows` and checks it with the loader the Pulumi program uses; throws
 * its ConfigError (naming `fileName`, line and path) when the database holds something the YAML
 * cannot say.
 */
export function planAdoption(
  rows: readonly LegacyRow[],
  fileName: string,
  source: string,
): AdoptionPlan {
  const active = rows.filter((row) => row.isActive);
  const accounts = new Map<
    string,
    { id: string; name: string; numbers: unknown[]; names: Set<string> }
  >();
  for (const row of active) {
    let account = accounts.get(row.accountId);
    if (account === undefined) {
      account = { id: row.accountId, name: row.accountName, numbers: [], names: new Set() };
      accounts.set(row.accountId, account);
    }
    account.numbers.push({
      name: numberName(row.name, account.names),
      adopt: { sid: row.twilioPhoneNumberSid },
      vapiPhoneId: row.vapiPhoneId,
    });
  }
  const document = {
    accounts: [...accounts.values()].map(({ id, name, numbers }) => ({ id, name, numbers })),
  };
  const header = [
    "# yaml-language-server: $schema=./accounts.schema.json",
    `# Written by \`npm run adopt\` from ${source}: numbers the backend's database holds with a`,
    "# Twilio number SID but no Messaging Service. Review it, then `pulumi preview` (adoptions",
    "# only: no purchase, no release), `pulumi up`, and `npm run sync` (docs/sync.md).",
    "",
  ].join("\n");
  const yaml = `${header}${stringify(document, { lineWidth: 0 })}`;
  return {
    yaml,
    config: parseAccountsDocument(yaml, fileName),
    skippedInactive: rows.filter((r) => !r.isActive),
  };
}
