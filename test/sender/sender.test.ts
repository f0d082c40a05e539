/**
 * The sender against the emulator and a real PostgreSQL database: the account's Messaging Service
 * from the rows the sync writes, no `From`, errors before any call, retries that never send twice.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  BodyTooLongError,
  EmptyBodyError,
  InvalidRecipientError,
  InvalidSenderOptionsError,
  NoMessagingServiceError,
  SendOutcomeUnknownError,
  SmsSenderError,
  TwilioSendError,
  UnknownVapiPhoneIdError,
} from "../../src/sender";
import { AUTH_TOKEN } from "../emulator/helpers";
import { useSenderWorld } from "./world";

const world = useSenderWorld("send");
afterEach(async () => {
  world.t.emulator.faults.clear();
  await listLag(0);
});

/** Twilio's list lagging the create: new messages stay out of the Messages list for `ms`. */
async function listLag(ms: number) {
  const answer = await world.t.raw("PATCH", "/__emulator/settings", {
    auth: null,
    body: JSON.stringify({ messageListLagMs: ms }),
  });
  expect(answer.status).toBe(200);
}

/** The messages the emulator holds for `to` (what the recipient gets), oldest first. */
const received = (to: string) =>
  world.t.emulator.state.messages
    .list({ to })
    .map((m) => m.body)
    .reverse();

const STAFF = "+15145550142";

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the send to fail");
    },
    (error: unknown) => error,
  );
}

describe("sending through the account's Messaging Service", () => {
  it("sends with MessagingServiceSid and no From, and returns Twilio's SID, status, segments and cost", async () => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const result = await world.sender().sendSms({
      accountId: account.accountId,
      to: STAFF,
      body: "Your appointment is confirmed for tomorrow at 9:00",
    });
    expect(result).toEqual({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: "accepted",
      messagingServiceSid: account.serviceSid,
      encoding: "GSM-7",
      segments: 1,
      estimatedCostUsd: 0.0075,
    });
    const [create] = world.creates(calls());
    expect(create?.params).toEqual({
      To: STAFF,
      Body: "Your appointment is confirmed for tomorrow at 9:00",
      MessagingServiceSid: account.serviceSid,
    });
    expect(create?.params).not.toHaveProperty("From");
    const stored = world.t.emulator.state.messages.get(result.sid);
    expect(stored).toMatchObject({
      messagingServiceSid: account.serviceSid,
      from: account.phoneNumber, // picked by the service from its pool
      numSegments: result.segments,
    });
  });

  it("counts segments and cost as Twilio does, for a multi-segment UCS-2 body", async () => {
    const account = await world.provisionAccount();
    const body = `Rappel 📅 ${"é".repeat(70)}`;
    const result = await world.sender().sendSms({ accountId: account.accountId, to: STAFF, body });
    expect(result).toMatchObject({ encoding: "UCS-2", segments: 2, estimatedCostUsd: 0.015 });
    expect(world.t.emulator.state.messages.get(result.sid)?.numSegments).toBe(2);
  });

  it("sends by Vapi phone id (the call-transfer path), with a status callback", async () => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const result = await world.sender().sendSmsByVapiPhoneId({
      vapiPhoneId: account.vapiPhoneId,
      to: STAFF,
      body: "Transfer",
      statusCallback: "https://backend.example.com/twilio/status",
    });
    expect(result.messagingServiceSid).toBe(account.serviceSid);
    expect(world.creates(calls())[0]?.params).toMatchObject({
      MessagingServiceSid: account.serviceSid,
      StatusCallback: "https://backend.example.com/twilio/status",
    });
  });

  it("sends the seed's staff alert text, Patient: Unknown when no name is given", async () => {
    const account = await world.provisionAccount({ name: "Downtown Montreal Dentistry" });
    const sender = world.sender();
    const named = await sender.sendStaffAlert({
      vapiPhoneId: account.vapiPhoneId,
      to: STAFF,
      reason: "Emergency",
      summary: "Broken tooth since yesterday",
      patientName: "Marie Tremblay",
    });
    expect(world.t.emulator.state.messages.get(named.sid)?.body).toBe(
      "URGENT: Call transfer incoming from Downtown Montreal Dentistry\nReason: Emergency\nSummary: Broken tooth since yesterday\nPatient: Marie Tremblay",
    );
    const unnamed = await sender.sendStaffAlert({
      vapiPhoneId: account.vapiPhoneId,
      to: STAFF,
      reason: "Billing",
      summary: "Question about an invoice",
    });
    expect(world.t.emulator.state.messages.get(unnamed.sid)?.body).toMatch(/\nPatient: Unknown$/);
  });

  it("shortens a staff alert's summary to fit Twilio's 1600 characters instead of failing", async () => {
    const account = await world.provisionAccount();
    const result = await world.sender().sendStaffAlert({
      vapiPhoneId: account.vapiPhoneId,
      to: STAFF,
      reason: "Long call",
      summary: "😀".repeat(1000),
    });
    const body = world.t.emulator.state.messages.get(result.sid)?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(1600);
    expect(body).toMatch(/😀…\nPatient: Unknown$/);
    expect(/\p{Cs}/u.test(body)).toBe(false); // no lone surrogate: no half emoji
  });
});

