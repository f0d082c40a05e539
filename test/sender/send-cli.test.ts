/**
 * `npm run send`: the operator's quick check after a deploy, against the emulator and PostgreSQL.
 * Mostly in-process (the command run by runCommand, output captured); once as the real command in
 * a child.
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/command";
import { sendCommand } from "../../src/cli/send";
import { AUTH_TOKEN } from "../emulator/helpers";
import { useSenderWorld } from "./world";

const world = useSenderWorld("cli");
const REPO = resolve(__dirname, "..", "..");

function env(): NodeJS.ProcessEnv {
  return {
    TWILIO_ACCOUNT_SID: world.t.emulator.accountSid,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_BASE_URL: world.t.baseUrl,
  };
}

async function send(args: string[], environment = env()) {
  let out = "";
  let err = "";
  const code = await runCommand(sendCommand, [...args, "--database-url", world.databaseUrl], {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env: environment,
  });
  return { code, out, err };
}

describe("npm run send", () => {
  it("sends through the account's service and says so in one line", async () => {
    const account = await world.provisionAccount();
    const { code, out, err } = await send([
      "--account",
      account.accountId,
      "--to",
      "+15145550180",
      "--body",
      "Deploy check",
    ]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const [message] = world.t.emulator.state.messages.list({ to: "+15145550180" });
    expect(out).toBe(
      `Sent ${message?.sid} through Messaging Service ${account.serviceSid} (account ${account.accountId}): status accepted, 1 segment GSM-7, estimated $0.0075\n`,
    );
  });

  it("--vapi-phone-id with --json prints the result object", async () => {
    const account = await world.provisionAccount();
    const { code, out } = await send([
      "--vapi-phone-id",
      account.vapiPhoneId,
      "--to",
      "+15145550181",
      "--body",
      "😀 check",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      sid: expect.stringMatching(/^SM/),
      status: "accepted",
      messagingServiceSid: account.serviceSid,
      encoding: "UCS-2",
      segments: 1,
      estimatedCostUsd: 0.0075,
    });
  });

  it("no Messaging Service: the reason first, exit 1, nothing sent", async () => {
    const account = await world.provisionAccount({ service: false });
    const calls = world.callsSince();
    const { code, out, err } = await send([
      "--account",
      account.accountId,
      "--to",
      "+15145550182",
      "--body",
      "x",
    ]);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toMatch(/^error: No Messaging Service configured for this account \(account /);
    expect(err).toMatch(/\nNothing was sent\.\n$/);
    expect(calls()).toEqual([]);
  });

  it.each([
    [[], /^error: give exactly one of --account ID or --vapi-phone-id ID\n\nUsage: /],
    [
      ["--account", "a", "--vapi-phone-id", "v", "--to", "+15145550183", "--body", "x"],
      /exactly one of/,
    ],
    [["--account", "a", "--body", "x"], /^error: --to is required/],
    [["--account", "a", "--to", "+15145550183"], /^error: --body is required/],
    [["--account", "a", "--to", "+1 514", "--body", "x"], /^error: Invalid recipient "\+1 514"/],
    [["--account", "a", "--to", "+15145550183", "--body", ""], /^error: Empty message body/],
    [["--acount", "a"], /^error: Unknown option '--acount'/],
  ])("usage error %j: exit 2, no Twilio call", async (args, message) => {
    const calls = world.callsSince();
    const { code, err } = await send(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(calls()).toEqual([]);
  });

  it("missing Twilio credentials: exit 2, naming the variable", async () => {
    const { code, err } = await send(["--account", "a", "--to", "+15145550183", "--body", "x"], {});
    expect(code).toBe(2);
    expect(err).toBe("error: TWILIO_ACCOUNT_SID is not set\nNothing was sent.\n");
  });

  it("TWILIO_BASE_URL over plain http to another host: refused, exit 2, nothing sent", async () => {
    const { code, err } = await send(["--account", "a", "--to", "+15145550183", "--body", "x"], {
      ...env(),
      TWILIO_BASE_URL: "http://twilio-proxy.internal:8080",
    });
    expect(code).toBe(2);
    expect(err).toMatch(
      /^error: Insecure Twilio base URL: plain http:\/\/ is allowed only to loopback .* not to twilio-proxy\.internal; .*\nNothing was sent\.\n$/,
    );
  });

  it("runs as a command: --help exits 0; a send exits 0 and prints the line", async () => {
    const run = promisify(execFile);
    const help = await run("npx", ["tsx", "src/cli/send.ts", "--help"], { cwd: REPO });
    expect(help.stdout).toMatch(/^Usage: npm run send -- \(--account ID \| --vapi-phone-id ID\)/);
    const account = await world.provisionAccount();
    const sent = await run(
      "npx",
      [
        "tsx",
        "src/cli/send.ts",
        "--account",
        account.accountId,
        "--to",
        "+15145550184",
        "--body",
        "child",
      ],
      { cwd: REPO, env: { ...process.env, ...env(), DATABASE_URL: world.databaseUrl } },
    );
    expect(sent.stdout).toMatch(/^Sent SM[0-9a-f]{32} through Messaging Service MG/);
  });
});
