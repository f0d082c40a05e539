import { describe, expect, it } from "vitest";
import { ACCOUNT_SID, AUTH_TOKEN, twilioErrorOf, useEmulator } from "./helpers";

const API_KEY = `SK${"ab".repeat(16)}`;
const API_SECRET = "emulator-test-api-secret";
const OTHER_ACCOUNT = `AC${"0".repeat(32)}`;

describe("authentication as Twilio does it", () => {
  const t = useEmulator({ apiKeys: [{ sid: API_KEY, secret: API_SECRET }] });
  const authError = {
    status: 401,
    body: {
      code: 20003,
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    },
  };

  it("a wrong auth token is 401 with code 20003 through the SDK", async () => {
    const client = t.client({ authToken: "not-the-token", retry: false });
    expect(await twilioErrorOf(client.incomingPhoneNumbers.list())).toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it("missing or malformed credentials are 401 with Twilio's error shape and a Basic challenge", async () => {
    const path = `${t.accountPath}/IncomingPhoneNumbers.json`;
    const none = await t.raw("GET", path, { auth: null });
    expect(none).toMatchObject(authError);
    expect(none.headers.get("www-authenticate")).toBe('Basic realm="Twilio API"');
    const garbage = await t.raw("GET", path, {
      auth: null,
      headers: { Authorization: "Bearer abc" },
    });
    expect(garbage).toMatchObject(authError);
    const v1 = await t.raw("GET", "/v1/Services", {
      auth: { username: ACCOUNT_SID, password: "wrong" },
    });
    expect(v1).toMatchObject(authError);
  });

  it("an API key declared in the options authenticates for the account, with either path family", async () => {
    const client = t.client({ authToken: undefined, apiKey: API_KEY, apiSecret: API_SECRET });
    const service = await client.messaging.v1.services.create({ friendlyName: "via api key" });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    expect(service.accountSid).toBe(ACCOUNT_SID);
    expect(number.accountSid).toBe(ACCOUNT_SID);
    expect(t.exchanges.at(-1)).toMatchObject({ auth: "api-key", status: 201 });
  });

  it("an API key with the wrong secret, or an undeclared key, is 20003", async () => {
    const wrongSecret = t.client({
      authToken: undefined,
      apiKey: API_KEY,
      apiSecret: "nope",
      retry: false,
    });
    expect(await twilioErrorOf(wrongSecret.messaging.v1.services.list())).toMatchObject({
      status: 401,
      code: 20003,
    });
    const unknownKey = t.client({
      authToken: undefined,
      apiKey: `SK${"cd".repeat(16)}`,
      apiSecret: API_SECRET,
      retry: false,
    });
    expect(await twilioErrorOf(unknownKey.messaging.v1.services.list())).toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it("valid credentials cannot reach another account's 2010 path (20003); a path that names no account is 20404", async () => {
    const other = await t.raw(
      "GET",
      `/2010-04-01/Accounts/${OTHER_ACCOUNT}/IncomingPhoneNumbers.json`,
    );
    expect(other).toMatchObject(authError);
    const buy = await t.raw(
      "POST",
      `/2010-04-01/Accounts/${OTHER_ACCOUNT}/IncomingPhoneNumbers.json`,
      {
        form: { AreaCode: "514" },
      },
    );
    expect(buy).toMatchObject(authError);
    expect(t.emulator.state.phoneNumbers.list().every((n) => n.accountSid === ACCOUNT_SID)).toBe(
      true,
    );
    const malformed = await t.raw(
      "GET",
      "/2010-04-01/Accounts/not-an-account/IncomingPhoneNumbers.json",
    );
    expect(malformed).toMatchObject({ status: 404, body: { code: 20404 } });
  });

  it("unknown paths are 20404 and unsupported methods 20004 (405), after authentication", async () => {
    expect(await t.raw("GET", "/v1/Nothing")).toMatchObject({
      status: 404,
      body: { code: 20404, message: "The requested resource /v1/Nothing was not found" },
    });
    expect(await t.raw("PUT", "/v1/Services")).toMatchObject({
      status: 405,
      body: { code: 20004, status: 405 },
    });
    expect(await t.raw("GET", "/v1/Nothing", { auth: null })).toMatchObject(authError);
  });

  it("no credential is written to the request log", async () => {
    await t.raw("GET", "/v1/Services", { auth: { username: ACCOUNT_SID, password: AUTH_TOKEN } });
    const logged = JSON.stringify(t.emulator.requestLog.entries());
    expect(logged).not.toContain(AUTH_TOKEN);
    expect(logged).not.toContain(API_SECRET);
  });
});
