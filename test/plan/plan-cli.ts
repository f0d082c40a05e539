/** Runs `npm run plan` the way npm does (tsx src/cli/plan.ts …) against a test stack's backend. */
import { spawn } from "node:child_process";
import { LOCAL_STACK_PASSPHRASE, repoRoot } from "../../scripts/lib/pulumi";
import { DEFAULT_ACCOUNT_SID } from "../../src/emulator/auth";
import type { AccountsStack } from "../support/accounts-stack";

const TSX = require.resolve("tsx/cli");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a CI job gives the plan: backend, passphrase and credentials, nothing else. */
export function stackEnvironment(stack: AccountsStack): NodeJS.ProcessEnv {
  return {
    PULUMI_BACKEND_URL: `file://${stack.ws.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
    TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: stack.ws.env?.TWILIO_AUTH_TOKEN,
  };
}

export function runPlanCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/plan.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
