/**
 * Invariant 1, "a number is never released by accident", end to end: only an explicit
 * `release: true` in the YAML releases a number; removing, renaming or re-aiming one fails.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

const [kept, leaving] = THREE_ACCOUNTS as [(typeof THREE_ACCOUNTS)[0], (typeof THREE_ACCOUNTS)[0]];
let stack: AccountsStack;
let numberSids: string[];
let serviceSids: string[];

beforeAll(async () => {
  stack = await createAccountsStack();
  stack.writeAccounts(accountsYaml([kept, leaving]));
  await previewThenUp(stack);
  numberSids = await ownedNumberSids();
  serviceSids = await serviceSidsInTwilio();
});

afterAll(async () => {
  await stack?.dispose();
});

async function ownedNumberSids(): Promise<string[]> {
  return (await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid).sort();
}

async function serviceSidsInTwilio(): Promise<string[]> {
  return (await stack.twilio.messaging.v1.services.list()).map((s) => s.sid).sort();
}

describe("never releasing a number by accident", () => {
  it("fails the preview with the protective message when an account is removed without release", async () => {
    stack.writeAccounts(accountsYaml([kept]));
    stack.emulator.requestLog.clear();
    const preview = await stack.pulumi(["preview"], { check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `number 'main' of account ${leaving.id} (${leaving.name}) was removed from the YAML without release: true`,
    );
    // The reason comes right after the resource's name, not after a dump of the guard's inputs.
    const refusal = preview.output
      .split("\n")
      .find((line) => line.includes("was removed from the YAML"));
    expect(refusal).toMatch(
      /error: \S*NumberGuard resource 'number-guard' has a problem: number 'main' of account /,
    );
    expect(preview.output).not.toContain("map[");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("fails the same way on up, and releases nothing", async () => {
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(
      `number 'main' of account ${leaving.id} (${leaving.name}) was removed from the YAML without release: true`,
    );
    expect(twilioSteps(up.events).filter((s) => !s.startsWith("same "))).toEqual([]);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toEqual(numberSids);
  });

  it("refuses to give a bought number another area code, instead of buying a new one", async () => {
    stack.writeAccounts(accountsYaml([kept, { ...leaving, areaCode: "905" }]));
    const preview = await stack.pulumi(["preview"], { check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("'areaCode' cannot change once the number exists");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
  });

  it("refuses pulumi destroy while numbers are active, and tears nothing down around them", async () => {
    stack.writeAccounts(accountsYaml([kept, leaving]));
    stack.emulator.requestLog.clear();
    const destroy = await stack.pulumi(["destroy", "--yes", "--skip-preview"], { check: false });
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toContain("refusing to tear down the stack: 2 active number(s)");
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toEqual(numberSids);
    expect(await serviceSidsInTwilio()).toEqual(serviceSids);
  });
});

describe("releasing on the explicit mark", () => {
  it("previews the release as an update of the number and the removal of service and attachment, and up does exactly that", async () => {
    stack.writeAccounts(accountsYaml([kept, { ...leaving, release: true }]));
    const { preview } = await previewThenUp(stack);
    expect(changingSteps(preview.events)).toEqual([
      `delete MessagingService ${leaving.id}-service`,
      `delete ServiceNumber ${leaving.id}-main-attachment`,
      `update PhoneNumber ${leaving.id}-main`,
    ]);
    const remaining = await ownedNumberSids();
    expect(remaining).toHaveLength(1);
    expect(numberSids).toContain(remaining[0]);
    const services = await serviceSidsInTwilio();
    expect(services).toHaveLength(1);
    expect(serviceSids).toContain(services[0]);
    const outputs = (await stack.outputs()).accounts as Array<Record<string, unknown>>;
    // The released number stays in the output (released: true) so the post-deploy sync clears it.
    const releasedSid = numberSids.find((sid) => sid !== remaining[0]);
    expect(outputs[1]).toMatchObject({
      accountId: leaving.id,
      released: true,
      messagingServiceSid: null,
      numbers: [{ name: "main", sid: releasedSid, released: true }],
    });
  });

  it("lets the released entry be removed afterwards, with no Twilio call", async () => {
    stack.writeAccounts(accountsYaml([kept]));
    stack.emulator.requestLog.clear();
    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([`delete PhoneNumber ${leaving.id}-main`]);
    expect(stack.emulator.requestLog.countMutations()).toBe(0);
    expect(await ownedNumberSids()).toHaveLength(1);
  });
});

describe("a number replaced by hand (state unprotect, then up --replace)", () => {
  it("releases nothing, says what happened and how to recover, and works again after the recovery", async () => {
    const exported = JSON.parse((await stack.cli(["stack", "export"])).stdout);
    const resources = exported.deployment.resources as Array<{ urn: string; delete?: boolean }>;
    const urn = resources.find((r) => r.urn.endsWith(`:PhoneNumber::${kept.id}-main`))?.urn ?? "";
    expect(urn).not.toBe("");
    const owned = await ownedNumberSids();
    expect(owned).toHaveLength(1);

    await stack.cli(["state", "unprotect", urn, "--yes"]);
    const replaced = await stack.pulumi(["up", "--yes", "--skip-preview", "--replace", urn], {
      check: false,
    });
    const again = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    for (const run of [replaced, again]) {
      expect(run.code).not.toBe(0);
      expect(run.output).toContain(
        "the YAML does not mark it release: true, so this deletion does not come from the YAML. If the number was replaced (pulumi up --replace, after pulumi state unprotect), the replacement took over the same Twilio number",
      );
      expect(run.output).toContain("pulumi stack export --file state.json");
    }
    expect(await ownedNumberSids()).toEqual(owned);

    // The recovery the message gives: drop the old entry (pending deletion) from the state.
    const state = JSON.parse((await stack.cli(["stack", "export"])).stdout);
    const before = state.deployment.resources.length;
    state.deployment.resources = state.deployment.resources.filter(
      (r: { urn: string; delete?: boolean }) => !(r.urn === urn && r.delete === true),
    );
    expect(state.deployment.resources.length).toBe(before - 1);
    const file = join(mkdtempSync(join(tmpdir(), "recover-")), "state.json");
    writeFileSync(file, JSON.stringify(state));
    await stack.cli(["stack", "import", "--file", file]);

    const { up } = await previewThenUp(stack);
    expect(changingSteps(up.events)).toEqual([]);
    expect(await ownedNumberSids()).toEqual(owned);
  });
});
