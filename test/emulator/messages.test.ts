import { describe, expect, it } from "vitest";
import { countSegments } from "../../src/sms/segments";
import { twilioErrorOf, useEmulator } from "./helpers";

describe("Messages through the twilio SDK", () => {
  const t = useEmulator();

  /**
   * A service whose pool holds numbers bought in the given area codes. It has a VERIFIED US A2P
   * campaign (admin shortcut), so its US numbers' messages to US numbers are not blocked (30034):
   * these tests are about sender choice and encoding, not registration (a2p-10dlc.test.ts).
   */
  async function serviceWithPool(
    areaCodes: string[],
    settings: { areaCodeGeomatch?: boolean; stickySender?: boolean } = {},
  ) {
    const client = t.client();
    const service = await client.messaging.v1.services.create({
      friendlyName: `pool ${areaCodes.join("+")}`,
      ...settings,
    });
    const verified = await t.raw(
      "POST",
      `/__emulator/messaging-services/${service.sid}/verified-campaign`,
      { auth: null },
    );
    expect(verified.status).toBe(201);
    const numbers = [];
    for (const areaCode of areaCodes) {
      const number = await client.incomingPhoneNumbers.create({ areaCode });
      await client.messaging.v1
        .services(service.sid)
        .phoneNumbers.create({ phoneNumberSid: number.sid });
      numbers.push(number);
    }
    return { service, numbers };
  }

  it("a message sent through a service is accepted, then shows the sender Twilio picked", async () => {
    const client = t.client();
    const { service, numbers } = await serviceWithPool(["514"]);
    const sent = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+15145559876",
      body: "Hello",
    });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent).toMatchObject({
      status: "accepted",
      from: null,
      to: "+15145559876",
      body: "Hello",
      messagingServiceSid: service.sid,
      direction: "outbound-api",
      numSegments: "1",
      numMedia: "0",
      errorCode: null,
      accountSid: t.emulator.accountSid,
    });
    const fetched = await client.messages(sent.sid).fetch();
    expect(fetched).toMatchObject({ status: "queued", from: numbers[0]?.phoneNumber });
    expect(fetched.dateSent).toBeInstanceOf(Date);
  });

  it("sticky sender keeps a recipient's sender while that number stays in the pool", async () => {
    const client = t.client();
    const { service, numbers } = await serviceWithPool(["212", "206"], { areaCodeGeomatch: false });
    const send = async (to: string) => {
      const sent = await client.messages.create({
        messagingServiceSid: service.sid,
        to,
        body: "hi",
      });
      return (await client.messages(sent.sid).fetch()).from;
    };
    const alice = "+15125550001";
    const bob = "+15125550002";
    const aliceSender = await send(alice);
    const bobSender = await send(bob);
    expect(new Set([aliceSender, bobSender])).toEqual(new Set(numbers.map((n) => n.phoneNumber)));
    expect(await send(alice)).toBe(aliceSender);
    expect(await send(bob)).toBe(bobSender);
    const aliceNumber = numbers.find((n) => n.phoneNumber === aliceSender);
    await client.messaging.v1
      .services(service.sid)
      .phoneNumbers(aliceNumber?.sid ?? "")
      .remove();
    expect(await send(alice)).toBe(bobSender);
  });

  it("without sticky sender, area code geomatch picks a sender in the recipient's area code", async () => {
    const client = t.client();
    const { service } = await serviceWithPool(["415", "312"], { stickySender: false });
    for (const [to, expected] of [
      ["+13125551111", /^\+1312/],
      ["+14155551111", /^\+1415/],
      ["+13125552222", /^\+1312/],
    ] as const) {
      const sent = await client.messages.create({
        messagingServiceSid: service.sid,
        to,
        body: "near you",
      });
      expect((await client.messages(sent.sid).fetch()).from).toMatch(expected);
    }
  });

  it("a service with no numbers cannot send (21704), an unknown one is 21701, a malformed one 21705", async () => {
    const client = t.client();
    const empty = await client.messaging.v1.services.create({ friendlyName: "empty" });
    const send = (messagingServiceSid: string) =>
      client.messages.create({ messagingServiceSid, to: "+15145550000", body: "x" });
    expect(await twilioErrorOf(send(empty.sid))).toMatchObject({ status: 400, code: 21704 });
    expect(await twilioErrorOf(send(`MG${"0".repeat(32)}`))).toMatchObject({
      status: 400,
      code: 21701,
    });
    expect(await twilioErrorOf(send("MG123"))).toMatchObject({ status: 400, code: 21705 });
  });

  it("From must be a number the account owns (21606) and is used as given", async () => {
    const client = t.client();
    const own = await client.incomingPhoneNumbers.create({ areaCode: "617" });
    const sent = await client.messages.create({
      from: own.phoneNumber,
      to: "+16175550199",
      body: "direct",
    });
    expect(sent).toMatchObject({
      status: "queued",
      from: own.phoneNumber,
      messagingServiceSid: null,
    });
    const stranger = client.messages.create({
      from: "+16175550198",
      to: "+16175550199",
      body: "spoof",
    });
    expect(await twilioErrorOf(stranger)).toMatchObject({ status: 400, code: 21606 });
    const self = client.messages.create({ from: own.phoneNumber, to: own.phoneNumber, body: "me" });
    expect(await twilioErrorOf(self)).toMatchObject({ status: 400, code: 21266 });
  });

  it("invalid sends are rejected with Twilio's codes: To 21211/21604, Body 21602/21617, sender 21603", async () => {
    const client = t.client();
    const own = await client.incomingPhoneNumbers.create({ areaCode: "416" });
    const from = own.phoneNumber;
    expect(
      await twilioErrorOf(client.messages.create({ from, to: "4165550100", body: "x" })),
    ).toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number 4165550100 is not a valid phone number.",
    });
    expect(await twilioErrorOf(client.messages.create({ from, to: "+14165550111" }))).toMatchObject(
      { code: 21602 },
    );
    expect(
      await twilioErrorOf(
        client.messages.create({ from, to: "+14165550111", body: "x".repeat(1601) }),
      ),
    ).toMatchObject({
      code: 21617,
    });
    expect(
      await twilioErrorOf(client.messages.create({ to: "+14165550111", body: "x" })),
    ).toMatchObject({ code: 21603 });
    const noTo = await t.raw("POST", `${t.accountPath}/Messages.json`, {
      form: { From: from, Body: "x" },
    });
    expect(noTo).toMatchObject({ status: 400, body: { code: 21604 } });
    const exactly1600 = await client.messages.create({
      from,
      to: "+14165550111",
      body: "y".repeat(1600),
    });
    expect(exactly1600.numSegments).toBe(String(Math.ceil(1600 / 153)));
  });

  it("num_segments follows GSM-7 and UCS-2 segmentation", async () => {
    const client = t.client();
    const own = await client.incomingPhoneNumbers.create({ areaCode: "415" });
    const segmentsOf = async (body: string) =>
      (await client.messages.create({ from: own.phoneNumber, to: "+14155550123", body }))
        .numSegments;
    expect(await segmentsOf("a".repeat(160))).toBe("1");
    expect(await segmentsOf("a".repeat(161))).toBe("2");
    expect(await segmentsOf("€".repeat(80))).toBe("1");
    expect(await segmentsOf("€".repeat(81))).toBe("2");
    expect(await segmentsOf("ж".repeat(70))).toBe("1");
    expect(await segmentsOf("ж".repeat(71))).toBe("2");
    expect(await segmentsOf("Hi 👋")).toBe("1");
  });

  it("segment counting handles part boundaries, extension characters and surrogate pairs", () => {
    expect(countSegments("a".repeat(306))).toEqual({ encoding: "GSM-7", segments: 2 });
    expect(countSegments("a".repeat(307))).toEqual({ encoding: "GSM-7", segments: 3 });
    // 152 basic + one extension character (2 septets) does not fit 153: the escape pair moves on.
    expect(countSegments(`${"a".repeat(152)}€${"a".repeat(10)}`).segments).toBe(2);
    expect(countSegments(`${"a".repeat(152)}€${"a".repeat(152)}`).segments).toBe(3);
    expect(countSegments("ж".repeat(134))).toEqual({ encoding: "UCS-2", segments: 2 });
    expect(countSegments("ж".repeat(135))).toEqual({ encoding: "UCS-2", segments: 3 });
    // 66 units + an emoji (2 units) does not fit 67: the pair is not split.
    expect(countSegments(`${"ж".repeat(66)}😀${"ж".repeat(3)}`).segments).toBe(2);
    expect(countSegments(`${"ж".repeat(66)}😀${"ж".repeat(66)}`).segments).toBe(3);
  });

  it("smart encoding (a service default) keeps curly quotes in GSM-7; without it they force UCS-2", async () => {
    const client = t.client();
    const body = `“Quoted” ${"a".repeat(100)}`;
    const { service } = await serviceWithPool(["604"]);
    const viaService = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+16045550123",
      body,
    });
    expect(viaService.numSegments).toBe("1");
    const own = await client.incomingPhoneNumbers.create({ areaCode: "604" });
    const direct = await client.messages.create({
      from: own.phoneNumber,
      to: "+16045550123",
      body,
    });
    expect(direct.numSegments).toBe("2");
  });

  it("MediaUrl without a Body sends an MMS", async () => {
    const client = t.client();
    const own = await client.incomingPhoneNumbers.create({ areaCode: "512" });
    const sent = await client.messages.create({
      from: own.phoneNumber,
      to: "+15125550123",
      mediaUrl: ["https://example.com/cat.png", "https://example.com/dog.png"],
    });
    expect(sent.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(sent).toMatchObject({ numMedia: "2", body: "" });
    const bad = client.messages.create({
      from: own.phoneNumber,
      to: "+15125550123",
      mediaUrl: ["not-a-url"],
    });
    expect(await twilioErrorOf(bad)).toMatchObject({ code: 21620 });
  });

  it("messages are listed newest first, filtered by To, From and DateSent, paged, and fetched by SID", async () => {
    const client = t.client();
    const own = await client.incomingPhoneNumbers.create({ areaCode: "514" });
    const to = "+15145554444";
    const sids: string[] = [];
    for (let i = 0; i < 5; i++) {
      sids.push((await client.messages.create({ from: own.phoneNumber, to, body: `n${i}` })).sid);
    }
    const listed = await client.messages.list({ to, pageSize: 2 });
    expect(listed.map((m) => m.sid)).toEqual([...sids].reverse());
    expect((await client.messages.list({ from: own.phoneNumber })).map((m) => m.sid)).toEqual(
      [...sids].reverse(),
    );
    expect(await client.messages.list({ to: "+15145554445" })).toEqual([]);
    const today = new Date();
    expect((await client.messages.list({ to, dateSent: today })).length).toBe(5);
    expect(
      (await client.messages.list({ to, dateSentAfter: new Date(today.getTime() + 86_400_000) }))
        .length,
    ).toBe(0);
    expect(
      (await client.messages.list({ to, dateSentBefore: new Date(today.getTime() + 86_400_000) }))
        .length,
    ).toBe(5);
    expect((await client.messages(sids[2] ?? "").fetch()).body).toBe("n2");
    expect(await twilioErrorOf(client.messages(`SM${"0".repeat(32)}`).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
  });
});
