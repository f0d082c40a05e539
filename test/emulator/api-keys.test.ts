import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeStartupKeys, parseApiKey } from "../../src/emulator/cli";
import { OPERATION_PERMISSIONS } from "../../src/emulator/permissions";
import { ROUTES } from "../../src/emulator/routes";
import { ACCOUNT_SID, AUTH_TOKEN, twilioErrorOf, useEmulator } from "./helpers";

const OTHER_ACCOUNT = `AC${"0".repeat(32)}`;

/** What the project's plan job needs: every read of numbers, services, pools and messages. */
const READ_ONLY = [
  "/twilio/phone-numbers/active-numbers/list",
  "/twilio/phone-numbers/active-numbers/read",
  "/twilio/messaging/services/list",
  "/twilio/messaging/services/read",
  "/twilio/messaging/services.phonenumbers/list",
  "/twilio/messaging/services.phonenumbers/read",
  "/twilio/messaging/messages/list",
  "/twilio/messaging/messages/read",
];

describe("API keys on the IAM API (/v1/Keys on iam.twilio.com)", () => {
  const t = useEmulator({
    apiKeys: [{ friendlyName: "startup-main", type: "main" }],
  });

  it("the auth token creates a standard key; its secret is answered once and authenticates", async () => {
    const client = t.client();
    const key = await client.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      friendlyName: "ci-standard",
    });
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(key.secret).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(key.policy).toBeNull();
    const fetched = await client.iam.v1.apiKey(key.sid).fetch();
    expect(fetched.friendlyName).toBe("ci-standard");
    expect(JSON.stringify(t.exchanges.at(-1)?.responseBody)).not.toContain(key.secret);

    const asKey = t.client({ authToken: undefined, apiKey: key.sid, apiSecret: key.secret });
    await asKey.incomingPhoneNumbers.list();
    expect(t.exchanges.at(-1)).toMatchObject({ auth: "api-key", apiKeySid: key.sid, status: 200 });
  });

  it("a standard key cannot reach the Keys resource: 20003 (401), as Twilio answers", async () => {
    const { sid, secret } = await t.client().iam.v1.newApiKey.create({ accountSid: ACCOUNT_SID });
    const asKey = t.client({ authToken: undefined, apiKey: sid, apiSecret: secret, retry: false });
    expect(
      await twilioErrorOf(asKey.iam.v1.newApiKey.create({ accountSid: ACCOUNT_SID })),
    ).toMatchObject({ status: 401, code: 20003 });
    expect(
      await twilioErrorOf(asKey.iam.v1.getApiKeys.list({ accountSid: ACCOUNT_SID })),
    ).toMatchObject({ status: 401, code: 20003 });
  });

  it("a main key made at start (secret from the running emulator) may manage keys", async () => {
    const [main] = t.emulator.apiKeys;
    expect(main).toMatchObject({ friendlyName: "startup-main", type: "main", policy: null });
    const asMain = t.client({
      authToken: undefined,
      apiKey: main?.sid,
      apiSecret: main?.secret,
    });
    const made = await asMain.iam.v1.newApiKey.create({ accountSid: ACCOUNT_SID });
    expect(made.sid).toMatch(/^SK/);
  });

  it("lists, fetches, renames and deletes keys; a deleted key stops authenticating", async () => {
    const client = t.client();
    const key = await client.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      friendlyName: "short-lived",
      keyType: "restricted",
      policy: { allow: ["/twilio/messaging/messages/read"] },
    });
    expect(key.policy).toEqual({ allow: ["/twilio/messaging/messages/read"] });
    const listed = await client.iam.v1.getApiKeys.list({ accountSid: ACCOUNT_SID });
    const entry = listed.find((k) => k.sid === key.sid);
    expect(entry?.friendlyName).toBe("short-lived");
    expect(entry?.flags).toBeUndefined();
    expect(listed.some((k) => JSON.stringify(k.flags) === '["rest_api","signing"]')).toBe(true);

    const renamed = await client.iam.v1.apiKey(key.sid).update({
      friendlyName: "renamed",
      policy: { allow: ["/twilio/messaging/messages/read", "/twilio/messaging/messages/list"] },
    });
    expect(renamed.friendlyName).toBe("renamed");
    expect(renamed.policy).toEqual({
      allow: ["/twilio/messaging/messages/read", "/twilio/messaging/messages/list"],
    });

    await client.iam.v1.apiKey(key.sid).remove();
    const gone = t.client({
      authToken: undefined,
      apiKey: key.sid,
      apiSecret: key.secret,
      retry: false,
    });
    expect(await twilioErrorOf(gone.messages.list())).toMatchObject({ status: 401, code: 20003 });
    expect(await twilioErrorOf(client.iam.v1.apiKey(key.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it("refuses what Twilio refuses: unknown permissions, empty or oversized policies, long names, other accounts", async () => {
    const client = t.client({ retry: false });
    const create = (options: Record<string, unknown>) =>
      twilioErrorOf(
        client.iam.v1.newApiKey.create({ accountSid: ACCOUNT_SID, ...options } as never),
      );
    expect(
      await create({
        keyType: "restricted",
        policy: { allow: ["/twilio/messaging/message/read"] },
      }),
    ).toMatchObject({
      status: 400,
      code: 70002,
      message: "assertion '/twilio/messaging/message/read' is invalid",
    });
    expect(await create({ keyType: "restricted", policy: { allow: ["nonsense"] } })).toMatchObject({
      code: 70002,
    });
    expect(await create({ keyType: "restricted" })).toMatchObject({ status: 400, code: 70001 });
    expect(await create({ keyType: "restricted", policy: { allow: [] } })).toMatchObject({
      code: 70001,
    });
    const tooMany = Array.from({ length: 101 }, (_, i) => `/twilio/voice/thing-${i}/read`);
    expect(await create({ keyType: "restricted", policy: { allow: tooMany } })).toMatchObject({
      code: 70001,
    });
    expect(await create({ friendlyName: "x".repeat(65) })).toMatchObject({ code: 70001 });
    expect(await create({ policy: { allow: ["/twilio/messaging/messages/read"] } })).toMatchObject({
      code: 70001,
    });
    expect(
      await twilioErrorOf(client.iam.v1.newApiKey.create({ accountSid: OTHER_ACCOUNT })),
    ).toMatchObject({ status: 401, code: 20003 });
    const noAccount = await t.raw("GET", "/v1/Keys");
    expect(noAccount).toMatchObject({ status: 400, body: { code: 20001 } });
    // A permission of a product the emulator does not model is taken on its form.
    const voice = await client.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      keyType: "restricted",
      policy: { allow: ["/twilio/voice/calls/read"] },
    });
    expect(voice.policy).toEqual({ allow: ["/twilio/voice/calls/read"] });
  });
});

