import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN_ENV, AUTH_TOKEN_ENV, parseCliArgs } from "../../src/emulator/cli";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { type EmulatorOptions, startEmulator } from "../../src/emulator/server";
import { createTwilioClient } from "../../src/twilio/client";
import { ACCOUNT_SID, AUTH_TOKEN, expectConformingExchanges } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
const exchanges: RequestLogEntry[] = [];

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expectConformingExchanges(exchanges);
});

async function start(options: EmulatorOptions) {
  const emulator = await startEmulator({ ...options, onExchange: (e) => exchanges.push(e) });
  const client = createTwilioClient({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    baseUrl: emulator.baseUrl,
  });
  return { emulator, client };
}

describe("state file", () => {
  const stateFile = join(dir, "nested", "state.json");

  it("numbers, services, pools, messages and the inventory survive a restart", async () => {
    const first = await start({ stateFile });
    const number = await first.client.incomingPhoneNumbers.create({
      areaCode: "514",
      friendlyName: "kept",
    });
    const service = await first.client.messaging.v1.services.create({
      friendlyName: "kept service",
      validityPeriod: 900,
    });
    await first.client.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    const message = await first.client.messages.create({
      messagingServiceSid: service.sid,
      to: "+15145550999",
      body: "hi",
    });
    await first.emulator.close();

    const second = await start({ stateFile });
    expect(
      (await second.client.incomingPhoneNumbers.list()).map((n) => [n.sid, n.friendlyName]),
    ).toEqual([[number.sid, "kept"]]);
    expect(await second.client.messaging.v1.services(service.sid).fetch()).toMatchObject({
      validityPeriod: 900,
    });
    expect(
      (await second.client.messaging.v1.services(service.sid).phoneNumbers.list()).map(
        (p) => p.sid,
      ),
    ).toEqual([number.sid]);
    expect((await second.client.messages(message.sid).fetch()).from).toBe(number.phoneNumber);
    const next = await second.client.incomingPhoneNumbers.create({ areaCode: "514" });
    expect(next.phoneNumber).toBe("+15145550101");
    await second.client.incomingPhoneNumbers(number.sid).remove();
    await second.emulator.close();

    const third = await start({ stateFile });
    const offered = await third.client
      .availablePhoneNumbers("CA")
      .local.list({ areaCode: 514, limit: 3 });
    expect(offered.map((n) => n.phoneNumber)).toEqual([
      "+15145550102",
      "+15145550103",
      "+15145550104",
    ]);
    expect(await third.client.messaging.v1.services(service.sid).phoneNumbers.list()).toEqual([]);
    await third.emulator.close();
  });

  it("is written atomically after every change: valid JSON, no temporary file left, no credential", async () => {
    const file = join(dir, "atomic.json");
    const { emulator, client } = await start({ stateFile: file });
    const snapshots: string[] = [];
    emulator.state.onChange(() => snapshots.push(readFileSync(file, "utf8")));
    await client.incomingPhoneNumbers.create({ areaCode: "416" });
    await client.messaging.v1.services.create({ friendlyName: "atomic" });
    await emulator.close();
    expect(snapshots).toHaveLength(2);
    const last = JSON.parse(readFileSync(file, "utf8"));
    expect(last).toMatchObject({ version: 1, accountSid: ACCOUNT_SID });
    expect(last.incomingPhoneNumbers).toHaveLength(1);
    expect(last.messaging.services).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(readFileSync(file, "utf8")).not.toContain(AUTH_TOKEN);
  });

  it("API keys survive a restart as salted hashes: the key still authenticates, its secret is not in the file", async () => {
    const file = join(dir, "keys.json");
    const first = await start({ stateFile: file });
    const key = await first.client.iam.v1.newApiKey.create({
      accountSid: ACCOUNT_SID,
      keyType: "restricted",
      policy: { allow: ["/twilio/messaging/services/list"] },
    });
    await first.emulator.close();
    expect(readFileSync(file, "utf8")).not.toContain(key.secret);

    const second = await start({ stateFile: file });
    const asKey = createTwilioClient({
      accountSid: ACCOUNT_SID,
      apiKey: key.sid,
      apiSecret: key.secret,
      baseUrl: second.emulator.baseUrl,
    });
    expect(await asKey.messaging.v1.services.list()).toEqual([]);
    await second.emulator.close();
  });

  it("US A2P 10DLC registrations survive a restart: the primary profile keeps its SID, a verified campaign still unblocks", async () => {
    const file = join(dir, "a2p.json");
    const first = await start({ stateFile: file });
    const primary = first.emulator.state.compliance.primaryCustomerProfileSid;
    const service = await first.client.messaging.v1.services.create({ friendlyName: "us" });
    const number = await first.client.incomingPhoneNumbers.create({ areaCode: "206" });
    await first.client.messaging.v1
      .services(service.sid)
      .phoneNumbers.create({ phoneNumberSid: number.sid });
    const verified = await fetch(
      `${first.emulator.baseUrl}/__emulator/messaging-services/${service.sid}/verified-campaign`,
      { method: "POST" },
    );
    expect(verified.status).toBe(201);
    await first.emulator.close();

    const second = await start({ stateFile: file });
    expect(second.emulator.state.compliance.primaryCustomerProfileSid).toBe(primary);
    const [campaign] = await second.client.messaging.v1.services(service.sid).usAppToPerson.list();
    expect(campaign?.campaignStatus).toBe("VERIFIED");
    const sent = await second.client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12065550123",
      body: "still registered",
    });
    expect((await second.client.messages(sent.sid).fetch()).status).toBe("queued");
    await second.emulator.close();
  });

  it("a state file written before API keys and A2P were modelled still loads", async () => {
    const file = join(dir, "old.json");
    const { emulator } = await start({});
    const { apiKeys: _keys, compliance: _compliance, ...old } = emulator.state.emptySnapshot();
    await emulator.close();
    writeFileSync(file, JSON.stringify(old));
    const reloaded = await start({ stateFile: file });
    expect(reloaded.emulator.state.compliance.primaryCustomerProfileSid).toMatch(/^BU/);
    expect(await reloaded.client.messaging.v1.brandRegistrations.list()).toEqual([]);
    await reloaded.emulator.close();
  });

  it("a state file of another account is refused at start", async () => {
    const file = join(dir, "other.json");
    const { emulator } = await start({ stateFile: file });
    await emulator.close();
    await expect(
      startEmulator({ stateFile: file, accountSid: `AC${"9".repeat(32)}` }),
    ).rejects.toThrow(/belongs to account/);
  });
});

