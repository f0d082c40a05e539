import { describe, expect, it } from "vitest";
import {
  createTwilioClient,
  createTwilioClientFromEnv,
  twilioCredentialsFromEnv,
} from "../../src/twilio/client";
import { rewriteTwilioUrl } from "../../src/twilio/http-client";
import { ACCOUNT_SID, AUTH_TOKEN, useEmulator } from "./helpers";

const SECRET = "s3cr3t-value-that-must-not-leak";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("src/twilio/client.ts: one helper builds every Twilio client", () => {
  const t = useEmulator();

  it("Twilio URLs of both path families are rewritten onto the base URL, path and query kept", () => {
    const base = "http://127.0.0.1:4010";
    expect(
      rewriteTwilioUrl(
        `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=2`,
        base,
      ),
    ).toBe(`${base}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=2`);
    expect(
      rewriteTwilioUrl("https://messaging.twilio.com/v1/Services?Page=1&PageToken=PA3", base),
    ).toBe(`${base}/v1/Services?Page=1&PageToken=PA3`);
    expect(
      rewriteTwilioUrl("https://api.dublin.ie1.twilio.com/2010-04-01/x.json", `${base}/prefix/`),
    ).toBe(`${base}/prefix/2010-04-01/x.json`);
    expect(rewriteTwilioUrl("https://iam.twilio.com/v1/Keys?AccountSid=AC1", base)).toBe(
      `${base}/v1/Keys?AccountSid=AC1`,
    );
    expect(rewriteTwilioUrl("https://trusthub.twilio.com/v1/CustomerProfiles", base)).toBe(
      `${base}/v1/CustomerProfiles`,
    );
    expect(rewriteTwilioUrl("https://example.com/v1/Services", base)).toBe(
      "https://example.com/v1/Services",
    );
  });

  it("a client given the emulator's base URL reaches it for the 2010 API, Messaging v1, IAM v1 and Trust Hub v1", async () => {
    const client = createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      baseUrl: t.baseUrl,
    });
    await client.incomingPhoneNumbers.list();
    await client.messaging.v1.services.list();
    await client.iam.v1.getApiKeys.list({ accountSid: ACCOUNT_SID });
    // Three policies, one per page: the SDK follows https://trusthub.twilio.com/… paging links.
    expect(await client.trusthub.v1.policies.list({ pageSize: 1 })).toHaveLength(3);
    expect(t.exchanges.slice(-6).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET /2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json 200`,
      "GET /v1/Services 200",
      "GET /v1/Keys 200",
      "GET /v1/Policies 200",
      "GET /v1/Policies 200",
      "GET /v1/Policies 200",
    ]);
  });

  it("TWILIO_BASE_URL in the environment routes the client when no base URL is given", async () => {
    const env = {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_BASE_URL: t.baseUrl,
    };
    const before = t.exchanges.length;
    await createTwilioClientFromEnv(env).messaging.v1.services.list();
    await createTwilioClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      env,
    }).messaging.v1.services.list();
    expect(t.exchanges.length).toBe(before + 2);
  });

  it("credentials are read from the environment: token, or API key and secret, plus the base URL", () => {
    expect(
      twilioCredentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRET }),
    ).toEqual({
      accountSid: ACCOUNT_SID,
      authToken: SECRET,
    });
    const apiKey = `SK${"1".repeat(32)}`;
    expect(
      twilioCredentialsFromEnv({
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_API_KEY: apiKey,
        TWILIO_API_SECRET: SECRET,
        TWILIO_BASE_URL: "http://127.0.0.1:4010",
      }),
    ).toEqual({
      accountSid: ACCOUNT_SID,
      apiKey,
      apiSecret: SECRET,
      baseUrl: "http://127.0.0.1:4010",
    });
  });

  it("missing or malformed settings name the variable and never echo a secret", () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ TWILIO_AUTH_TOKEN: SECRET }, /TWILIO_ACCOUNT_SID is not set/],
      [{ TWILIO_ACCOUNT_SID: "AC123", TWILIO_AUTH_TOKEN: SECRET }, /TWILIO_ACCOUNT_SID must be/],
      [
        { TWILIO_ACCOUNT_SID: ACCOUNT_SID },
        /TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET/,
      ],
      [{ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_SECRET: SECRET }, /TWILIO_API_KEY is not/],
      [
        { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_KEY: SECRET, TWILIO_API_SECRET: SECRET },
        /TWILIO_API_KEY must be/,
      ],
      [
        { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRET, TWILIO_BASE_URL: "ftp://x" },
        /http\(s\)/,
      ],
    ];
    for (const [env, expected] of cases) {
      const message = messageOf(() => twilioCredentialsFromEnv(env));
      expect(message).toMatch(expected);
      expect(message).not.toContain(SECRET);
    }
  });

  it("createTwilioClient refuses incomplete credentials without echoing them", () => {
    expect(messageOf(() => createTwilioClient({ accountSid: ACCOUNT_SID }))).toMatch(
      /credentials missing/,
    );
    expect(
      messageOf(() => createTwilioClient({ accountSid: SECRET, authToken: SECRET })),
    ).not.toContain(SECRET);
    expect(
      messageOf(() =>
        createTwilioClient({ accountSid: ACCOUNT_SID, apiKey: `SK${"1".repeat(32)}` }),
      ),
    ).toMatch(/without its secret/);
  });
});

describe("publicUrls: local", () => {
  const t = useEmulator({ publicUrls: "local" });

  it("puts the emulator's own URLs in v1 responses, so raw HTTP clients can follow paging links", async () => {
    const client = t.client();
    for (let i = 0; i < 3; i++)
      await client.messaging.v1.services.create({ friendlyName: `local-${i}` });
    const first = await t.raw("GET", "/v1/Services?PageSize=2");
    const meta = (first.body as { meta: { next_page_url: string; url: string } }).meta;
    expect(meta.url).toBe(`${t.baseUrl}/v1/Services?PageSize=2&Page=0`);
    expect(meta.next_page_url.startsWith(`${t.baseUrl}/v1/Services?`)).toBe(true);
    const second = await t.raw("GET", meta.next_page_url.slice(t.baseUrl.length));
    expect((second.body as { services: unknown[] }).services).toHaveLength(1);
    expect((await client.messaging.v1.services.list({ pageSize: 2 })).length).toBe(3);
  });
});