describe("a restricted key is held to its policy, as Twilio holds it", () => {
  const t = useEmulator({
    apiKeys: [{ friendlyName: "plan", type: "restricted", policy: READ_ONLY }],
  });

  function readOnlyClient() {
    const [key] = t.emulator.apiKeys;
    return t.client({
      authToken: undefined,
      apiKey: key?.sid,
      apiSecret: key?.secret,
      retry: false,
    });
  }

  it("a read-only key lists and fetches numbers, services, pools and messages", async () => {
    const owner = t.client();
    const number = await owner.incomingPhoneNumbers.create({ areaCode: "514" });
    const service = await owner.messaging.v1.services.create({ friendlyName: "acct-1" });
    await owner.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    const message = await owner.messages.create({
      from: number.phoneNumber,
      to: "+14165550100",
      body: "hello",
    });

    const reader = readOnlyClient();
    expect((await reader.incomingPhoneNumbers.list()).map((n) => n.sid)).toContain(number.sid);
    expect((await reader.incomingPhoneNumbers(number.sid).fetch()).phoneNumber).toBe(
      number.phoneNumber,
    );
    expect((await reader.messaging.v1.services.list()).map((s) => s.sid)).toContain(service.sid);
    expect((await reader.messaging.v1.services(service.sid).fetch()).friendlyName).toBe("acct-1");
    expect(
      (await reader.messaging.v1.services(service.sid).phoneNumbers.list()).map((p) => p.sid),
    ).toEqual([number.sid]);
    expect((await reader.messages.list()).map((m) => m.sid)).toContain(message.sid);
    expect((await reader.messages(message.sid).fetch()).body).toBe("hello");
  });

  it("every create, update and delete is refused with 70051 (401), naming the permission, and changes nothing", async () => {
    const owner = t.client();
    const number = await owner.incomingPhoneNumbers.create({ areaCode: "438" });
    const service = await owner.messaging.v1.services.create({ friendlyName: "acct-2" });
    const before = structuredClone(t.emulator.state.snapshot());
    const reader = readOnlyClient();

    const refusals = await Promise.all([
      twilioErrorOf(reader.incomingPhoneNumbers.create({ areaCode: "514" })),
      twilioErrorOf(reader.incomingPhoneNumbers(number.sid).update({ smsUrl: "https://x.test/s" })),
      twilioErrorOf(reader.incomingPhoneNumbers(number.sid).remove()),
      twilioErrorOf(reader.messaging.v1.services.create({ friendlyName: "nope" })),
      twilioErrorOf(reader.messaging.v1.services(service.sid).update({ friendlyName: "nope" })),
      twilioErrorOf(reader.messaging.v1.services(service.sid).remove()),
      twilioErrorOf(
        reader.messaging.v1
          .services(service.sid)
          .phoneNumbers.create({ phoneNumberSid: number.sid }),
      ),
      twilioErrorOf(
        reader.messages.create({ from: number.phoneNumber, to: "+14165550101", body: "x" }),
      ),
      twilioErrorOf(reader.availablePhoneNumbers("CA").local.list({ areaCode: 514 })),
    ]);
    expect(refusals.map((r) => [r.status, r.code])).toEqual(refusals.map(() => [401, 70051]));
    expect(refusals[0]?.message).toBe(
      "Authorization Error: required permission twilio/phone-numbers/active-numbers/create is missing",
    );
    expect(refusals[7]?.message).toBe(
      "Authorization Error: required permission twilio/messaging/messages/create is missing",
    );
    expect(t.emulator.state.snapshot()).toEqual(before);
    const refused = t.exchanges.filter((e) => e.status === 401);
    expect(
      refused.every((e) => e.auth === "api-key" && e.apiKeySid === t.emulator.apiKeys[0]?.sid),
    ).toBe(true);
    expect(JSON.stringify(t.exchanges)).not.toContain(t.emulator.apiKeys[0]?.secret ?? "!");
  });

  it("read and list are separate permissions; {resource}/* grants every action", async () => {
    const owner = t.client();
    const onlyRead = await owner.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      keyType: "restricted",
      policy: { allow: ["/twilio/messaging/messages/read"] },
    });
    const reader = t.client({
      authToken: undefined,
      apiKey: onlyRead.sid,
      apiSecret: onlyRead.secret,
      retry: false,
    });
    expect(await twilioErrorOf(reader.messages.list())).toMatchObject({
      status: 401,
      code: 70051,
      message: "Authorization Error: required permission twilio/messaging/messages/list is missing",
    });
    const everything = await owner.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      keyType: "restricted",
      policy: { allow: ["/twilio/messaging/services/*"] },
    });
    const writer = t.client({
      authToken: undefined,
      apiKey: everything.sid,
      apiSecret: everything.secret,
    });
    const service = await writer.messaging.v1.services.create({ friendlyName: "by wildcard" });
    await writer.messaging.v1.services(service.sid).remove();
  });

  it("the admin API makes keys of any type and lists them without secrets", async () => {
    const made = await t.raw("POST", "/__emulator/api-keys", {
      auth: null,
      body: JSON.stringify({
        friendlyName: "deployer",
        type: "restricted",
        policy: ["/twilio/messaging/services/*"],
      }),
    });
    expect(made.status).toBe(201);
    const body = made.body as { sid: string; secret: string; type: string };
    expect(body).toMatchObject({ type: "restricted", friendly_name: "deployer" });
    expect(body.secret).toMatch(/^[0-9A-Za-z]{32}$/);
    const listed = await t.raw("GET", "/__emulator/api-keys", { auth: null });
    expect(JSON.stringify(listed.body)).toContain(body.sid);
    expect(JSON.stringify(listed.body)).not.toContain(body.secret);
    const bad = await t.raw("POST", "/__emulator/api-keys", {
      auth: null,
      body: JSON.stringify({ type: "restricted" }),
    });
    expect(bad.status).toBe(400);
  });

  it("the state keeps a salted hash of each secret, never the secret", () => {
    const snapshot = JSON.stringify(t.emulator.state.snapshot());
    for (const key of t.emulator.apiKeys) expect(snapshot).not.toContain(key.secret);
    expect(snapshot).not.toContain(AUTH_TOKEN);
  });
});

