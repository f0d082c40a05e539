/**
 * What a person reads when Twilio (or something in front of it) refuses a request: the real SDK
 * against a tiny local HTTP server that answers the way gateways and Twilio do.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeTwilioFailure, isNotFound, isRetryable } from "../../providers/twilio-errors";
import { createTwilioClient } from "../../src/twilio/client";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const NUMBER_SID = `PN${"2".repeat(32)}`;

/** The answer the server gives next: status, content type and body. */
let answer: { status: number; type: string; body: string };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { "content-type": answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The URL the SDK fetches the number from, on the local server. */
const numberUrl = () =>
  `${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${NUMBER_SID}.json`;

/** What the SDK throws for the current answer. */
async function sdkFailure(): Promise<unknown> {
  const client = createTwilioClient({
    accountSid: ACCOUNT_SID,
    authToken: "not-a-real-token",
    baseUrl,
    retry: false,
  });
  try {
    await client.incomingPhoneNumbers(NUMBER_SID).fetch();
  } catch (error) {
    return error;
  }
  throw new Error("the request did not fail");
}

describe("errors from Twilio and from what stands in front of it", () => {
  it("names the HTTP status of a gateway's JSON 502, never 'undefined', and retries it", async () => {
    answer = { status: 502, type: "application/json", body: '{"error":"Bad Gateway"}' };
    const error = await sdkFailure();
    const described = describeTwilioFailure("fetch number", error);
    expect(described.message).toBe(
      `could not fetch number: HTTP 502 Bad Gateway from GET ${numberUrl()}, with an answer that is not a Twilio error (a gateway or proxy in between?); hint: a failure on Twilio's side or on the way there (retryable): run again later, and check TWILIO_BASE_URL / twilioBaseUrl if it persists`,
    );
    expect(described.httpStatus).toBe(502);
    expect(isRetryable(error)).toBe(true);
  });

  it("handles a proxy's HTML 503 the same way", async () => {
    answer = {
      status: 503,
      type: "text/html",
      body: "<html><body>Service Unavailable</body></html>",
    };
    const error = await sdkFailure();
    expect(describeTwilioFailure("fetch number", error).message).toMatch(
      /^could not fetch number: HTTP 503 Service Unavailable from GET http:\/\/127\.0\.0\.1:\d+\/\S+, with an answer that is not a Twilio error/,
    );
    expect(isRetryable(error)).toBe(true);
  });

  it("treats a bodiless 429 as rate limiting, and a JSON 400 without Twilio's fields as final", async () => {
    answer = { status: 429, type: "application/json", body: "{}" };
    const limited = await sdkFailure();
    expect(describeTwilioFailure("fetch number", limited).message).toContain(
      "HTTP 429 Too Many Requests",
    );
    expect(isRetryable(limited)).toBe(true);

    answer = { status: 400, type: "application/json", body: '{"detail":"nope"}' };
    const refused = await sdkFailure();
    const message = describeTwilioFailure("fetch number", refused).message;
    expect(message).toBe(
      `could not fetch number: HTTP 400 Bad Request from GET ${numberUrl()}, with an answer that is not a Twilio error (a gateway or proxy in between?)`,
    );
    expect(isRetryable(refused)).toBe(false);
  });

  it("keeps Twilio's own code, message, status and hint for a Twilio-shaped error", async () => {
    answer = {
      status: 404,
      type: "application/json",
      body: JSON.stringify({
        code: 20404,
        message: `The requested resource /IncomingPhoneNumbers/${NUMBER_SID}.json was not found`,
        more_info: "https://www.twilio.com/docs/errors/20404",
        status: 404,
      }),
    };
    const error = await sdkFailure();
    const described = describeTwilioFailure("fetch number", error);
    expect(described.message).toMatch(
      /^could not fetch number: Twilio error 20404 \(HTTP 404\): The requested resource .* was not found; hint: the object no longer exists in Twilio/,
    );
    expect(described.twilioCode).toBe(20404);
    expect(isRetryable(error)).toBe(false);
    expect(isNotFound(error)).toBe(true);
  });
});

describe("what a 404 means (design.md invariant 9)", () => {
  it("an HTML 404 (a gateway, a wrong base URL) is not 'gone': an error naming the status and the URL", async () => {
    answer = { status: 404, type: "text/html", body: "<html><body>Not Found</body></html>" };
    const error = await sdkFailure();
    expect(isNotFound(error)).toBe(false);
    expect(isRetryable(error)).toBe(false);
    const described = describeTwilioFailure("read number", error);
    expect(described.message).toBe(
      `could not read number: HTTP 404 Not Found from GET ${numberUrl()}, with an answer that is not a Twilio error (a gateway or proxy in between?); hint: only Twilio's own not-found (error 20404) means an object is gone, and this is not it: check TWILIO_BASE_URL / twilioBaseUrl (the state was left as it was)`,
    );
    expect(described.httpStatus).toBe(404);
  });

  it.each([
    ["JSON without Twilio's fields", { error: "not found" }],
    ["Twilio's code without its message", { code: 20404 }],
    ["another Twilio code", { code: 20003, message: "Authenticate", status: 404 }],
  ])("a 404 with %s is not 'gone' either", async (_what, body) => {
    answer = { status: 404, type: "application/json", body: JSON.stringify(body) };
    expect(isNotFound(await sdkFailure())).toBe(false);
  });

  it("puts a restricted key's missing permission first (70051), and does not retry it", async () => {
    answer = {
      status: 401,
      type: "application/json",
      body: JSON.stringify({
        code: 70051,
        message:
          "Authorization Error: required permission twilio/phone-numbers/active-numbers/read is missing",
        more_info: "https://www.twilio.com/docs/errors/70051",
        status: 401,
      }),
    };
    const error = await sdkFailure();
    const described = describeTwilioFailure("fetch number", error);
    expect(described.message).toBe(
      "missing Twilio permission /twilio/phone-numbers/active-numbers/read: the restricted API key in TWILIO_API_KEY does not allow it, so could not fetch number (Twilio error 70051, HTTP 401; Twilio changed nothing); hint: a read-only key (the pull-request plan's) cannot deploy; deploy with a key whose policy holds this permission (docs/workflows.md lists each job's); see https://www.twilio.com/docs/errors/70051",
    );
    expect(described.twilioCode).toBe(70051);
    expect(isRetryable(error)).toBe(false);
  });
});