describe("refused before any call", () => {
  it("no Messaging Service for the account: the seed's message, typed, no Twilio call", async () => {
    const account = await world.provisionAccount({ service: false });
    const calls = world.callsSince();
    const sender = world.sender();
    const error = await failureOf(
      sender.sendSms({ accountId: account.accountId, to: STAFF, body: "Hello" }),
    );
    expect(error).toBeInstanceOf(NoMessagingServiceError);
    expect(error).toBeInstanceOf(SmsSenderError);
    expect(error).toMatchObject({ code: "NO_MESSAGING_SERVICE", accountId: account.accountId });
    expect((error as Error).message).toMatch(/^No Messaging Service configured for this account/);
    const byPhone = await failureOf(
      sender.sendStaffAlert({
        vapiPhoneId: account.vapiPhoneId,
        to: STAFF,
        reason: "r",
        summary: "s",
      }),
    );
    expect(byPhone).toMatchObject({
      code: "NO_MESSAGING_SERVICE",
      vapiPhoneId: account.vapiPhoneId,
    });
    const unknownAccount = await failureOf(
      sender.sendSms({ accountId: "00000000-0000-4000-8000-000000000000", to: STAFF, body: "Hi" }),
    );
    expect(unknownAccount).toBeInstanceOf(NoMessagingServiceError);
    expect(calls()).toEqual([]);
  });

  it("an inactive number's service is not used for the account", async () => {
    const account = await world.provisionAccount();
    await world.db.prisma.vapiPhoneNumber.update({
      where: { vapiPhoneId: account.vapiPhoneId },
      data: { isActive: false },
    });
    const error = await failureOf(
      world.sender().sendSms({ accountId: account.accountId, to: STAFF, body: "Hi" }),
    );
    expect(error).toBeInstanceOf(NoMessagingServiceError);
  });

  it("unknown Vapi phone id: typed error, no Twilio call", async () => {
    const calls = world.callsSince();
    const error = await failureOf(
      world.sender().sendSmsByVapiPhoneId({ vapiPhoneId: "vapi-nope", to: STAFF, body: "Hi" }),
    );
    expect(error).toBeInstanceOf(UnknownVapiPhoneIdError);
    expect(error).toMatchObject({ code: "UNKNOWN_VAPI_PHONE_ID", vapiPhoneId: "vapi-nope" });
    expect(calls()).toEqual([]);
  });

  it.each([
    ["", /a phone number is required/],
    ["5145550123", /E\.164 form, with \+ and the country code/],
    ["+1 514 555 0123", /write it in E\.164 form: \+15145550123/],
    ["+15555555555", /not a valid phone number/],
    ["+1514555012", /not a valid phone number/],
    ["+99912345678", /not a valid phone number/],
  ])("invalid recipient %j: InvalidRecipientError, zero Twilio calls", async (to, reason) => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const error = await failureOf(
      world.sender().sendSms({ accountId: account.accountId, to, body: "Hi" }),
    );
    expect(error).toBeInstanceOf(InvalidRecipientError);
    expect(error).toMatchObject({ code: "INVALID_RECIPIENT", to });
    expect((error as Error).message).toMatch(reason);
    expect(calls()).toEqual([]);
  });

  it.each([
    ["empty", "", EmptyBodyError, "EMPTY_BODY"],
    ["blank", " \n ", EmptyBodyError, "EMPTY_BODY"],
    ["1601 characters", "a".repeat(1601), BodyTooLongError, "BODY_TOO_LONG"],
    ["801 emoji (1602 code units)", "😀".repeat(801), BodyTooLongError, "BODY_TOO_LONG"],
  ])("%s body: typed error, zero Twilio calls", async (_name, body, type, code) => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const error = await failureOf(
      world.sender().sendSms({ accountId: account.accountId, to: STAFF, body }),
    );
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
    expect(calls()).toEqual([]);
  });

  it("a staff alert whose reason alone passes 1600 characters is refused, no Twilio call", async () => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const error = await failureOf(
      world.sender().sendStaffAlert({
        vapiPhoneId: account.vapiPhoneId,
        to: STAFF,
        reason: "r".repeat(1600),
        summary: "s",
      }),
    );
    expect(error).toBeInstanceOf(BodyTooLongError);
    expect(calls()).toEqual([]);
  });

  it("a body of exactly 1600 characters is sent (11 segments)", async () => {
    const account = await world.provisionAccount();
    const result = await world
      .sender()
      .sendSms({ accountId: account.accountId, to: STAFF, body: "a".repeat(1600) });
    expect(result).toMatchObject({ segments: 11, estimatedCostUsd: 0.0825 });
  });
});