describe("the permission table", () => {
  it("names a permission for every operation the emulator serves, and nothing else", () => {
    const served = ROUTES.flatMap((r) => Object.values(r.operations).map((o) => o.operationId));
    expect(served.filter((id) => OPERATION_PERMISSIONS[id] === undefined)).toEqual([]);
    expect(Object.keys(OPERATION_PERMISSIONS).filter((id) => !served.includes(id))).toEqual([]);
  });
});

describe("npm run emulator -- --api-key", () => {
  it("reads SK…:secret as a standard key and NAME:TYPE[:permissions] as one to make", () => {
    const sid = `SK${"ab".repeat(16)}`;
    expect(parseApiKey(`${sid}:s3cret:with:colons`)).toEqual({ sid, secret: "s3cret:with:colons" });
    expect(parseApiKey("deploy:main")).toEqual({ friendlyName: "deploy", type: "main" });
    expect(
      parseApiKey(
        "plan:restricted:/twilio/messaging/messages/read,/twilio/messaging/messages/list",
      ),
    ).toEqual({
      friendlyName: "plan",
      type: "restricted",
      policy: ["/twilio/messaging/messages/read", "/twilio/messaging/messages/list"],
    });
    expect(() => parseApiKey("plan:restricted")).toThrow(/needs its permissions/);
    expect(() => parseApiKey("plan:restricted:/twilio/messaging/message/read")).toThrow(
      "--api-key plan: assertion '/twilio/messaging/message/read' is invalid",
    );
    expect(() => parseApiKey("plan:admin")).toThrow(/TYPE is main, standard or restricted/);
    expect(() => parseApiKey("plan:standard:/twilio/messaging/messages/read")).toThrow(
      /only it has them/,
    );
  });

  it("shows a made key's secret only when asked", () => {
    const key = {
      sid: `SK${"cd".repeat(16)}`,
      secret: "TopSecretValue000000000000000000",
      friendlyName: "plan",
      type: "restricted" as const,
      policy: { allow: ["/twilio/messaging/messages/read"] },
    };
    expect(describeStartupKeys([key], false).join("\n")).not.toContain(key.secret);
    expect(describeStartupKeys([key], false)).toEqual([
      `[emulator] API key plan (restricted): ${key.sid}`,
    ]);
    expect(describeStartupKeys([key], true).join("\n")).toContain(key.secret);
  });
});

describe("docs/emulator.md", () => {
  it("shows the permission of every served operation as the table in permissions.ts has it", () => {
    // Table cells are padded by the formatter: compare with runs of spaces collapsed.
    const docs = readFileSync(join(__dirname, "..", "..", "docs", "emulator.md"), "utf8").replace(
      / +/g,
      " ",
    );
    const served = ROUTES.flatMap((r) => Object.values(r.operations).map((o) => o.operationId));
    const missing = served.filter((id) => {
      const entry = OPERATION_PERMISSIONS[id];
      return !entry || !docs.includes(`| ${id} | \`${entry.permission}\` | ${entry.source} |`);
    });
    expect(missing).toEqual([]);
  });
});
