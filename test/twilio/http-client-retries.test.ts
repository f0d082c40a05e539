/**
 * The retry policy of src/twilio/http-client.ts, through the real SDK against the emulator's
 * faults: rate limiting and Twilio-side failures are retried (honouring Retry-After), a purchase is
 * never repeated by the HTTP layer (it may have happened: the phone number provider decides).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/server";
import { createTwilioClient } from "../../src/twilio/client";
import { isRetryableExchange, retryDelayMs } from "../../src/twilio/http-client";

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

  it("retries a 5xx on a Messaging Service create, which then succeeds once", async () => {
    const { client, emulator } = await clientFor({
      faults: { failNth: [{ n: 1, status: 503, match: { operationId: "CreateService" } }] },
    });
    const service = await client.messaging.v1.services.create({
      friendlyName: "Retry me - Parlae",
    });
    expect(service.sid).toMatch(/^MG/);
    expect(emulator.requestLog.entries().map((e) => e.status)).toEqual([503, 201]);
    expect(await client.messaging.v1.services.list()).toHaveLength(1);
  });

  it("does not repeat a purchase that failed with a 5xx", async () => {
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

  it("gives up after four retries and surfaces Twilio's error", async () => {
    const { client, emulator } = await clientFor({ faults: { serverErrors: { rate: 1 } } });
    await expect(client.messaging.v1.services.list()).rejects.toMatchObject({ status: 500 });
    expect(emulator.requestLog.entries()).toHaveLength(5);
  }, 30_000);
});

describe("the retry policy", () => {
  const purchase = "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json";
  const update = "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json";

  it("retries 429 for every request, a purchase included", () => {
    expect(isRetryableExchange("POST", purchase, 429)).toBe(true);
  });

  it("retries 5xx except for a purchase", () => {
    expect(isRetryableExchange("POST", purchase, 500)).toBe(false);
    expect(isRetryableExchange("POST", update, 503)).toBe(true);
    expect(isRetryableExchange("GET", purchase, 502)).toBe(true);
  });

  it("retries a dropped connection only for GET and DELETE", () => {
    expect(isRetryableExchange("GET", update, undefined)).toBe(true);
    expect(isRetryableExchange("DELETE", update, undefined)).toBe(true);
    expect(isRetryableExchange("POST", update, undefined)).toBe(false);
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
