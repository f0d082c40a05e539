/**
 * The retry policy of src/twilio/http-client.ts, through the real SDK against the emulator's
 * faults: rate limiting is retried for every request (honouring Retry-After); Twilio-side failures
 * and dropped connections are retried for reads, deletes and updates, never for a create (a
 * number, a Messaging Service, an attachment, a message), which may have happened: design.md
 * invariant 7, tested here by name.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/server";
import { createTwilioClient } from "../../src/twilio/client";
import { isCreate, isRetryableExchange, retryDelayMs } from "../../src/twilio/http-client";

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function clientFor(faults: Parameters<typeof startEmulator>[0]) {
  emulator = await startEmulator(faults);
  const client = createTwilioClient({
    accountSid: DEFAULT_ACCOUNT_SID,
    authToken: DEFAULT_AUTH_TOKEN,
    baseUrl: emulator.baseUrl,
  });
  return { client, emulator };
}

describe("retrying Twilio calls", () => {
  it("retries a 429 after the Retry-After delay the answer gives", async () => {
    const { client, emulator } = await clientFor({
      faults: { failNth: [{ n: 1, status: 429, retryAfterSeconds: 1 }] },
    });
    const started = Date.now();
    const services = await client.messaging.v1.services.list();
    expect(services).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(emulator.requestLog.entries().map((e) => e.status)).toEqual([429, 200]);
  });

  it("retries a 5xx on a Messaging Service update, which then succeeds once", async () => {
    const { client, emulator } = await clientFor({
      faults: { failNth: [{ n: 1, status: 503, match: { operationId: "UpdateService" } }] },
    });
    const created = await client.messaging.v1.services.create({ friendlyName: "Retry me" });
    const updated = await client.messaging.v1
      .services(created.sid)
      .update({ friendlyName: "Retried - Parlae" });
    expect(updated.friendlyName).toBe("Retried - Parlae");
    expect(emulator.requestLog.entries().map((e) => [e.operationId, e.status])).toEqual([
      ["CreateService", 201],
      ["UpdateService", 503],
      ["UpdateService", 200],
    ]);
  });

  it("invariant 7: a create is never retried blindly (a 502 after the message was created)", async () => {
    // The measured bug: the gateway answers 502 although Twilio created the message. Repeating
    // the POST would send the SMS twice; the client must surface the error instead.
    const { client, emulator } = await clientFor({
      faults: { dropAfterMessage: { status: 502 } },
    });
    const service = await client.messaging.v1.services.create({ friendlyName: "Alerts" });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    await client.messaging.v1.services(service.sid).phoneNumbers.create({
      phoneNumberSid: number.sid,
    });
    await expect(
      client.messages.create({ messagingServiceSid: service.sid, to: "+15145550199", body: "Hi" }),
    ).rejects.toMatchObject({ status: 502 });
    const creates = emulator.requestLog.entries().filter((e) => e.operationId === "CreateMessage");
    expect(creates.map((e) => e.status)).toEqual([502]);
    expect(await client.messages.list({ to: "+15145550199" })).toHaveLength(1);
  });

  it("invariant 7: a 503 on a Messaging Service create is not repeated", async () => {
    const { client, emulator } = await clientFor({
      faults: { failNth: [{ n: 1, status: 503, match: { operationId: "CreateService" } }] },
    });
    await expect(
      client.messaging.v1.services.create({ friendlyName: "Not twice - Parlae" }),
    ).rejects.toMatchObject({ status: 503 });
    expect(emulator.requestLog.entries().map((e) => [e.operationId, e.status])).toEqual([
      ["CreateService", 503],
    ]);
  });

  it("invariant 7: a purchase that failed with a 5xx is not repeated", async () => {
    const { client, emulator } = await clientFor({
      faults: {
        failNth: [{ n: 1, status: 500, match: { operationId: "CreateIncomingPhoneNumber" } }],
      },
    });
    await expect(client.incomingPhoneNumbers.create({ areaCode: "514" })).rejects.toMatchObject({
      status: 500,
    });
    expect(emulator.requestLog.entries().map((e) => [e.operationId, e.status])).toEqual([
      ["CreateIncomingPhoneNumber", 500],
    ]);
  });

  it("invariant 7: a message create whose connection dropped is not repeated", async () => {
    const { client, emulator } = await clientFor({ faults: { dropAfterMessage: {} } });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    const error = await client.messages
      .create({ from: number.phoneNumber, to: "+15145550197", body: "lost answer" })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string },
      );
    expect(error?.code ?? error?.message).toMatch(/ECONNRESET|socket hang up/);
    const creates = emulator.requestLog.entries().filter((e) => e.operationId === "CreateMessage");
    expect(creates.map((e) => [e.status, e.fault])).toEqual([[null, "dropped"]]);
    expect(await client.messages.list({ to: "+15145550197" })).toHaveLength(1);
  });

  it("a 429 on a message create is retried: Twilio did nothing, so it sends exactly once", async () => {
    const { client, emulator } = await clientFor({
      faults: { failNth: [{ n: 1, status: 429, match: { operationId: "CreateMessage" } }] },
    });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    const message = await client.messages.create({
      from: number.phoneNumber,
      to: "+15145550198",
      body: "once",
    });
    expect(message.sid).toMatch(/^SM/);
    const creates = emulator.requestLog.entries().filter((e) => e.operationId === "CreateMessage");
    expect(creates.map((e) => e.status)).toEqual([429, 201]);
    expect(await client.messages.list({ to: "+15145550198" })).toHaveLength(1);
  });

  it("gives up after four retries and surfaces Twilio's error", async () => {
    const { client, emulator } = await clientFor({ faults: { serverErrors: { rate: 1 } } });
    await expect(client.messaging.v1.services.list()).rejects.toMatchObject({ status: 500 });
    expect(emulator.requestLog.entries()).toHaveLength(5);
  }, 30_000);
});

describe("the retry policy", () => {
  const account = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef";
  const purchase = `${account}/IncomingPhoneNumbers.json`;
  const update = `${account}/IncomingPhoneNumbers/PN0123456789abcdef0123456789abcdef.json`;
  const message = `${account}/Messages.json`;
  const service = "https://messaging.twilio.com/v1/Services";
  const serviceUpdate = `${service}/MG0123456789abcdef0123456789abcdef`;
  const attachment = `${serviceUpdate}/PhoneNumbers`;

  it("counts every POST to a collection as a create, and a POST to a SID as an update", () => {
    for (const uri of [purchase, message, service, attachment]) {
      expect(isCreate("POST", uri), uri).toBe(true);
      expect(isCreate("GET", uri), uri).toBe(false);
    }
    expect(isCreate("POST", update)).toBe(false);
    expect(isCreate("POST", serviceUpdate)).toBe(false);
  });

  it("retries 429 for every request, creates included", () => {
    for (const uri of [purchase, message, service, attachment]) {
      expect(isRetryableExchange("POST", uri, 429), uri).toBe(true);
    }
  });

  it("invariant 7: never retries a create on 5xx or without an answer", () => {
    for (const uri of [purchase, message, service, attachment]) {
      for (const status of [500, 502, 503, 504, undefined]) {
        expect(isRetryableExchange("POST", uri, status), `${uri} ${status}`).toBe(false);
      }
    }
  });

  it("retries 5xx and a dropped connection for reads, deletes and updates", () => {
    for (const status of [502, undefined]) {
      expect(isRetryableExchange("POST", update, status)).toBe(true);
      expect(isRetryableExchange("POST", serviceUpdate, status)).toBe(true);
      expect(isRetryableExchange("GET", purchase, status)).toBe(true);
      expect(isRetryableExchange("DELETE", serviceUpdate, status)).toBe(true);
    }
  });

  it("does not retry client errors", () => {
    expect(isRetryableExchange("GET", update, 404)).toBe(false);
    expect(isRetryableExchange("POST", update, 400)).toBe(false);
  });

  it("waits what Retry-After says, capped, and backs off exponentially without it", () => {
    const policy = { maxRetries: 4, maxRetryAfterMs: 30_000 };
    expect(retryDelayMs({ "retry-after": "2" }, 1, policy)).toBe(2000);
    expect(retryDelayMs({ "retry-after": "3600" }, 1, policy)).toBe(30_000);
    const third = retryDelayMs({}, 3, policy);
    expect(third).toBeGreaterThanOrEqual(500);
    expect(third).toBeLessThanOrEqual(1000);
  });
});
