import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/emulator/cli";
import { FaultController } from "../../src/emulator/faults";
import { twilioErrorOf, useEmulator } from "./helpers";

describe("injected faults", () => {
  const t = useEmulator();
  afterEach(() => t.emulator.faults.clear());

  const timed = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  it("fixed latency delays every answer by at least that long", async () => {
    const client = t.client();
    await client.messaging.v1.services.list(); // warm up: the first call pays for connection set-up
    t.emulator.faults.set({ latency: { ms: 150 } });
    const slow = await timed(() => client.messaging.v1.services.list());
    // Lower bounds only: the caller waited at least the latency, and so did the emulator's own
    // handling. (A difference against an unfaulted call measured the machine's load, not the fault.)
    expect(slow).toBeGreaterThanOrEqual(150);
    expect(t.exchanges.at(-1)?.durationMs).toBeGreaterThanOrEqual(150);
  });

  it("random latency stays within its range and repeats with the same seed", async () => {
    const config = { seed: 7, latency: { minMs: 40, maxMs: 90 } };
    const a = new FaultController(config);
    const b = new FaultController(config);
    const drawsA = Array.from({ length: 50 }, () => a.latencyMs());
    const drawsB = Array.from({ length: 50 }, () => b.latencyMs());
    expect(drawsA).toEqual(drawsB);
    expect(Math.min(...drawsA)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...drawsA)).toBeLessThanOrEqual(90);
    expect(new Set(drawsA.map(Math.round)).size).toBeGreaterThan(10);
    t.emulator.faults.set(config);
    expect(await timed(() => t.client().messaging.v1.services.list())).toBeGreaterThanOrEqual(40);
  });

  it("a 429 carries Retry-After and code 20429, and the operation is not carried out", async () => {
    t.emulator.faults.set({ rateLimit: { rate: 1, retryAfterSeconds: 7 } });
    const before = t.emulator.state.phoneNumbers.list().length;
    const raw = await t.raw("POST", `${t.accountPath}/IncomingPhoneNumbers.json`, {
      form: { AreaCode: "514" },
    });
    expect(raw).toMatchObject({
      status: 429,
      body: {
        code: 20429,
        message: "Too Many Requests",
        more_info: "https://www.twilio.com/docs/errors/20429",
        status: 429,
      },
    });
    expect(raw.headers.get("retry-after")).toBe("7");
    const sdk = t.client({ retry: false }).incomingPhoneNumbers.create({ areaCode: "514" });
    expect(await twilioErrorOf(sdk)).toMatchObject({ status: 429, code: 20429 });
    expect(t.emulator.state.phoneNumbers.list().length).toBe(before);
    expect(t.exchanges.at(-1)).toMatchObject({ status: 429, fault: "rate-limit" });
  });

  it("the project's client rides out a 429, waiting as long as Retry-After says", async () => {
    t.emulator.faults.set({ failNth: [{ n: 1, status: 429, retryAfterSeconds: 1 }] });
    const before = t.exchanges.length;
    const elapsed = await timed(() =>
      t.client().messaging.v1.services.create({ friendlyName: "after 429" }),
    );
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(t.exchanges.slice(before).map((e) => e.status)).toEqual([429, 201]);
  });

  it("5xx at a rate fails a reproducible share of requests (seeded PRNG)", async () => {
    const path = "/v1/Services";
    const run = async () => {
      t.emulator.faults.set({ seed: 42, serverErrors: { rate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await t.raw("GET", path)).status);
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(18);
    expect(first.every((s) => s === 200 || s === 500)).toBe(true);
    t.emulator.faults.set({ serverErrors: { rate: 1, status: 503 } });
    expect(await t.raw("GET", path)).toMatchObject({
      status: 503,
      body: { code: 20503, status: 503 },
    });
    const sdk = t.client({ retry: false }).messaging.v1.services.list();
    expect(await twilioErrorOf(sdk)).toMatchObject({ status: 503, code: 20503 });
  });

  it("the Nth matching call fails once; other calls are not counted and pass", async () => {
    const client = t.client({ retry: false });
    t.emulator.faults.set({
      failNth: [{ n: 2, match: { method: "POST", path: "/IncomingPhoneNumbers\\.json$" } }],
    });
    const first = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    await client.incomingPhoneNumbers.list();
    const before = t.emulator.state.phoneNumbers.list().length;
    expect(
      await twilioErrorOf(client.incomingPhoneNumbers.create({ areaCode: "206" })),
    ).toMatchObject({
      status: 500,
      code: 20500,
    });
    expect(t.emulator.state.phoneNumbers.list().length).toBe(before);
    const third = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    expect([first.phoneNumber, third.phoneNumber]).toEqual(["+12065550100", "+12065550101"]);
  });

  it("drop-after-purchase buys the number, then drops the connection without an answer", async () => {
    const client = t.client();
    t.emulator.faults.set({ dropAfterPurchase: {} });
    const error = await client.incomingPhoneNumbers
      .create({ areaCode: "312", friendlyName: "lost answer" })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string },
      );
    expect(error?.code ?? error?.message).toMatch(/ECONNRESET|socket hang up/);
    const [bought] = await client.incomingPhoneNumbers.list({ friendlyName: "lost answer" });
    expect(bought?.phoneNumber).toBe("+13125550100");
    const dropped = t.exchanges.find((e) => e.fault === "dropped");
    expect(dropped).toMatchObject({
      operationId: "CreateIncomingPhoneNumber",
      status: null,
      responseBody: null,
    });
    const next = await client.incomingPhoneNumbers.create({ areaCode: "312" });
    expect(next.phoneNumber).toBe("+13125550101");
  });

  it("drop-after-message stores the message, then drops the connection without an answer", async () => {
    const client = t.client();
    const sender = await client.incomingPhoneNumbers.create({ areaCode: "438" });
    t.emulator.faults.set({ dropAfterMessage: {} });
    const error = await client.messages
      .create({ from: sender.phoneNumber, to: "+14385550150", body: "accepted, answer lost" })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; message: string },
      );
    expect(error?.code ?? error?.message).toMatch(/ECONNRESET|socket hang up/);
    const stored = await client.messages.list({ to: "+14385550150" });
    expect(stored.map((m) => m.body)).toEqual(["accepted, answer lost"]);
    expect(t.exchanges.filter((e) => e.fault === "dropped").at(-1)).toMatchObject({
      operationId: "CreateMessage",
      status: null,
      responseBody: null,
    });
    // Once only (count 1): the next message is answered as usual.
    const next = await client.messages.create({
      from: sender.phoneNumber,
      to: "+14385550150",
      body: "answered",
    });
    expect(next.status).toBe("queued");
  });

  it("a lost answer with a status answers that 5xx although the operation happened", async () => {
    const client = t.client({ retry: false });
    const sender = await client.incomingPhoneNumbers.create({ areaCode: "438" });
    t.emulator.faults.set({ dropAfterMessage: { count: 2, status: 502 } });
    for (const body of ["first", "second"]) {
      const sent = client.messages.create({ from: sender.phoneNumber, to: "+14385550151", body });
      expect(await twilioErrorOf(sent)).toMatchObject({ status: 502, code: 20500 });
    }
    const stored = await client.messages.list({ to: "+14385550151" });
    expect(stored.map((m) => m.body)).toEqual(["second", "first"]);
    expect(t.exchanges.slice(-3).map((e) => [e.operationId, e.status, e.fault])).toEqual([
      ["CreateMessage", 502, "lost-answer"],
      ["CreateMessage", 502, "lost-answer"],
      ["ListMessage", 200, undefined],
    ]);
    expect(() => new FaultController({ dropAfterMessage: { status: 404 } })).toThrow(
      "dropAfterMessage.status must be 5xx, got 404",
    );
  });

  it("faults, the request log and mutation counts are reachable through the admin API", async () => {
    expect(await t.raw("DELETE", "/__emulator/requests")).toMatchObject({ status: 204 });
    const put = await t.raw("PUT", "/__emulator/faults", {
      body: JSON.stringify({ latency: { ms: 5 }, seed: 3 }),
    });
    expect(put).toMatchObject({ status: 200, body: { latency: { ms: 5 }, seed: 3 } });
    expect(t.emulator.faults.config).toEqual({ latency: { ms: 5 }, seed: 3 });
    const patch = await t.raw("PATCH", "/__emulator/faults", {
      body: JSON.stringify({ rateLimit: { rate: 0 } }),
    });
    expect(patch.body).toEqual({ latency: { ms: 5 }, seed: 3, rateLimit: { rate: 0 } });
    expect(
      await t.raw("PUT", "/__emulator/faults", {
        body: JSON.stringify({ rateLimit: { rate: 2 } }),
      }),
    ).toMatchObject({
      status: 400,
    });

    const client = t.client();
    const service = await client.messaging.v1.services.create({ friendlyName: "counted" });
    await client.messaging.v1.services(service.sid).update({ stickySender: false });
    await client.incomingPhoneNumbers.create({ areaCode: "416" });
    await client.messaging.v1.services.list();

    const mutations = await t.raw("GET", "/__emulator/requests/mutations");
    expect(mutations.body).toEqual({
      total: 3,
      by_family: { "messaging-services": 2, "incoming-phone-numbers": 1 },
    });
    expect(t.emulator.requestLog.countMutations("messaging-services")).toBe(2);
    const log = (await t.raw("GET", "/__emulator/requests")).body as {
      requests: { method: string; path: string; params: object }[];
    };
    expect(log.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/Services",
      `POST /v1/Services/${service.sid}`,
      `POST ${t.accountPath}/IncomingPhoneNumbers.json`,
      "GET /v1/Services",
    ]);
    expect(log.requests[1]?.params).toEqual({ StickySender: "false" });
    const lastId = t.emulator.requestLog.entries().at(-1)?.id ?? 0;
    expect((await t.raw("GET", `/__emulator/requests?since=${lastId - 1}`)).body).toMatchObject({
      requests: [{ id: lastId }],
    });
    expect(await t.raw("DELETE", "/__emulator/faults")).toMatchObject({ status: 204 });
    expect(t.emulator.faults.config).toEqual({});
    expect((await t.raw("GET", "/__emulator/health")).body).toMatchObject({
      status: "ok",
      base_url: t.baseUrl,
    });
  });

  it("command-line flags become the same fault configuration", () => {
    const parsed = parseCliArgs([
      "--port",
      "0",
      "--latency",
      "10-20",
      "--rate-429",
      "0.25",
      "--retry-after",
      "3",
      "--rate-5xx",
      "0.1",
      "--status-5xx",
      "503",
      "--fail-nth",
      "3:POST:/IncomingPhoneNumbers",
      "--fail-nth",
      "5",
      "--drop-after-purchase",
      "2",
      "--drop-after-message",
      "1",
      "--fault-seed",
      "9",
    ]);
    expect(parsed.help).toBe(false);
    if (parsed.help) return;
    expect(parsed.options.faults).toEqual({
      seed: 9,
      latency: { minMs: 10, maxMs: 20 },
      rateLimit: { rate: 0.25, retryAfterSeconds: 3 },
      serverErrors: { rate: 0.1, status: 503 },
      failNth: [{ n: 3, match: { method: "POST", path: "/IncomingPhoneNumbers" } }, { n: 5 }],
      dropAfterPurchase: { count: 2 },
      dropAfterMessage: { count: 1 },
    });
    expect(new FaultController(parsed.options.faults).config).toEqual(parsed.options.faults);
  });
});

describe("an admin token, when configured, guards the admin API", () => {
  const t = useEmulator({ adminToken: "let-me-in" });

  it("admin calls need the X-Emulator-Admin-Token header; Twilio calls do not", async () => {
    expect(await t.raw("GET", "/__emulator/requests")).toMatchObject({ status: 401 });
    const ok = await t.raw("GET", "/__emulator/requests", {
      headers: { "X-Emulator-Admin-Token": "let-me-in" },
    });
    expect(ok.status).toBe(200);
    expect((await t.client().messaging.v1.services.list()).length).toBe(0);
  });
});