describe("invariant 7: retries that never send twice", () => {
  it("an injected 429 is retried after Retry-After, to exactly one message", async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({
      failNth: [
        { n: 1, status: 429, retryAfterSeconds: 1, match: { operationId: "CreateMessage" } },
      ],
    });
    const calls = world.callsSince();
    const started = Date.now();
    const result = await world
      .sender()
      .sendSms({ accountId: account.accountId, to: "+15145550143", body: "after 429" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(world.creates(calls()).map((e) => e.status)).toEqual([429, 201]);
    const sent = world.t.emulator.state.messages.list({ to: "+15145550143" });
    expect(sent.map((m) => m.sid)).toEqual([result.sid]);
  });

  it("a message accepted and then the connection dropped: exactly one message and a normal result", async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({ dropAfterMessage: {} });
    const calls = world.callsSince();
    const result = await world
      .sender()
      .sendSms({ accountId: account.accountId, to: "+15145550144", body: "lost answer" });
    const sent = world.t.emulator.state.messages.list({ to: "+15145550144" });
    expect(sent.map((m) => m.sid)).toEqual([result.sid]);
    expect(result).toMatchObject({
      messagingServiceSid: account.serviceSid,
      segments: 1,
      encoding: "GSM-7",
    });
    expect(calls().map((e) => [e.operationId, e.status])).toEqual([
      ["CreateMessage", null],
      ["ListMessage", 200],
    ]);
  });

  it("a gateway 502 after Twilio created the message: one message, the found one returned", async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({ dropAfterMessage: { status: 502 } });
    const calls = world.callsSince();
    const result = await world
      .sender()
      .sendSms({ accountId: account.accountId, to: "+15145550145", body: "502 after create" });
    expect(world.t.emulator.state.messages.list({ to: "+15145550145" }).map((m) => m.sid)).toEqual([
      result.sid,
    ]);
    expect(world.creates(calls()).map((e) => e.status)).toEqual([502]);
  });

  it("a 503 before Twilio did anything, by default: not in the list, so OUTCOME_UNKNOWN and no second create", async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({
      failNth: [{ n: 1, status: 503, match: { operationId: "CreateMessage" } }],
    });
    const calls = world.callsSince();
    const error = await failureOf(
      world
        .sender({ retry: { lookupWindowMs: 300 } })
        .sendSms({ accountId: account.accountId, to: "+15145550146", body: "503 first" }),
    );
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({
      code: "OUTCOME_UNKNOWN",
      reason: "not-in-list",
      attempts: 1,
      status: 503,
    });
    expect((error as Error).message).toMatch(
      /^Unknown whether Twilio sent the message to \+15145550146 \(Twilio error 20503, HTTP 503: .*\), and it is not in Twilio's message list yet \(which may lag\); it was not sent again; look for it/,
    );
    expect(world.creates(calls()).map((e) => e.status)).toEqual([503]);
    expect(received("+15145550146")).toEqual([]);
  });

  it('the same 503 with whenOutcomeUnknown: "resend": not in the list, so it sends again, once', async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({
      failNth: [{ n: 1, status: 503, match: { operationId: "CreateMessage" } }],
    });
    const calls = world.callsSince();
    const result = await world.sender({ retry: { lookupWindowMs: 0 } }).sendSms({
      accountId: account.accountId,
      to: "+15145550149",
      body: "503 first",
      whenOutcomeUnknown: "resend",
    });
    expect(calls().map((e) => [e.operationId, e.status])).toEqual([
      ["CreateMessage", 503],
      ["ListMessage", 200],
      ["CreateMessage", 201],
    ]);
    expect(world.t.emulator.state.messages.list({ to: "+15145550149" }).map((m) => m.sid)).toEqual([
      result.sid,
    ]);
  });

  it("an earlier identical message (before this send) is not mistaken for this one", async () => {
    const account = await world.provisionAccount();
    const sender = world.sender({ whenOutcomeUnknown: "resend", retry: { lookupWindowMs: 0 } });
    const to = "+15145550147";
    const first = await sender.sendSms({ accountId: account.accountId, to, body: "same text" });
    world.t.emulator.faults.set({
      failNth: [{ n: 1, status: 503, match: { operationId: "CreateMessage" } }],
    });
    const second = await sender.sendSms({ accountId: account.accountId, to, body: "same text" });
    expect(second.sid).not.toBe(first.sid);
    expect(world.t.emulator.state.messages.list({ to })).toHaveLength(2);
  });

  it('a per-call whenOutcomeUnknown that is neither "error" nor "resend" is refused before any call', async () => {
    const account = await world.provisionAccount();
    const calls = world.callsSince();
    const error = await failureOf(
      world.sender().sendSms({
        accountId: account.accountId,
        to: STAFF,
        body: "typo",
        whenOutcomeUnknown: "resned" as "resend",
      }),
    );
    expect(error).toBeInstanceOf(InvalidSenderOptionsError);
    expect((error as Error).message).toBe(
      'Invalid SMS sender options: whenOutcomeUnknown: must be "error" or "resend", got "resned"',
    );
    expect(calls()).toEqual([]);
  });
  it("when the list cannot be read either: SendOutcomeUnknownError, and no second message", async () => {
    const account = await world.provisionAccount();
    world.t.emulator.faults.set({
      dropAfterMessage: {},
      serverErrors: { rate: 1, match: { operationId: "ListMessage" } },
    });
    const error = await failureOf(
      world
        .sender({ retry: { rateLimitRetries: 1 } })
        .sendSms({ accountId: account.accountId, to: "+15145550148", body: "unknown" }),
    );
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({
      code: "OUTCOME_UNKNOWN",
      to: "+15145550148",
      reason: "list-unreadable",
    });
    expect((error as Error).message).toMatch(
      /^Unknown whether Twilio sent the message .*, and Twilio's message list could not be checked;/,
    );
    expect(world.t.emulator.state.messages.list({ to: "+15145550148" })).toHaveLength(1);
    // No credential anywhere in what a backend would log.
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(AUTH_TOKEN);
  });

  it("Twilio's refusal carries its code, status and more_info", async () => {
    const account = await world.provisionAccount();
    await world.t
      .client()
      .messaging.v1.services(account.serviceSid ?? "")
      .remove();
    const error = await failureOf(
      world.sender().sendSms({ accountId: account.accountId, to: STAFF, body: "gone service" }),
    );
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({
      code: "TWILIO_ERROR",
      twilioCode: 21701,
      status: 400,
      moreInfo: "https://www.twilio.com/docs/errors/21701",
    });
    expect((error as Error).message).toMatch(
      /^Twilio did not send the message \(Twilio error 21701, HTTP 400: /,
    );
  });
});

