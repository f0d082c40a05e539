/**
 * Stack outputs and database targets for the sync's tests (and its benchmark): valid SIDs and
 * numbers made from an index, so a test reads which account is which.
 */
import type { Database } from "../../src/db";
import type { StackAccountOutput, StackNumberOutput, StackOutputs } from "../../src/sync/contract";

const hex32 = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, "0")}`;

export const accountId = (n: number) =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
export const numberSid = (n: number) => hex32("PN", n);
export const serviceSid = (n: number) => hex32("MG", n);
export const phoneNumber = (n: number) => `+1514${String(n).padStart(7, "0")}`;
export const vapiPhoneId = (n: number) => `vapi-${n}`;

/** Account n with one active number n (its vapiPhoneId given unless told otherwise). */
export function activeAccount(
  n: number,
  options: { vapiPhoneId?: string | null } = {},
): StackAccountOutput {
  return {
    accountId: accountId(n),
    name: `Clinic ${n}`,
    released: false,
    messagingServiceSid: serviceSid(n),
    numbers: [
      {
        name: "main",
        phoneNumber: phoneNumber(n),
        sid: numberSid(n),
        vapiPhoneId: options.vapiPhoneId === undefined ? vapiPhoneId(n) : options.vapiPhoneId,
        released: false,
      },
    ],
  };
}

/** Account n, released: its number n is kept in the outputs with released: true. */
export function releasedAccount(n: number): StackAccountOutput {
  const active = activeAccount(n);
  return {
    ...active,
    released: true,
    messagingServiceSid: null,
    numbers: active.numbers.map((number) => ({ ...number, released: true })),
  };
}

export function outputsOf(accounts: StackAccountOutput[]): StackOutputs {
  return { accounts };
}

export function manyAccounts(count: number): StackOutputs {
  return outputsOf(Array.from({ length: count }, (_, i) => activeAccount(i + 1)));
}

/** Every row of both tables, every column, in a stable order: equal dumps mean nothing changed. */
export async function dumpTables(db: Database): Promise<string> {
  const accounts = await db.prisma.account.findMany({ orderBy: { id: "asc" } });
  const numbers = await db.prisma.vapiPhoneNumber.findMany({ orderBy: { id: "asc" } });
  return JSON.stringify({ accounts, numbers });
}

/** The rows as the sync should leave them, without ids and timestamps. */
export async function rowContents(db: Database): Promise<unknown[]> {
  return db.prisma.vapiPhoneNumber.findMany({
    orderBy: { phoneNumber: "asc" },
    select: {
      accountId: true,
      vapiPhoneId: true,
      phoneNumber: true,
      name: true,
      twilioPhoneNumberSid: true,
      twilioMessagingServiceSid: true,
      isActive: true,
    },
  });
}

export async function emptyTables(db: Database): Promise<void> {
  await db.prisma.$executeRaw`TRUNCATE "vapi_phone_numbers", "accounts"`;
}

/** A legacy row: the number exists, with its Vapi id, maybe a number SID, no service SID. */
export async function seedRow(
  db: Database,
  n: number,
  fields: { twilioPhoneNumberSid?: string | null; twilioMessagingServiceSid?: string | null } = {},
): Promise<void> {
  await db.prisma.account.upsert({
    where: { id: accountId(n) },
    create: { id: accountId(n), name: `Clinic ${n}` },
    update: {},
  });
  await db.prisma.vapiPhoneNumber.create({
    data: {
      accountId: accountId(n),
      vapiPhoneId: vapiPhoneId(n),
      phoneNumber: phoneNumber(n),
      name: "Main Line",
      vapiAssistantId: `assistant-${n}`,
      twilioPhoneNumberSid: fields.twilioPhoneNumberSid ?? null,
      twilioMessagingServiceSid: fields.twilioMessagingServiceSid ?? null,
    },
  });
}

/** The account's first number ("main"). */
export function mainNumber(account: StackAccountOutput): StackNumberOutput {
  const [number] = account.numbers;
  if (number === undefined) throw new Error(`account ${account.accountId} has no number`);
  return number;
}

/** The account with fields of its first number changed. */
export function withMainNumber(
  account: StackAccountOutput,
  changes: Partial<StackNumberOutput>,
): StackAccountOutput {
  return {
    ...account,
    numbers: [{ ...mainNumber(account), ...changes }, ...account.numbers.slice(1)],
  };
}
