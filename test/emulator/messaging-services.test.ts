import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVICE_SETTINGS } from "../../src/emulator/models/messaging-services";
import { twilioErrorOf, useEmulator } from "./helpers";

/** Parameters of CreateServiceRequest in the official spec that ships with @twilio/cli-core. */
function specCreateServiceParams(): string[] {
  const file = require.resolve("@twilio/cli-core/src/services/twilio-api/twilio_messaging_v1.json");
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const schema =
    spec.paths["/v1/Services"].post.requestBody.content["application/x-www-form-urlencoded"].schema;
  return Object.keys(schema.properties).sort();
}

describe("Messaging Services and their sender pools through the twilio SDK", () => {
  const t = useEmulator({
    seedPhoneNumbers: [
      {
        phoneNumber: "+12125550150",
        friendlyName: "voice only",
        capabilities: { sms: false, mms: false },
      },
    ],
  });

  it("a service created with only FriendlyName gets Twilio's defaults", async () => {
    const service = await t.client().messaging.v1.services.create({ friendlyName: "acct-1" });
    expect(service.sid).toMatch(/^MG[0-9a-f]{32}$/);
    expect(service).toMatchObject({
      accountSid: t.emulator.accountSid,
      friendlyName: "acct-1",
      inboundRequestUrl: null,
      inboundMethod: "POST",
      fallbackUrl: null,
      fallbackMethod: "POST",
      statusCallback: null,
      stickySender: true,
      mmsConverter: true,
      smartEncoding: true,
      scanMessageContent: "inherit",
      fallbackToLongCode: true,
      areaCodeGeomatch: true,
      validityPeriod: 36000,
      synchronousValidation: true,
      usecase: "undeclared",
      usAppToPersonRegistered: false,
      useInboundWebhookOnNumber: false,
      url: `https://messaging.twilio.com/v1/Services/${service.sid}`,
    });
    expect(service.links.phone_numbers).toBe(
      `https://messaging.twilio.com/v1/Services/${service.sid}/PhoneNumbers`,
    );
    expect(service.dateCreated).toBeInstanceOf(Date);
  });

  it("the emulator accepts exactly the settings of the spec's CreateServiceRequest", () => {
    const accepted = ["FriendlyName", ...SERVICE_SETTINGS.map((s) => s.param)].sort();
    expect(accepted).toEqual(specCreateServiceParams());
  });

  it("every setting is echoed on create and changed in place on update", async () => {
    const client = t.client();
    const settings = {
      friendlyName: "acct-2",
      inboundRequestUrl: "https://hooks.example.com/inbound",
      inboundMethod: "GET",
      fallbackUrl: "https://hooks.example.com/fallback",
      fallbackMethod: "GET",
      statusCallback: "https://hooks.example.com/status",
      stickySender: false,
      mmsConverter: false,
      smartEncoding: false,
      scanMessageContent: "disable",
      fallbackToLongCode: false,
      areaCodeGeomatch: false,
      validityPeriod: 600,
      synchronousValidation: false,
      usecase: "notifications",
      useInboundWebhookOnNumber: true,
    } as const;
    const service = await client.messaging.v1.services.create(settings);
    expect(service).toMatchObject(settings);
    const updated = await client.messaging.v1.services(service.sid).update({
      friendlyName: "acct-2 renamed",
      validityPeriod: 36000,
      stickySender: true,
      inboundRequestUrl: "",
      usecase: "marketing",
    });
    expect(updated).toMatchObject({
      ...settings,
      sid: service.sid,
      friendlyName: "acct-2 renamed",
      validityPeriod: 36000,
      stickySender: true,
      inboundRequestUrl: null,
      usecase: "marketing",
    });
    expect(await client.messaging.v1.services(service.sid).fetch()).toMatchObject({
      friendlyName: "acct-2 renamed",
    });
  });

  it("FriendlyName is required (400, code 20001)", async () => {
    expect(
      await twilioErrorOf(t.client().messaging.v1.services.create({ friendlyName: "" })),
    ).toMatchObject({
      status: 400,
      code: 20001,
    });
    const raw = await t.raw("POST", "/v1/Services", { form: { StickySender: "true" } });
    expect(raw).toMatchObject({
      status: 400,
      body: {
        code: 20001,
        message: "Missing required parameter FriendlyName in the post body",
        more_info: "https://www.twilio.com/docs/errors/20001",
        status: 400,
      },
    });
  });

  it("out-of-range settings are rejected with Twilio's codes and create nothing", async () => {
    const services = t.client().messaging.v1.services;
    const before = (await services.list()).length;
    for (const validityPeriod of [0, 36001]) {
      expect(
        await twilioErrorOf(services.create({ friendlyName: "bad", validityPeriod })),
      ).toMatchObject({
        status: 400,
        code: 21624,
      });
    }
    expect(
      await twilioErrorOf(services.create({ friendlyName: "bad", usecase: "spam" })),
    ).toMatchObject({ code: 21713 });
    const notBoolean = await t.raw("POST", "/v1/Services", {
      form: { FriendlyName: "bad", StickySender: "maybe" },
    });
    expect(notBoolean).toMatchObject({ status: 400, body: { code: 20001 } });
    const scan = services.create({
      friendlyName: "bad",
      scanMessageContent: "sometimes" as "inherit",
    });
    expect(await twilioErrorOf(scan)).toMatchObject({ code: 20001 });
    expect(await twilioErrorOf(services.create({ friendlyName: "x".repeat(65) }))).toMatchObject({
      code: 20001,
    });
    expect((await services.list()).length).toBe(before);
  });

  it("the SDK's auto-paging walks every page of services", async () => {
    const services = t.client().messaging.v1.services;
    for (let i = 0; i < 5; i++) await services.create({ friendlyName: `paged-${i}` });
    const all = await services.list();
    const before = t.exchanges.length;
    const paged = await services.list({ pageSize: 2 });
    expect(paged.map((s) => s.sid)).toEqual(all.map((s) => s.sid));
    const calls = t.exchanges.slice(before);
    expect(calls).toHaveLength(Math.ceil(all.length / 2));
    const first = calls[0]?.responseBody as { meta: Record<string, unknown> } | undefined;
    const meta = first?.meta ?? {};
    expect(meta).toMatchObject({ page: 0, page_size: 2, key: "services", previous_page_url: null });
    expect(meta.next_page_url).toMatch(
      /^https:\/\/messaging\.twilio\.com\/v1\/Services\?PageSize=2&Page=1&PageToken=PA\d+$/,
    );
  });

  it("deleting a service answers 204 and the service is gone (20404)", async () => {
    const client = t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "short-lived" });
    expect(await client.messaging.v1.services(service.sid).remove()).toBe(true);
    expect(await twilioErrorOf(client.messaging.v1.services(service.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
    expect(
      await twilioErrorOf(client.messaging.v1.services(service.sid).update({ friendlyName: "x" })),
    ).toMatchObject({
      code: 20404,
    });
  });

  it("a number is added to a service's pool, listed, fetched and removed", async () => {
    const client = t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "pool" });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    const added = await client.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(added).toMatchObject({
      sid: number.sid,
      accountSid: t.emulator.accountSid,
      serviceSid: service.sid,
      phoneNumber: number.phoneNumber,
      countryCode: "CA",
      capabilities: ["MMS", "SMS", "Voice"],
      url: `https://messaging.twilio.com/v1/Services/${service.sid}/PhoneNumbers/${number.sid}`,
    });
    const pool = client.messaging.v1.services(service.sid).phoneNumbers;
    expect((await pool.list()).map((p) => p.sid)).toEqual([number.sid]);
    expect((await pool(number.sid).fetch()).phoneNumber).toBe(number.phoneNumber);
    expect(await pool(number.sid).remove()).toBe(true);
    expect(await pool.list()).toEqual([]);
    expect(await twilioErrorOf(pool(number.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
    expect((await client.incomingPhoneNumbers(number.sid).fetch()).sid).toBe(number.sid);
  });

  it("a number belongs to at most one service: 21710 in the same service, 21712 in another", async () => {
    const client = t.client();
    const [a, b] = await Promise.all([
      client.messaging.v1.services.create({ friendlyName: "a" }),
      client.messaging.v1.services.create({ friendlyName: "b" }),
    ]);
    const number = await client.incomingPhoneNumbers.create({ areaCode: "416" });
    await client.messaging.v1.services(a.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
    const again = client.messaging.v1
      .services(a.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(await twilioErrorOf(again)).toMatchObject({ status: 400, code: 21710 });
    const elsewhere = client.messaging.v1
      .services(b.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(await twilioErrorOf(elsewhere)).toMatchObject({ status: 400, code: 21712 });
    expect(await client.messaging.v1.services(b.sid).phoneNumbers.list()).toEqual([]);
  });

  it("an unknown or malformed PhoneNumberSid is 21421, an unknown service 20404, a voice-only number 21715", async () => {
    const client = t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "strict" });
    const pool = client.messaging.v1.services(service.sid).phoneNumbers;
    expect(
      await twilioErrorOf(pool.create({ phoneNumberSid: `PN${"0".repeat(32)}` })),
    ).toMatchObject({ code: 21421 });
    expect(await twilioErrorOf(pool.create({ phoneNumberSid: "PN123" }))).toMatchObject({
      status: 400,
      code: 21421,
    });
    const missing = await t.raw("POST", `/v1/Services/${service.sid}/PhoneNumbers`, { form: {} });
    expect(missing).toMatchObject({ status: 400, body: { code: 20001 } });
    const unknownService = client.messaging.v1.services(`MG${"0".repeat(32)}`).phoneNumbers.list();
    expect(await twilioErrorOf(unknownService)).toMatchObject({ status: 404, code: 20404 });
    const [voiceOnly] = await client.incomingPhoneNumbers.list({ friendlyName: "voice only" });
    expect(
      await twilioErrorOf(pool.create({ phoneNumberSid: voiceOnly?.sid ?? "" })),
    ).toMatchObject({ code: 21715 });
  });

  it("deleting a service frees its numbers for another service", async () => {
    const client = t.client();
    const first = await client.messaging.v1.services.create({ friendlyName: "first" });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "604" });
    await client.messaging.v1
      .services(first.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    await client.messaging.v1.services(first.sid).remove();
    const second = await client.messaging.v1.services.create({ friendlyName: "second" });
    const moved = await client.messaging.v1
      .services(second.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    expect(moved.serviceSid).toBe(second.sid);
  });

  it("releasing a number takes it out of its service's pool", async () => {
    const client = t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "release" });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    await client.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    await client.incomingPhoneNumbers(number.sid).remove();
    expect(await client.messaging.v1.services(service.sid).phoneNumbers.list()).toEqual([]);
    expect(t.emulator.state.messagingServices.serviceOf(number.sid)).toBeUndefined();
  });
});