describe("Twilio's message list lagging the create (the emulator's messageListLagMs)", () => {
  it("the lag is shorter than the lookup window: a later look finds the message, one message, a normal result", async () => {
    const account = await world.provisionAccount();
    await listLag(2_000);
    world.t.emulator.faults.set({ dropAfterMessage: {} });
    const calls = world.callsSince();
    const to = "+15145550150";
    const result = await world
      .sender({ retry: { lookupWindowMs: 8_000 } })
      .sendSms({ accountId: account.accountId, to, body: "found late" });
    const lookups = calls().filter((e) => e.operationId === "ListMessage");
    expect(lookups.length).toBeGreaterThan(1); // the first look came too early
    expect(world.creates(calls()).map((e) => e.status)).toEqual([null]);
    expect(world.t.emulator.state.messages.list({ to }).map((m) => m.sid)).toEqual([result.sid]);
  });

  it('the window passes without finding it, by default ("error"): OUTCOME_UNKNOWN, and the recipient gets the message once', async () => {
    const account = await world.provisionAccount();
    await listLag(30_000);
    world.t.emulator.faults.set({ dropAfterMessage: {} });
    const calls = world.callsSince();
    const to = "+15145550151";
    const started = Date.now();
    const error = await failureOf(
      world
        .sender({ retry: { lookupWindowMs: 1_500 } })
        .sendSms({ accountId: account.accountId, to, body: "lagging list" }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500); // it looked for the whole window
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(error).toMatchObject({
      code: "OUTCOME_UNKNOWN",
      reason: "not-in-list",
      attempts: 1,
      to,
    });
    // `since`: the first attempt, after the call began (a message, if any, was created after it).
    const since = (error as SendOutcomeUnknownError).since.getTime();
    expect(since).toBeGreaterThanOrEqual(started);
    expect(since).toBeLessThanOrEqual(Date.now() - 1_500);
    expect(world.creates(calls())).toHaveLength(1);
    expect(calls().filter((e) => e.operationId === "ListMessage").length).toBeGreaterThan(1);
    // Twilio did send it: the caller was told "unknown", not "failed", and nothing was repeated.
    expect(received(to)).toEqual(["lagging list"]);
  });

  it('the window passes without finding it, with "resend" for the call: sent again, so the recipient gets it twice', async () => {
    const account = await world.provisionAccount();
    await listLag(30_000);
    world.t.emulator.faults.set({ dropAfterMessage: {} });
    const calls = world.callsSince();
    const to = "+15145550152";
    const result = await world.sender({ retry: { lookupWindowMs: 300 } }).sendStaffAlert({
      vapiPhoneId: account.vapiPhoneId,
      to,
      reason: "Emergency",
      summary: "Must go out",
      whenOutcomeUnknown: "resend",
    });
    expect(world.creates(calls()).map((e) => e.status)).toEqual([null, 201]);
    // What "resend" risks, shown: the first create had worked; the list had not shown it yet.
    expect(received(to)).toHaveLength(2);
    expect(received(to)[0]).toBe(received(to)[1]);
    expect(world.t.emulator.state.messages.list({ to })[0]?.sid).toBe(result.sid);
  });

  it('a sender that resends by default: a call asking for "error" is not sent again; resends stop after retry.attempts', async () => {
    const account = await world.provisionAccount();
    await listLag(30_000);
    const sender = world.sender({
      whenOutcomeUnknown: "resend",
      retry: { lookupWindowMs: 0, attempts: 2 },
    });
    const patient = "+15145550153";
    world.t.emulator.faults.set({ dropAfterMessage: {} });
    const reminder = await failureOf(
      sender.sendSms({
        accountId: account.accountId,
        to: patient,
        body: "Reminder",
        whenOutcomeUnknown: "error",
      }),
    );
    expect(reminder).toMatchObject({ code: "OUTCOME_UNKNOWN", attempts: 1 });
    expect(received(patient)).toEqual(["Reminder"]);

    const staff = "+15145550154";
    world.t.emulator.faults.set({ dropAfterMessage: { count: 2 } });
    const alert = await failureOf(
      sender.sendSms({ accountId: account.accountId, to: staff, body: "Alert" }),
    );
    expect(alert).toMatchObject({ code: "OUTCOME_UNKNOWN", reason: "not-in-list", attempts: 2 });
    expect((alert as Error).message).toMatch(
      /not in Twilio's message list yet \(which may lag\); 2 attempts were made/,
    );
    expect(received(staff)).toEqual(["Alert", "Alert"]);
  });
});
