/**
 * `npm run pulumi`: the local-stacks passphrase never reaches a backend the user names, every
 * command that reads or writes secrets needs the user's own, and the documented deploy commands
 * refresh from Twilio first (drift is seen by default) wherever the command word stands. Runs the
 * real wrapper script and the real Pulumi CLI against the Twilio emulator.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { isLocalBackend, LOCAL_STATE_DIR, needsSecrets } from "../../src/pulumi/backend";
import { commandOf, withDriftRefresh } from "../../src/pulumi/command-line";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { runPulumi } from "../../src/pulumi/run";
import { repoRoot } from "../../src/util/repo-root";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";

const dir = mkdtempSync(join(tmpdir(), "pulumi-wrapper-"));
const userBackend = join(dir, "user-backend");
mkdirSync(userBackend);
const stack = `wrapper-${process.pid}`;

afterAll(async () => {
  await runPulumi(
    { projectDir: repoRoot, stateDir: userBackend, passphrase: "user-passphrase" },
    ["stack", "rm", stack, "--yes", "--force"],
    { check: false },
  );
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run pulumi -- <args>` (the script itself) with exactly this extra environment. */
function wrapper(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const clean = { ...process.env };
  for (const key of [
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_CONFIG_PASSPHRASE_FILE",
  ])
    delete clean[key];
  const child = spawn(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    [join(repoRoot, "src", "cli", "pulumi.ts"), ...args],
    { cwd: repoRoot, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    output += String(chunk);
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe("npm run pulumi with a backend the user names", () => {
  it("refuses, with exit code 2 and before running Pulumi, when no passphrase or secrets provider is given", async () => {
    const result = await wrapper(["preview", "--stack", stack], {
      PULUMI_BACKEND_URL: `file://${userBackend}`,
    });
    expect(result.code).toBe(2);
    expect(result.output).toMatch(
      /^npm run pulumi: no secrets passphrase for your backend file:\/\/\S+: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, or give the stack a cloud secrets provider/,
    );
  });

  it("encrypts the stack with the user's passphrase file, never with the local-stacks passphrase", async () => {
    const passphraseFile = join(dir, "passphrase");
    writeFileSync(passphraseFile, "user-passphrase");
    const env = {
      PULUMI_BACKEND_URL: `file://${userBackend}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
    };
    const init = await wrapper(["stack", "init", stack, "--secrets-provider", "passphrase"], env);
    expect(init.output).toContain(`Created stack '${stack}'`);
    expect(init.code).toBe(0);
    const set = await wrapper(
      ["config", "set", "--secret", "probe", "hidden", "--stack", stack],
      env,
    );
    expect(set.code).toBe(0);

    const read = (passphrase: string) =>
      runPulumi(
        { projectDir: repoRoot, stateDir: userBackend, passphrase },
        ["config", "get", "probe", "--stack", stack],
        { check: false },
      );
    expect((await read("user-passphrase")).stdout.trim()).toBe("hidden");
    const withLocal = await read(LOCAL_STACK_PASSPHRASE);
    expect(withLocal.code).not.toBe(0);
    expect(withLocal.output).toContain("incorrect passphrase");
  });

  it("treats only the project's .local/ file backend as local", () => {
    expect(isLocalBackend(undefined)).toBe(true);
    expect(isLocalBackend(`file://${LOCAL_STATE_DIR}`)).toBe(true);
    expect(isLocalBackend(`file://${LOCAL_STATE_DIR}/`)).toBe(true);
    expect(isLocalBackend(`file://${userBackend}`)).toBe(false);
    expect(isLocalBackend("s3://bucket/state")).toBe(false);
    expect(isLocalBackend("https://api.pulumi.com")).toBe(false);
  });
});

describe("npm run pulumi sees drift by default", () => {
  it("adds --refresh to preview and up, and leaves every other choice alone", () => {
    expect(withDriftRefresh(["preview", "--stack", "prod", "--diff"])).toEqual({
      args: ["preview", "--stack", "prod", "--diff", "--refresh"],
      added: true,
    });
    expect(withDriftRefresh(["up", "--stack", "prod"]).args).toEqual([
      "up",
      "--stack",
      "prod",
      "--refresh",
    ]);
    expect(withDriftRefresh(["up", "--refresh=false"]).added).toBe(false);
    expect(withDriftRefresh(["preview", "-r"]).added).toBe(false);
    expect(withDriftRefresh(["preview", "--help"]).added).toBe(false);
    expect(withDriftRefresh(["stack", "ls"]).added).toBe(false);
    expect(withDriftRefresh(["destroy"]).added).toBe(false);
  });
});

describe("npm run pulumi finds the command word wherever it stands", () => {
  it("reads the command past global flags and their values", () => {
    expect(commandOf(["-s", "prod", "up"])).toEqual(["up"]);
    expect(commandOf(["--stack", "prod", "preview", "--diff"])).toEqual(["preview"]);
    expect(commandOf(["--stack=prod", "--color", "never", "-C", ".", "up", "--yes"])).toEqual([
      "up",
    ]);
    expect(commandOf(["-v", "3", "--logtostderr", "stack", "-s", "prod", "output"])).toEqual([
      "stack",
      "output",
    ]);
    expect(commandOf(["up", "--", "-s"])).toEqual(["up", "-s"]);
    expect(withDriftRefresh(["-s", "prod", "up"]).args).toEqual(["-s", "prod", "up", "--refresh"]);
    expect(withDriftRefresh(["--stack", "prod", "--refresh=false", "preview"]).added).toBe(false);
    expect(withDriftRefresh(["--stack", "prod", "stack", "ls"]).added).toBe(false);
  });

  it("runs its own recover command after a stack flag too", async () => {
    const help = await wrapper(["-s", "prod", "recover", "--help"], {});
    expect(help.code, help.output).toBe(0);
    expect(help.output).toContain("Usage: npm run pulumi -- recover --stack <stack>");
  });
});

describe("npm run pulumi asks for the user's passphrase for every command that reads or writes secrets", () => {
  const SECRET_COMMANDS = [
    ["-s", "prod", "up"],
    ["--stack", "prod", "preview"],
    ["refresh", "-s", "prod"],
    ["destroy", "-s", "prod"],
    ["import", "-s", "prod"],
    ["watch", "-s", "prod"],
    ["state", "delete", "urn", "-s", "prod"],
    ["stack", "init", "prod"],
    ["stack", "output", "--show-secrets", "-s", "prod"],
    ["-s", "prod", "stack", "output", "--show-secrets"],
    ["stack", "export", "--show-secrets", "-s", "prod"],
    ["stack", "history", "--show-secrets", "-s", "prod"],
    ["stack", "import", "--file", "state.json", "-s", "prod"],
    ["stack", "change-secrets-provider", "passphrase", "-s", "prod"],
    ["config", "set", "--secret", "token", "x", "-s", "prod"],
    ["-s", "prod", "config", "set", "token", "x", "--secret"],
    ["config", "set-all", "--secret", "token=x", "-s", "prod"],
    ["config", "get", "token", "-s", "prod"],
    ["config", "cp", "--dest", "other", "-s", "prod"],
    ["config", "--show-secrets", "-s", "prod"],
  ];
  const PLAIN_COMMANDS = [
    ["stack", "ls"],
    ["stack", "output", "-s", "prod"],
    ["stack", "export", "-s", "prod"],
    ["config", "set", "region", "ca", "-s", "prod"],
    ["config", "-s", "prod"],
    ["version"],
  ];

  it("names each such command, and only those", () => {
    for (const args of SECRET_COMMANDS) expect(needsSecrets(args), args.join(" ")).toBe(true);
    for (const args of PLAIN_COMMANDS) expect(needsSecrets(args), args.join(" ")).toBe(false);
  });

  it("refuses them with exit 2 before Pulumi runs, through the real wrapper", async () => {
    const env = { PULUMI_BACKEND_URL: `file://${userBackend}` };
    const samples = [
      ["-s", stack, "stack", "output", "--show-secrets"],
      ["config", "set", "--secret", "token", "x", "--stack", stack],
      ["stack", "export", "--show-secrets", "--stack", stack],
      ["--stack", stack, "up"],
    ];
    const results = await Promise.all(samples.map((args) => wrapper(args, env)));
    for (const [i, result] of results.entries()) {
      expect(result.code, samples[i]?.join(" ")).toBe(2);
      expect(result.output).toMatch(/^npm run pulumi: no secrets passphrase for your backend/);
    }
  });
});

describe("npm run pulumi refreshes preview and up from Twilio (real wrapper, real CLI, emulator)", () => {
  let accounts: AccountsStack;
  const exchanges: RequestLogEntry[] = [];

  beforeAll(async () => {
    accounts = await createAccountsStack({ onExchange: (entry) => exchanges.push(entry) });
    accounts.writeAccounts(accountsYaml(THREE_ACCOUNTS.slice(0, 1)));
    await accounts.pulumi(["up", "--yes", "--skip-preview"]);
  });

  afterAll(async () => {
    await accounts?.dispose();
  });

  /** `npm run pulumi -- <args>` on the accounts stack; the Twilio reads it made, and its output. */
  async function run(args: string[]) {
    const from = exchanges.length;
    const result = await wrapper(args, {
      PULUMI_BACKEND_URL: `file://${accounts.ws.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
      TWILIO_AUTH_TOKEN: accounts.ws.env?.TWILIO_AUTH_TOKEN,
    });
    const reads = exchanges.slice(from).filter((e) => e.method === "GET").length;
    return { ...result, reads };
  }

  it("adds --refresh when the stack flag comes before the command, and Twilio is read", async () => {
    const preview = await run(["-s", accounts.stack, "preview"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).toContain("npm run pulumi: added --refresh");
    // The number, the service and the attachment are read from Twilio: that is the refresh.
    expect(preview.reads).toBeGreaterThanOrEqual(3);

    const up = await run(["--stack", accounts.stack, "up", "--yes"]);
    expect(up.code, up.output).toBe(0);
    expect(up.reads).toBeGreaterThanOrEqual(3);
  });

  it("reads nothing from Twilio when told --refresh=false", async () => {
    const preview = await run(["--stack", accounts.stack, "preview", "--refresh=false"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).not.toContain("added --refresh");
    expect(preview.reads).toBe(0);
  });

  it("prints no warning about a plugin taken from $PATH (the plugin sits beside the CLI)", async () => {
    const preview = await run(["preview", "--stack", accounts.stack, "--diff"]);
    expect(preview.code, preview.output).toBe(0);
    expect(preview.output).not.toMatch(/from \$PATH/);
    expect(preview.output).not.toMatch(/warning:/);
  });
});
