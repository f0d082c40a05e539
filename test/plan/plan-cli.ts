/** Runs `npm run plan` the way npm does (tsx src/cli/plan.ts …) against a test stack's backend. */

import { DEFAULT_ACCOUNT_SID } from "../../src/emulator/auth";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { repoRoot } from "../../src/util/repo-root";
import type { AccountsStack } from "../support/accounts-stack";
import { type CommandResult, runCommand } from "../support/run-command";

const TSX = require.resolve("tsx/cli");

export type CliResult = CommandResult;

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
  return runCommand(process.execPath, [TSX, "src/cli/plan.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NO_COLOR: "1" },
  });
}

/** `npm run plan:approval -- <args>` (tsx src/cli/plan-approval.ts), as scripts/ci-plan.sh runs it. */
export function runPlanApproval(args: string[]): Promise<CliResult> {
  return runCommand(process.execPath, [TSX, "src/cli/plan-approval.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1" },
  });
}
