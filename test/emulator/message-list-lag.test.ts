import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/emulator/cli";
import { useEmulator } from "./helpers";

const START = Date.parse("2026-05-04T10:00:00Z");

describe("the Messages list may lag the create, as Twilio's does", () => {
  let clock = START;
  const t = useEmulator({ messageListLagMs: 60_000, now: () => new Date(clock) });

  async function ownNumber(areaCode: string) {
    return t.client().incomingPhoneNumbers.create({ areaCode });
  }

  it("a new message is missing from the list until the lag has passed; fetch by SID finds it at once", async () => {
    const client = t.client();
    const from = await ownNumber("514");
    const sent = await client.messages.create({
      from: from.phoneNumber,
      to: "+14165550120",
      body: "lagging",
    });
    expect((await client.messages(sent.sid).fetch()).body).toBe("lagging");
    expect(await client.messages.list({ to: "+14165550120" })).toEqual([]);

    clock += 59_999;
    expect(await client.messages.list({ to: "+14165550120" })).toEqual([]);
    clock += 1;
    expect((await client.messages.list({ to: "+14165550120" })).map((m) => m.sid)).toEqual([
      sent.sid,
    ]);
    // What tests inspect in the model is never lagged.
    expect(t.emulator.state.messages.list({ to: "+14165550120" })).toHaveLength(1);
  });

  it("the lag is a runtime setting: PATCH /__emulator/settings changes it, a bad value changes nothing", async () => {
    const client = t.client();
    const from = await ownNumber("438");
    const sent = await client.messages.create({
      from: from.phoneNumber,
      to: "+14165550121",
      body: "settings",
    });
    expect(await t.raw("GET", "/__emulator/settings", { auth: null })).toMatchObject({
      status: 200,
      body: { messageListLagMs: 60_000 },
    });
    expect(await client.messages.list({ to: "+14165550121" })).toEqual([]);

    const bad = await t.raw("PATCH", "/__emulator/settings", {
      auth: null,
      body: JSON.stringify({ messageListLagMs: -1 }),
    });
    expect(bad.status).toBe(400);
    const unknown = await t.raw("PATCH", "/__emulator/settings", {
      auth: null,
      body: JSON.stringify({ messageListLag: 5 }),
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: "unknown setting(s): messageListLag" },
    });
    expect(t.emulator.state.messages.listLagMs).toBe(60_000);

    const changed = await t.raw("PATCH", "/__emulator/settings", {
      auth: null,
      body: JSON.stringify({ messageListLagMs: 0 }),
    });
    expect(changed).toMatchObject({ status: 200, body: { messageListLagMs: 0 } });
    expect((await client.messages.list({ to: "+14165550121" })).map((m) => m.sid)).toEqual([
      sent.sid,
    ]);
  });
});

describe("npm run emulator -- --message-list-lag", () => {
  it("takes milliseconds, not a negative number", () => {
    expect(parseCliArgs(["--message-list-lag", "1500"])).toMatchObject({
      options: { messageListLagMs: 1500 },
    });
    expect(() => parseCliArgs(["--message-list-lag=-5"])).toThrow(/milliseconds >= 0/);
    expect(parseCliArgs([])).not.toHaveProperty("options.messageListLagMs");
  });
});
