/**
 * The package a backend installs: `npm pack` (which builds dist/ first), the tarball installed
 * into a scratch Node project in a temporary directory outside the repo (dependencies from the npm
 * registry, or npm's cache), then used as a backend would: plain CommonJS sends an SMS through the
 * emulator and the real PostgreSQL, an ES module imports both entry points, and TypeScript
 * compiles a file against the package's types (nodenext and node10 module resolution).
 *
 * Needs the npm registry (or a warm npm cache): about 20 s for the install, 15 s for the build.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_TOKEN } from "../emulator/helpers";
import { useSenderWorld } from "./world";

const REPO = resolve(__dirname, "..", "..");
const FIXTURES = join(REPO, "test", "fixtures", "sender-consumer");
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const world = useSenderWorld("package");
let scratch = "";

/** For a child that talks to the emulator in this process: the event loop must keep running. */
async function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 240_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "sender-consumer-"));
  // npm pack runs the prepack script: npm run build → dist/.
  run("npm", ["pack", "--pack-destination", scratch, "--silent"], REPO);
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack left no tarball in ${scratch}`);
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "backend-scratch", private: true, version: "1.0.0" }),
  );
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      `./${tarball}`,
      // The backend's own: Node types for the compile, NestJS for the nestjs entry.
      "@types/node@20.19.43",
      "@nestjs/common@12.5.1",
      "reflect-metadata@0.2.2",
      "rxjs@7.8.2",
    ],
    scratch,
  );
  for (const file of ["send.cjs", "entries.mjs", "typed.mts"])
    copyFileSync(join(FIXTURES, file), join(scratch, file));
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("the packed package, installed in a scratch project", () => {
  it("holds the built entry points and their types, and nothing of the repo's sources", () => {
    const installed = join(scratch, "node_modules", "twilio-messaging-iac");
    const files = execFileSync("find", [".", "-type", "f"], { cwd: installed, encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .sort();
    expect(files).toEqual(
      expect.arrayContaining([
        "./dist/sender/index.js",
        "./dist/sender/index.d.ts",
        "./dist/sender/nestjs.js",
        "./dist/sender/nestjs.d.ts",
        "./package.json",
      ]),
    );
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => /emulator|providers|pulumi/.test(f))).toEqual([]);
  });

  it("plain JavaScript requires it and sends through the account's Messaging Service", async () => {
    const account = await world.provisionAccount();
    const out = await runAsync("node", ["send.cjs"], scratch, {
      DATABASE_URL: world.databaseUrl,
      TWILIO_ACCOUNT_SID: world.t.emulator.accountSid,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_BASE_URL: world.t.baseUrl,
      ACCOUNT_ID: account.accountId,
      TO: "+15145550170",
    });
    const printed = JSON.parse(out) as {
      result: { sid: string };
      typedError: boolean;
      code: string;
    };
    expect(printed).toMatchObject({
      result: {
        status: "accepted",
        messagingServiceSid: account.serviceSid,
        segments: 1,
        encoding: "GSM-7",
        estimatedCostUsd: 0.0075,
      },
      typedError: true,
      code: "NO_MESSAGING_SERVICE",
    });
    expect(world.t.emulator.state.messages.get(printed.result.sid)?.body).toBe(
      "Sent by the packed package",
    );
  });

  it("an ES module imports both entry points, and importing opens nothing (the process ends)", () => {
    const out = run("node", ["entries.mjs"], scratch);
    expect(JSON.parse(out)).toEqual({
      createSmsSender: "function",
      forRoot: "function",
      token: "TWILIO_MESSAGING_IAC_SMS_SENDER",
      segments: { encoding: "GSM-7", segments: 2 },
    });
  });

  it("TypeScript compiles a backend file against its types (nodenext and node10 resolution)", () => {
    const strict = ["--noEmit", "--strict", "--types", "node"];
    // Once with every declaration file checked (ours included), once as an older CommonJS backend.
    const nodenext = ["--module", "nodenext", "--moduleResolution", "nodenext"];
    run("node", [TSC, ...strict, ...nodenext, "--skipLibCheck", "false", "typed.mts"], scratch);
    copyFileSync(join(scratch, "typed.mts"), join(scratch, "typed.ts"));
    const node10 = ["--module", "commonjs", "--moduleResolution", "node10", "--esModuleInterop"];
    run("node", [TSC, ...strict, ...node10, "--skipLibCheck", "true", "typed.ts"], scratch);
  });
});
