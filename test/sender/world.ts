/**
 * What the sender tests run against: the emulator (through test/emulator/helpers: every exchange
 * is checked against Twilio's OpenAPI description) and a PostgreSQL database of the file's own,
 * migrated with the project's migrations and opened with the project's database factory. Accounts
 * are provisioned in the emulator (number, Messaging Service, attachment) and written to the
 * database the way the sync writes them.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { createSmsSender, type SmsSender, type SmsSenderOptions } from "../../src/sender";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { AUTH_TOKEN, type TestEmulator, useEmulator } from "../emulator/helpers";

export interface ProvisionedAccount {
  accountId: string;
  accountName: string;
  vapiPhoneId: string;
  phoneNumber: string;
  serviceSid: string | null;
}

export interface SenderWorld {
  readonly t: TestEmulator;
  readonly db: Database;
  readonly databaseUrl: string;
  /** An account with one active number (and, unless `service: false`, its Messaging Service). */
  provisionAccount(options?: { name?: string; service?: boolean }): Promise<ProvisionedAccount>;
  /** A sender on the world's Prisma client and emulator, closed after the file. */
  sender(overrides?: Partial<SmsSenderOptions>): SmsSender;
  /** Exchanges from now on: `const calls = world.callsSince(); …; calls()`. */
  callsSince(): () => RequestLogEntry[];
  /** Message creates among exchanges. */
  creates(exchanges: RequestLogEntry[]): RequestLogEntry[];
}

export function useSenderWorld(name: string): SenderWorld {
  const t = useEmulator();
  let scratch: ScratchDatabase | undefined;
  let db: Database | undefined;
  const senders: SmsSender[] = [];
  let areaCodeSeq = 0;

  beforeAll(async () => {
    scratch = await createScratchDatabase(`sender_${name}`);
    await migrateDatabase({ databaseUrl: scratch.url });
    db = await openDatabase({ databaseUrl: scratch.url });
  });

  afterAll(async () => {
    for (const sender of senders) await sender.close();
    await db?.close();
    await scratch?.drop();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} not ready (use inside a test)`);
    return value;
  };

  return {
    t,
    get db() {
      return need(db, "database");
    },
    get databaseUrl() {
      return need(scratch, "database").url;
    },
    async provisionAccount(options = {}) {
      const client = t.client();
      const areaCode = ["514", "438", "416", "206", "312", "415"][areaCodeSeq++ % 6] ?? "514";
      const number = await client.incomingPhoneNumbers.create({ areaCode });
      const accountName = options.name ?? `Clinic ${randomUUID().slice(0, 8)}`;
      let serviceSid: string | null = null;
      if (options.service !== false) {
        const service = await client.messaging.v1.services.create({
          friendlyName: `${accountName} - Parlae`,
        });
        await client.messaging.v1
          .services(service.sid)
          .phoneNumbers.create({ phoneNumberSid: number.sid });
        serviceSid = service.sid;
      }
      const prisma = need(db, "database").prisma;
      const account = await prisma.account.create({ data: { name: accountName } });
      const vapiPhoneId = `vapi-${randomUUID()}`;
      await prisma.vapiPhoneNumber.create({
        data: {
          accountId: account.id,
          vapiPhoneId,
          phoneNumber: number.phoneNumber,
          name: "Main Line",
          isActive: true,
          twilioPhoneNumberSid: number.sid,
          twilioMessagingServiceSid: serviceSid,
        },
      });
      return {
        accountId: account.id,
        accountName,
        vapiPhoneId,
        phoneNumber: number.phoneNumber,
        serviceSid,
      };
    },
    sender(overrides = {}) {
      const sender = createSmsSender({
        prisma: need(db, "database").prisma,
        twilio: { accountSid: t.emulator.accountSid, authToken: AUTH_TOKEN, baseUrl: t.baseUrl },
        ...overrides,
      });
      senders.push(sender);
      return sender;
    },
    callsSince() {
      const start = t.exchanges.length;
      return () => t.exchanges.slice(start);
    },
    creates(exchanges) {
      return exchanges.filter((e) => e.operationId === "CreateMessage");
    },
  };
}
