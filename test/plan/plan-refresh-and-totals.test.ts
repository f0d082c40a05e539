/**
 * `npm run plan` on a real stack against the Twilio emulator: it reads Twilio first (the refresh)
 * unless told --no-refresh, and every number total follows one rule: a replace, which the providers
 * never plan for a number (design.md, invariant 1) but the plan must still count right if the
 * engine ever did, is a release plus a buy in the summary, the cost line and the numbers managed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { type AccountsStack, createAccountsStack, PHONE_NUMBER } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { previewThenUp } from "../support/preview-then-up";
import { runPlanCli, stackEnvironment } from "./plan-cli";

const ACCOUNT = THREE_ACCOUNTS[0] as (typeof THREE_ACCOUNTS)[number];

let stack: AccountsStack;
const exchanges: RequestLogEntry[] = [];

beforeAll(async () => {
  stack = await createAccountsStack({ onExchange: (entry) => exchanges.push(entry) });
  stack.writeAccounts(accountsYaml([ACCOUNT]));
  await previewThenUp(stack);
});

afterAll(async () => {
  await stack?.dispose();
});

/** `npm run plan -- --stack <stack> …args` as CI runs it, with the Twilio reads it made. */
async function plan(...args: string[]) {
  const from = exchanges.length;
  const result = await runPlanCli(["--stack", stack.stack, ...args], stackEnvironment(stack));
  return { ...result, reads: exchanges.slice(from).filter((e) => e.method === "GET").length };
}

describe("npm run plan reads Twilio first on a deployed stack", () => {
  it("refreshes by default and with --refresh, and reads nothing with --no-refresh", async () => {
    const byDefault = await plan();
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stderr).toContain("running pulumi preview --json --refresh on stack");
    // The number, the Messaging Service and the attachment: each read once.
    expect(byDefault.reads).toBeGreaterThanOrEqual(3);

    const told = await plan("--refresh");
    expect(told.code, told.stderr).toBe(0);
    expect(told.reads).toBeGreaterThanOrEqual(3);

    const without = await plan("--no-refresh");
    expect(without.code, without.stderr).toBe(0);
    expect(without.reads).toBe(0);
    // Same plan either way: nothing drifted.
    expect(without.stdout).toBe(byDefault.stdout);
  });
});

describe("the plan's number totals follow one rule", () => {
  it("counts a replaced number as a release plus a buy everywhere, priced both ways", async () => {
    // A real preview of a change to the number (its friendly name), with the engine's `update`
    // turned into the `replace` the providers never ask for.
    stack.writeAccounts(accountsYaml([{ ...ACCOUNT, friendlyName: "Front desk" }]));
    const preview = await stack.cli(["preview", "--json", "--refresh"]);
    const json = JSON.parse(preview.stdout) as {
      steps: Array<{ op: string; urn: string; newState?: { type: string } }>;
    };
    const numberSteps = json.steps.filter(
      (s) => s.newState?.type === PHONE_NUMBER && s.op !== "refresh",
    );
    expect(numberSteps.map((s) => s.op)).toEqual(["update"]);
    (numberSteps[0] as { op: string }).op = "replace";
    const file = join(stack.ws.stateDir, "..", "replace.preview.json");
    writeFileSync(file, JSON.stringify(json));

    const result = await runPlanCli([
      "--from-json",
      file,
      "--format",
      "text",
      "--stack",
      stack.stack,
    ]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toContain(
      "\n1 account changes · numbers: 1 to buy, 1 to release\n" +
        "Monthly cost: +$0.00 (1 number bought × $1.15, 1 number released × -$1.15) · numbers managed: 1 → 1 (",
    );
    expect(result.stdout).toContain("REPLACE number main (+1");
    stack.writeAccounts(accountsYaml([ACCOUNT]));
  });
});
