/**
 * Invariant 3, "no secret is persisted", end to end: the Twilio auth token (given in the
 * environment) appears in no Pulumi state, stack output, command output, error message or request
 * log, and the program refuses it in stack config (which Pulumi would store in the state).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";

const TOKEN = "s3cr3t-auth-token-7f2e9d41c0b8";
let stack: AccountsStack;
/** Everything every command printed during the suite. */
let printed = "";
/** What the first preview planned and the first up did, per Twilio resource. */
let planned: string[] = [];
let done: string[] = [];

async function run(args: string[], options?: { check?: boolean }) {
  const result = await stack.pulumi(args, options);
  printed += result.output;
  return result;
}

beforeAll(async () => {
  stack = await createAccountsStack({ authToken: TOKEN });
  stack.writeAccounts(accountsYaml(THREE_ACCOUNTS.slice(0, 1)));
  planned = twilioSteps((await run(["preview", "--diff"])).events);
  done = twilioSteps((await run(["up", "--yes", "--skip-preview", "--diff"])).events);
  await run(["refresh", "--yes", "--skip-preview"]);
});

afterAll(async () => {
  await stack?.dispose();
});

describe("the Twilio auth token", () => {
  it("is used by a deployment whose preview planned what up then did", () => {
    expect(planned).toHaveLength(3);
    expect(done).toEqual(planned);
  });

  it("is not in the exported stack state, even with secrets shown", async () => {
    const plain = await stack.cli(["stack", "export"]);
    const shown = await stack.cli(["stack", "export", "--show-secrets"]);
    // The state is real: it holds the deployed resources (and their provider stubs).
    expect(plain.stdout).toContain("pulumi-nodejs:dynamic/twilio:PhoneNumber");
    expect(plain.stdout).toContain("__provider");
    expect(plain.stdout).not.toContain(TOKEN);
    expect(shown.stdout).not.toContain(TOKEN);
  });

  it("is not in the stack outputs", async () => {
    const outputs = await stack.cli(["stack", "output", "--json", "--show-secrets"]);
    expect(outputs.stdout).toContain("messagingServiceSid");
    expect(outputs.stdout).not.toContain(TOKEN);
  });

  it("is not in the output of preview, up or refresh", () => {
    expect(printed).toContain("Resources:");
    expect(printed).not.toContain(TOKEN);
  });

  it("is not in the stack config file", () => {
    const config = readFileSync(join(repoRoot, `Pulumi.${stack.stack}.yaml`), "utf8");
    expect(config).toContain("twilioAccountSid");
    expect(config).not.toContain(TOKEN);
  });

  it("is refused in stack config, even as a secret, before any Twilio call", async () => {
    await stack.cli(["config", "set", "--secret", "twilioAuthToken"], { input: TOKEN });
    stack.emulator.requestLog.clear();
    const preview = await run(["preview"], { check: false });
    await stack.cli(["config", "rm", "twilioAuthToken"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      "stack config 'twilioAuthToken' is set, but Pulumi would store it in the state",
    );
    expect(stack.emulator.requestLog.entries()).toEqual([]);
    expect((await stack.cli(["stack", "export", "--show-secrets"])).stdout).not.toContain(TOKEN);
  });

  it("is not in the error of a rejected credential", async () => {
    const wrong = `${TOKEN}-wrong`;
    stack.ws.env = { ...stack.ws.env, TWILIO_AUTH_TOKEN: wrong };
    stack.writeAccounts(accountsYaml(THREE_ACCOUNTS.slice(0, 2)));
    const up = await run(["up", "--yes", "--skip-preview"], { check: false });
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("Twilio error 20003");
    expect(up.output).not.toContain(wrong);
  });

  it("is never recorded by the emulator's request log", () => {
    const entries = stack.emulator.requestLog.entries();
    // The exchanges of the run above, whose requests carried the wrong token (which contains TOKEN).
    expect(entries.some((entry) => entry.auth === "rejected" && entry.status === 401)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  });
});