describe("npm run emulator", () => {
  const tsx = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
  const cli = join(__dirname, "..", "..", "src", "cli", "emulator.ts");

  it("prints its base URL, serves the SDK with the token from the environment, and stops on SIGTERM", async () => {
    const stateFile = join(dir, "cli.json");
    const token = "cli-test-token";
    // The token goes through the environment, as the docs advise (a command line lands in npm's logs).
    const child = spawn(tsx, [cli, "--port", "0", "--state-file", stateFile], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, [AUTH_TOKEN_ENV]: token },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once("line", resolve);
        lines.once("close", () => reject(new Error(`the emulator printed nothing: ${stderr}`)));
      });
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createTwilioClient({
        accountSid: ACCOUNT_SID,
        authToken: token,
        baseUrl: firstLine,
      });
      const service = await client.messaging.v1.services.create({ friendlyName: "from the cli" });
      expect(service.sid).toMatch(/^MG/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain("TWILIO_BASE_URL=");
    expect(stderr).not.toContain(token);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).messaging.services[0].friendlyName).toBe(
      "from the cli",
    );
  });

  it("--api-key NAME:TYPE:… makes a key at start; its secret goes to --api-keys-file (0600), not the console", async () => {
    const keysFile = join(dir, "keys-out.json");
    const child = spawn(
      tsx,
      [
        cli,
        "--port",
        "0",
        "--api-key",
        "plan:restricted:/twilio/messaging/services/list,/twilio/messaging/services/read",
        "--api-keys-file",
        keysFile,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    let secret = "";
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once("line", resolve);
        lines.once("close", () => reject(new Error(`the emulator printed nothing: ${stderr}`)));
      });
      expect(statSync(keysFile).mode & 0o777).toBe(0o600);
      const [key] = JSON.parse(readFileSync(keysFile, "utf8")).api_keys;
      expect(key).toMatchObject({ friendly_name: "plan", type: "restricted" });
      secret = key.secret;
      const client = createTwilioClient({
        accountSid: ACCOUNT_SID,
        apiKey: key.sid,
        apiSecret: key.secret,
        baseUrl,
        retry: false,
      });
      expect(await client.messaging.v1.services.list()).toEqual([]);
      await expect(
        client.messaging.v1.services.create({ friendlyName: "x" }),
      ).rejects.toMatchObject({ status: 401, code: 70051 });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain("API key plan (restricted): SK");
    expect(secret).not.toBe("");
    expect(stderr).not.toContain(secret);
  });

  it("takes the tokens from --auth-token / --admin-token first, then from the environment", () => {
    const env = { [AUTH_TOKEN_ENV]: "from-env", [ADMIN_TOKEN_ENV]: "admin-from-env" };
    const fromEnv = parseCliArgs([], env);
    const fromFlags = parseCliArgs(["--auth-token", "flag", "--admin-token", "admin-flag"], env);
    const neither = parseCliArgs([], { [AUTH_TOKEN_ENV]: "" });
    expect(fromEnv).toMatchObject({
      options: { authToken: "from-env", adminToken: "admin-from-env" },
    });
    expect(fromFlags).toMatchObject({ options: { authToken: "flag", adminToken: "admin-flag" } });
    expect(neither).toEqual({
      help: false,
      options: expect.not.objectContaining({ authToken: "" }),
      printApiKeys: false,
    });
    expect(neither).not.toHaveProperty("options.authToken");
  });

  it("--help documents the options and the fault flags", async () => {
    const child = spawn(tsx, [cli, "--help"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    for (const flag of [
      "--port",
      "--account-sid",
      "--auth-token",
      "--api-key",
      "--print-api-keys",
      "--api-keys-file",
      "--state-file",
      "--latency",
      "--rate-429",
      "--rate-5xx",
      "--fail-nth",
      "--drop-after-purchase",
    ]) {
      expect(out).toContain(flag);
    }
  });
});
