/** What a GitHub runner gives a step, as the job tests give it: the environments' secrets, outputs. */
import { readFileSync } from "node:fs";
import { DEFAULT_ACCOUNT_SID } from "../../src/emulator/auth";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import type { AccountsStack } from "../support/accounts-stack";
import type { ApiKey } from "./twilio-keys";

/**
 * The secrets an environment holds for a stack on the emulator: its backend (standing in for
 * PULUMI_BACKEND_URL), the passphrase, the account and one of its restricted keys. Never the auth
 * token.
 */
export function environmentSecrets(stack: AccountsStack, key: ApiKey): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${stack.ws.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
    TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
    TWILIO_API_KEY: key.sid,
    TWILIO_API_SECRET: key.secret,
  };
}

/** The `name=value` lines a step appended to GITHUB_OUTPUT. */
export function readGithubOutput(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}
