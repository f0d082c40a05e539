import { describe, expect, it } from "vitest";
import { twilioErrorOf, useEmulator } from "./helpers";

describe("AvailablePhoneNumbers and IncomingPhoneNumbers through the twilio SDK", () => {
  const t = useEmulator({
    seedPhoneNumbers: [
      {
        phoneNumber: "+14165550100",
        friendlyName: "legacy line",
        params: { SmsUrl: "https://old.example.com/sms" },
      },
    ],
  });

  it("searching an area code offers its deterministic numbers, formatted like Twilio", async () => {
    const found = await t
      .client()
      .availablePhoneNumbers("CA")
      .local.list({ areaCode: 514, limit: 3 });
    expect(found.map((n) => n.phoneNumber)).toEqual([
      "+15145550100",
      "+15145550101",
      "+15145550102",
    ]);
    expect(found[0]).toMatchObject({
      friendlyName: "(514) 555-0100",
      locality: "Montreal",
      region: "QC",
      isoCountry: "CA",
      capabilities: { voice: true, sms: true, mms: true, fax: false },
    });
  });

  it("search honours Contains and capability filters, and a US search offers no Canadian area code", async () => {
    const local = t.client().availablePhoneNumbers("US").local;
    const contains = await local.list({ areaCode: 212, contains: "5550105" });
    expect(contains.map((n) => n.phoneNumber)).toEqual(["+12125550105"]);
    const smsVoice = await local.list({
      areaCode: 212,
      smsEnabled: true,
      voiceEnabled: true,
      limit: 50,
    });
    expect(smsVoice).toHaveLength(20);
    expect(await local.list({ areaCode: 212, faxEnabled: true })).toEqual([]);
    expect(await local.list({ areaCode: 514 })).toEqual([]);
  });

  it("buying a specific available number takes it out of the inventory", async () => {
    const client = t.client();
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: "+12125550103" });
    expect(bought.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(bought).toMatchObject({
      accountSid: t.emulator.accountSid,
      phoneNumber: "+12125550103",
      friendlyName: "(212) 555-0103",
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      smsMethod: "POST",
      smsUrl: null,
      status: "in-use",
    });
    expect(bought.dateCreated).toBeInstanceOf(Date);
    const offered = await client
      .availablePhoneNumbers("US")
      .local.list({ areaCode: 212, limit: 50 });
    expect(offered.map((n) => n.phoneNumber)).not.toContain("+12125550103");
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers.create({ phoneNumber: "+12125550103" })),
    ).toMatchObject({
      status: 400,
      code: 21422,
    });
  });

  it("buying by area code picks the first number still for sale", async () => {
    const client = t.client();
    const first = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    const second = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    expect([first.phoneNumber, second.phoneNumber]).toEqual(["+12065550100", "+12065550101"]);
  });

  it("an area code runs out after its 20 numbers: search is empty and buying there is error 21452", async () => {
    const client = t.client();
    for (let i = 0; i < 20; i++) await client.incomingPhoneNumbers.create({ areaCode: "617" });
    expect(await client.availablePhoneNumbers("US").local.list({ areaCode: 617 })).toEqual([]);
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers.create({ areaCode: "617" })),
    ).toMatchObject({
      status: 400,
      code: 21452,
      message: "No phone numbers found in area code 617",
    });
  });

  it("invalid purchases are rejected with Twilio's codes and buy nothing", async () => {
    const numbers = t.client().incomingPhoneNumbers;
    const before = (await numbers.list()).length;
    expect(await twilioErrorOf(numbers.create({ phoneNumber: "5125550100" }))).toMatchObject({
      status: 400,
      code: 21421,
    });
    expect(await twilioErrorOf(numbers.create({ areaCode: "123" }))).toMatchObject({
      status: 400,
      code: 21451,
    });
    expect(
      await twilioErrorOf(numbers.create({ areaCode: "512", smsUrl: "not a url" })),
    ).toMatchObject({
      status: 400,
      code: 21402,
    });
    const badMethod = numbers.create({ areaCode: "512", smsMethod: "PUT" as "POST" });
    expect(await twilioErrorOf(badMethod)).toMatchObject({ status: 400, code: 21403 });
    expect(await twilioErrorOf(numbers.create({}))).toMatchObject({ status: 400, code: 20001 });
    expect((await numbers.list()).length).toBe(before);
    const stillForSale = await t
      .client()
      .availablePhoneNumbers("US")
      .local.list({ areaCode: 512, limit: 1 });
    expect(stillForSale[0]?.phoneNumber).toBe("+15125550100");
  });

  it("webhook settings given at purchase are echoed, and update changes them in place", async () => {
    const client = t.client();
    const bought = await client.incomingPhoneNumbers.create({
      areaCode: "312",
      friendlyName: "acct-42 main",
      smsUrl: "https://hooks.example.com/sms",
      smsMethod: "GET",
      voiceUrl: "https://hooks.example.com/voice",
      voiceMethod: "GET",
      statusCallback: "https://hooks.example.com/status",
    });
    expect(bought).toMatchObject({
      friendlyName: "acct-42 main",
      smsUrl: "https://hooks.example.com/sms",
      smsMethod: "GET",
      voiceUrl: "https://hooks.example.com/voice",
      voiceMethod: "GET",
      statusCallback: "https://hooks.example.com/status",
      statusCallbackMethod: "POST",
    });
    const updated = await client.incomingPhoneNumbers(bought.sid).update({
      friendlyName: "acct-42 renamed",
      smsUrl: "https://hooks.example.com/sms2",
      smsMethod: "POST",
      smsFallbackUrl: "https://hooks.example.com/sms-fallback",
      voiceFallbackUrl: "https://hooks.example.com/voice-fallback",
      statusCallbackMethod: "GET",
    });
    expect(updated).toMatchObject({
      sid: bought.sid,
      phoneNumber: bought.phoneNumber,
      friendlyName: "acct-42 renamed",
      smsUrl: "https://hooks.example.com/sms2",
      smsMethod: "POST",
      smsFallbackUrl: "https://hooks.example.com/sms-fallback",
      voiceFallbackUrl: "https://hooks.example.com/voice-fallback",
      voiceUrl: "https://hooks.example.com/voice",
      statusCallbackMethod: "GET",
    });
    const cleared = await client.incomingPhoneNumbers(bought.sid).update({ smsUrl: "" });
    expect(cleared.smsUrl).toBeNull();
    const fetched = await client.incomingPhoneNumbers(bought.sid).fetch();
    expect(fetched).toMatchObject({
      friendlyName: "acct-42 renamed",
      smsUrl: null,
      voiceUrl: "https://hooks.example.com/voice",
    });
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers(bought.sid).update({ voiceUrl: "ftp://x" })),
    ).toMatchObject({
      code: 21402,
    });
  });

  it("listing filters by exact PhoneNumber and by FriendlyName", async () => {
    const client = t.client();
    const a = await client.incomingPhoneNumbers.create({
      areaCode: "415",
      friendlyName: "filter-me",
    });
    await client.incomingPhoneNumbers.create({ areaCode: "415", friendlyName: "not-me" });
    const byNumber = await client.incomingPhoneNumbers.list({ phoneNumber: a.phoneNumber });
    expect(byNumber.map((n) => n.sid)).toEqual([a.sid]);
    const byName = await client.incomingPhoneNumbers.list({ friendlyName: "filter-me" });
    expect(byName.map((n) => n.sid)).toEqual([a.sid]);
    expect(await client.incomingPhoneNumbers.list({ friendlyName: "nobody" })).toEqual([]);
  });

  it("the SDK's auto-paging follows next_page_uri across every page", async () => {
    const client = t.client();
    const all = await client.incomingPhoneNumbers.list();
    const before = t.exchanges.length;
    const paged = await client.incomingPhoneNumbers.list({ pageSize: 3 });
    expect(paged.map((n) => n.sid)).toEqual(all.map((n) => n.sid));
    expect(all.length).toBeGreaterThan(9);
    const pageCalls = t.exchanges.slice(before);
    expect(pageCalls).toHaveLength(Math.ceil(all.length / 3));
    expect(pageCalls[1]?.query).toMatchObject({ PageSize: "3", Page: "1" });
    expect(pageCalls[1]?.query.PageToken).toMatch(/^PA\d+$/);
    const seen: string[] = [];
    await client.incomingPhoneNumbers.each({ pageSize: 4, limit: 6 }, (n) => {
      seen.push(n.sid);
    });
    expect(seen).toEqual(all.slice(0, 6).map((n) => n.sid));
    const page = await client.incomingPhoneNumbers.page({ pageSize: 2 });
    const next = await page.nextPage();
    expect(next?.instances.map((n) => n.sid)).toEqual(all.slice(2, 4).map((n) => n.sid));
    const previous = await next?.previousPage();
    expect(previous?.instances.map((n) => n.sid)).toEqual(all.slice(0, 2).map((n) => n.sid));
  });

  it("releasing a number answers 204, removes it for good, and it cannot be bought back", async () => {
    const client = t.client();
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: "+16045550107" });
    expect(await client.incomingPhoneNumbers(bought.sid).remove()).toBe(true);
    const release = t.exchanges.at(-1);
    expect(release).toMatchObject({ method: "DELETE", status: 204, responseBody: null });
    expect(await twilioErrorOf(client.incomingPhoneNumbers(bought.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
    const offered = await client
      .availablePhoneNumbers("CA")
      .local.list({ areaCode: 604, limit: 50 });
    expect(offered.map((n) => n.phoneNumber)).not.toContain("+16045550107");
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers.create({ phoneNumber: "+16045550107" })),
    ).toMatchObject({
      code: 21422,
      message: "+16045550107 is not available",
    });
  });

  it("an unknown SID is 404 with code 20404 for fetch, update and release", async () => {
    const client = t.client();
    const unknown = `PN${"0".repeat(32)}`;
    const notFound = { status: 404, code: 20404 };
    expect(await twilioErrorOf(client.incomingPhoneNumbers(unknown).fetch())).toMatchObject(
      notFound,
    );
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers(unknown).update({ friendlyName: "x" })),
    ).toMatchObject(notFound);
    expect(await twilioErrorOf(client.incomingPhoneNumbers(unknown).remove())).toMatchObject(
      notFound,
    );
    const error = await twilioErrorOf(client.incomingPhoneNumbers(unknown).fetch());
    expect(error.message).toBe(
      `The requested resource ${t.accountPath}/IncomingPhoneNumbers/${unknown}.json was not found`,
    );
  });

  it("seeded numbers already exist in the account, keep their settings, and are not for sale", async () => {
    const client = t.client();
    const [legacy] = await client.incomingPhoneNumbers.list({ phoneNumber: "+14165550100" });
    expect(legacy).toMatchObject({
      friendlyName: "legacy line",
      smsUrl: "https://old.example.com/sms",
    });
    const seeded = await t.raw("POST", "/__emulator/incoming-phone-numbers", {
      body: JSON.stringify({ phoneNumber: "+13125550119", friendlyName: "adopt me" }),
    });
    expect(seeded.status).toBe(201);
    const [adopted] = await client.incomingPhoneNumbers.list({ friendlyName: "adopt me" });
    expect(adopted?.sid).toBe((seeded.body as { sid: string }).sid);
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers.create({ phoneNumber: "+13125550119" })),
    ).toMatchObject({
      code: 21422,
    });
    const direct = t.emulator.state.phoneNumbers.seed({ phoneNumber: "+447700900123" });
    expect((await client.incomingPhoneNumbers(direct.sid).fetch()).friendlyName).toBe(
      "+447700900123",
    );
  });
});
