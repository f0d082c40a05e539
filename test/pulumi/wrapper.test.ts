/**
 * `npm run pulumi`: the local-stacks passphrase never reaches a backend the user names, and the
 * documented deploy commands refresh from Twilio first (drift is seen by default). Runs the real
 * wrapper script and the real Pulumi CLI.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isLocalBackend, LOCAL_STATE_DIR } from "../../src/pulumi/backend";
import { withDriftRefresh } from "../../src/pulumi/command-line";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { runPulumi } from "../../src/pulumi/run";
import { repoRoot } from "../../src/util/repo-root";

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
