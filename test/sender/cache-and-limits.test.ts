/**
 * The sender's Messaging Service lookup cache (TTL, explicit invalidation, the process-wide hook
 * the sync calls), per-account rate limits in memory and shared through a real Redis, its options
 * check, and what `close()` releases.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import {
  createSmsSender,
  InsecureBaseUrlError,
  InvalidSenderOptionsError,
  invalidateSenderCaches,
  RateLimitedError,
  type SenderPrismaClient,
  SmsSenderError,
} from "../../src/sender";
import { REDIS_CONNECTION_NAME } from "../../src/sender/rate-limit";
import type { StackOutputs } from "../../src/sync/contract";
import { syncStackOutputs } from "../../src/sync/sync";
import { AUTH_TOKEN } from "../emulator/helpers";
import { type ProvisionedAccount, useSenderWorld } from "./world";

const world = useSenderWorld("limits");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TO = "+14165550190";

/** The world's Prisma client, counting the lookups that reach the database. */
function countingPrisma() {
  let queries = 0;
  const prisma: SenderPrismaClient = {
    vapiPhoneNumber: {
      findFirst(args) {
        queries++;
        return world.db.prisma.vapiPhoneNumber.findFirst(args);
      },
    },
  };
  return { prisma, queries: () => queries };
}

/** Points the account's row at a new Messaging Service (with a number of its own). */
async function moveToNewService(account: ProvisionedAccount) {
  const client = world.t.client();
  const service = await client.messaging.v1.services.create({ friendlyName: "Moved - Parlae" });
  const number = await client.incomingPhoneNumbers.create({ areaCode: "647" });
  await client.messaging.v1.services(service.sid).phoneNumbers.create({
    phoneNumberSid: number.sid,
  });
  await world.db.prisma.vapiPhoneNumber.update({
    where: { vapiPhoneId: account.vapiPhoneId },
    data: { twilioMessagingServiceSid: service.sid },
  });
  return service.sid;
}

describe("the Messaging Service lookup cache", () => {
  it("reads the database once per account while the entry lives", async () => {
    const account = await world.provisionAccount();
    const counting = countingPrisma();
    const sender = world.sender({ prisma: counting.prisma });
    await Promise.all(
      [1, 2, 3].map((i) => sender.sendSms({ accountId: account.accountId, to: TO, body: `#${i}` })),
    );
    await sender.sendSms({ accountId: account.accountId, to: TO, body: "#4" });
    expect(counting.queries()).toBe(1);
  });

  it("keeps a changed row's old SID until invalidated, then reads the new one", async () => {
    const account = await world.provisionAccount();
    const sender = world.sender();
    const before = await sender.sendSms({ accountId: account.accountId, to: TO, body: "a" });
    const moved = await moveToNewService(account);
    const cached = await sender.sendSms({ accountId: account.accountId, to: TO, body: "b" });
    expect(cached.messagingServiceSid).toBe(before.messagingServiceSid);
    sender.invalidate({ accountId: account.accountId });
    const fresh = await sender.sendSms({ accountId: account.accountId, to: TO, body: "c" });
    expect(fresh.messagingServiceSid).toBe(moved);
  });

  it("invalidateSenderCaches (the sync's hook) reaches every sender in the process", async () => {
    const account = await world.provisionAccount();
    const a = world.sender();
    const b = world.sender();
    await a.sendSmsByVapiPhoneId({ vapiPhoneId: account.vapiPhoneId, to: TO, body: "a" });
    await b.sendSms({ accountId: account.accountId, to: TO, body: "b" });
    const moved = await moveToNewService(account);
    invalidateSenderCaches({ vapiPhoneId: account.vapiPhoneId });
    const viaA = await a.sendSmsByVapiPhoneId({
      vapiPhoneId: account.vapiPhoneId,
      to: TO,
      body: "c",
    });
    const viaB = await b.sendSms({ accountId: account.accountId, to: TO, body: "d" });
    expect([viaA.messagingServiceSid, viaB.messagingServiceSid]).toEqual([moved, moved]);
  });

  it("a sync in the same process drops the cached route, so the next send uses the synced SID", async () => {
    const account = await world.provisionAccount();
    const sender = world.sender();
    const before = await sender.sendSms({ accountId: account.accountId, to: TO, body: "a" });
    // The number moves to a new service, as a deploy that recreated the service would do; the
    // sync then writes the new SID.
    const client = world.t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "Synced - Parlae" });
    const row = await world.db.prisma.vapiPhoneNumber.findUniqueOrThrow({
      where: { vapiPhoneId: account.vapiPhoneId },
    });
    const numberSid = row.twilioPhoneNumberSid ?? "";
    await client.messaging.v1
      .services(account.serviceSid ?? "")
      .phoneNumbers(numberSid)
      .remove();
    await client.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: numberSid });
    const outputs: StackOutputs = {
      accounts: [
        {
          accountId: account.accountId,
          name: account.accountName,
          released: false,
          messagingServiceSid: service.sid,
          numbers: [
            {
              name: "main",
              phoneNumber: account.phoneNumber,
              sid: numberSid,
              vapiPhoneId: account.vapiPhoneId,
              released: false,
            },
          ],
        },
      ],
    };
    // The hook a backend wires when it runs the sync next to its senders (docs/sync.md).
    const synced = await syncStackOutputs(world.db, outputs, {
      onRowsChanged: () => invalidateSenderCaches(),
    });
    expect(synced.report.updated).toBe(1);
    const after = await sender.sendSms({ accountId: account.accountId, to: TO, body: "b" });
    expect(before.messagingServiceSid).toBe(account.serviceSid);
    expect(after.messagingServiceSid).toBe(service.sid);
  });

  it("expires entries after the TTL, and does not cache a missing service", async () => {
    const account = await world.provisionAccount({ service: false });
    const counting = countingPrisma();
    const sender = world.sender({ prisma: counting.prisma, cacheTtlMs: 200 });
    await expect(
      sender.sendSms({ accountId: account.accountId, to: TO, body: "x" }),
    ).rejects.toMatchObject({ code: "NO_MESSAGING_SERVICE" });
    const moved = await moveToNewService(account);
    const first = await sender.sendSms({ accountId: account.accountId, to: TO, body: "y" });
    expect(first.messagingServiceSid).toBe(moved);
    await sender.sendSms({ accountId: account.accountId, to: TO, body: "z" });
    expect(counting.queries()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await sender.sendSms({ accountId: account.accountId, to: TO, body: "after TTL" });
    expect(counting.queries()).toBe(3);
  });
});

describe("per-account rate limits", () => {
  it("in memory: over the limit is a typed error with the wait, and makes no Twilio call", async () => {
    const [limited, other] = [await world.provisionAccount(), await world.provisionAccount()];
    const sender = world.sender({ rateLimit: { messages: 2, windowSeconds: 60 } });
    for (const body of ["1", "2"])
      await sender.sendSms({ accountId: limited.accountId, to: TO, body });
    const calls = world.callsSince();
    const error = await sender
      .sendSms({ accountId: limited.accountId, to: TO, body: "3" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: "RATE_LIMITED", accountId: limited.accountId, limit: 2 });
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(55_000);
    expect((error as Error).message).toMatch(
      /^Rate limited: account .* sent its 2 messages per 60 s/,
    );
    expect(calls()).toEqual([]);
    // Per account: another account still sends.
    await sender.sendSms({ accountId: other.accountId, to: TO, body: "other" });
  });

  it("in memory, configured to wait: the third message waits for the next window", async () => {
    const account = await world.provisionAccount();
    const sender = world.sender({
      rateLimit: { messages: 2, windowSeconds: 1, whenLimited: "wait" },
    });
    const started = Date.now();
    for (const body of ["1", "2", "3"])
      await sender.sendSms({ accountId: account.accountId, to: TO, body });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it("two sender instances share one Redis limit", async () => {
    const account = await world.provisionAccount();
    const keyPrefix = `test-sender-${randomUUID()}`;
    const rateLimit = { messages: 3, windowSeconds: 60, keyPrefix };
    const a = world.sender({ rateLimit, redisUrl: REDIS_URL });
    const b = world.sender({ rateLimit, redisUrl: REDIS_URL });
    const to = "+14165550191";
    await a.sendSms({ accountId: account.accountId, to, body: "a1" });
    await b.sendSms({ accountId: account.accountId, to, body: "b1" });
    await a.sendSms({ accountId: account.accountId, to, body: "a2" });
    await expect(
      b.sendSms({ accountId: account.accountId, to, body: "b2" }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    await expect(
      a.sendSms({ accountId: account.accountId, to, body: "a3" }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(world.t.emulator.state.messages.list({ to })).toHaveLength(3);
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${keyPrefix}*`);
      expect(keys).toEqual([`${keyPrefix}:${account.accountId}`]);
      expect(Number(await redis.get(keys[0] ?? ""))).toBeGreaterThanOrEqual(3);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });
});

describe("options and lifecycle", () => {
  it("refuses incomplete or unknown options with a typed error naming each problem", () => {
    const twilio = { accountSid: "AC".padEnd(34, "0"), authToken: "x" };
    const refusal = (options: unknown) => {
      try {
        createSmsSender(options as Parameters<typeof createSmsSender>[0]);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSenderOptionsError);
        expect(error).toMatchObject({ code: "INVALID_OPTIONS" });
        return (error as Error).message;
      }
      throw new Error("expected createSmsSender to refuse its options");
    };
    expect(refusal({ twilio })).toBe(
      "Invalid SMS sender options: prisma: give prisma (the backend's Prisma client) or databaseUrl",
    );
    expect(
      refusal({
        prisma: {} as SenderPrismaClient,
        twilio,
        rateLimit: { messages: 0, windowSeconds: 60 },
      }),
    ).toMatch(
      /^Invalid SMS sender options: prisma: must be a Prisma client with the VapiPhoneNumber model; rateLimit.messages: /,
    );
    // A misspelt option is an error, not silently ignored.
    expect(
      refusal({ databaseUrl: "postgresql://x", twilio, whenOutcomeUnknwn: "resend", global: true }),
    ).toMatch(
      /^Invalid SMS sender options: options: Unrecognized keys: "whenOutcomeUnknwn", "global"/,
    );
    expect(refusal({ prisma: world.db.prisma, databaseUrl: "postgresql://x", twilio })).toBe(
      "Invalid SMS sender options: databaseUrl: give prisma or databaseUrl, not both",
    );
    expect(
      refusal({
        databaseUrl: "postgresql://x",
        twilio: { accountSid: "nope", authToken: "secret-token" },
      }),
    ).toBe(
      "Invalid SMS sender options: twilio: Twilio account SID must be 'AC' followed by 32 lower-case hex digits",
    );
    expect(
      refusal({ databaseUrl: "postgresql://x", twilio: { ...twilio, baseUrl: "ftp://x" } }),
    ).toBe("Invalid SMS sender options: twilio.baseUrl: must be https:// (got ftp:)");
  });

  it.each([
    "http://emulator:4010",
    "http://10.0.0.5:4010",
    "http://[::2]:4010",
    "http://127.0.0.1.example.com",
    "http://api.twilio.com",
  ])(
    "refuses plain http to %s (not loopback): InsecureBaseUrlError, before any call",
    (baseUrl) => {
      const error = (() => {
        try {
          createSmsSender({
            databaseUrl: "postgresql://x",
            twilio: { accountSid: "AC".padEnd(34, "0"), authToken: "secret-token", baseUrl },
          });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(InsecureBaseUrlError);
      expect(error).toBeInstanceOf(SmsSenderError);
      expect(error).toMatchObject({ code: "INSECURE_BASE_URL", host: new URL(baseUrl).hostname });
      expect((error as Error).message).toMatch(
        /^Insecure Twilio base URL: plain http:\/\/ is allowed only to loopback/,
      );
      expect((error as Error).message).not.toContain("secret-token");
    },
  );

  it.each([
    "http://127.0.0.1:4010",
    "http://127.1.2.3:4010",
    "http://localhost:4010",
    "http://[::1]:4010",
    "https://emulator.internal:4010",
  ])("accepts %s (loopback, or https)", async (baseUrl) => {
    const sender = createSmsSender({
      prisma: world.db.prisma,
      twilio: { accountSid: "AC".padEnd(34, "0"), authToken: "x", baseUrl },
    });
    await sender.close();
  });

  it("never reads TWILIO_BASE_URL from the environment: without baseUrl nothing reaches the emulator it names", async () => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const saved = process.env.TWILIO_BASE_URL;
    process.env.TWILIO_BASE_URL = world.t.baseUrl;
    try {
      const sender = world.sender({
        twilio: { accountSid: world.t.emulator.accountSid, authToken: AUTH_TOKEN }, // no baseUrl
        retry: { rateLimitRetries: 0, lookupWindowMs: 0 },
      });
      // Twilio itself is unreachable from this machine (no internet): the send fails there.
      const error = await sender
        .sendSms({ accountId: account.accountId, to: TO, body: "not to the emulator" })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(SmsSenderError);
    } finally {
      if (saved === undefined) delete process.env.TWILIO_BASE_URL;
      else process.env.TWILIO_BASE_URL = saved;
    }
    expect(calls()).toEqual([]);
  });

  it("opens the database from databaseUrl on first use, and close() releases it", async () => {
    const redis = new Redis(REDIS_URL);
    const senderRedisClients = async () =>
      ((await redis.client("LIST")) as string)
        .split("\n")
        .filter((line) => line.includes(`name=${REDIS_CONNECTION_NAME} `)).length;
    const redisBefore = await senderRedisClients(); // other senders of this file may be open
    const account = await world.provisionAccount();
    const sender = createSmsSender({
      databaseUrl: world.databaseUrl,
      twilio: {
        accountSid: world.t.emulator.accountSid,
        authToken: AUTH_TOKEN,
        baseUrl: world.t.baseUrl,
      },
      rateLimit: { messages: 10, windowSeconds: 60, keyPrefix: `test-close-${randomUUID()}` },
      redisUrl: REDIS_URL,
    });
    const dbName = new URL(world.databaseUrl).pathname.slice(1);
    const connections = async () => {
      const admin = new Client({ connectionString: world.databaseUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [dbName],
        );
        return (rows[0] as { n: number }).n;
      } finally {
        await admin.end();
      }
    };
    const baseline = await connections(); // the world's own client
    const result = await sender.sendSms({ accountId: account.accountId, to: TO, body: "via URL" });
    expect(result.messagingServiceSid).toBe(account.serviceSid);
    expect(await connections()).toBeGreaterThan(baseline);
    expect(await senderRedisClients()).toBe(redisBefore + 1);
    await sender.close();
    expect(await connections()).toBe(baseline);
    expect(await senderRedisClients()).toBe(redisBefore);
    redis.disconnect();
    await expect(
      sender.sendSms({ accountId: account.accountId, to: TO, body: "closed" }),
    ).rejects.toThrow("SMS sender is closed");
  });
});
