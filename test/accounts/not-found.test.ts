/**
 * Design invariant 9, "gone means Twilio said so", end to end with the real Pulumi CLI: only
 * Twilio's own not-found (20404 in a Twilio-shaped body) removes anything or counts a release as
 * done. The stack's base URL (provider config `twilioBaseUrl`) is a local gateway in front of the
 * emulator; switched to answering every request with an HTML 404 (a misrouted gateway), it stands
 * in for Twilio during a refresh, a plan and a release: each stops with the status and the URL,
 * and the state keeps every resource. (A gateway, not a config change: a refresh configures the
 * providers from the state, so only a server behind the recorded URL can answer it.) Then what Twilio's own 20404 means for a number: one
 * released in the console is kept in the state (gone), the preview says what to do, and a release
 * declared for it is recorded as done without a Twilio call.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_SID } from "../../src/emulator/server";
import { runPlanCli, stackEnvironment } from "../plan/plan-cli";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

const LEGACY = { sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4", phoneNumber: "+16045550142" };
const bought = THREE_ACCOUNTS[0] as TestAccount;
const adopted: TestAccount = {
  id: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
  name: "Outremont Smiles",
  adoptSid: LEGACY.sid,
};
const added = THREE_ACCOUNTS[1] as TestAccount;

let stack: AccountsStack;
let gateway: Server;
let gatewayUrl: string;
/** While true, the gateway answers every request with an HTML 404 instead of passing it on. */
let answering404 = false;
/** `METHOD path?query` of every request the gateway answered with its HTML 404. */
const answered404: string[] = [];

/** Passes a request on to the emulator, or answers it with an HTML 404 (see `answering404`). */
function startGateway(emulatorUrl: string): Promise<void> {
  gateway = createServer((req, res) => {
    if (answering404) {
      answered404.push(`${req.method} ${req.url}`);
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>");
      return;
    }
    const upstream = request(
      `${emulatorUrl}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise<void>((resolve) =>
    gateway.listen(0, "127.0.0.1", () => {
      gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  stack = await createAccountsStack({
    seedPhoneNumbers: [{ ...LEGACY, friendlyName: "Outremont (bought by hand)" }],
  });
  await startGateway(stack.emulator.baseUrl);
  await stack.cli(["config", "set", "twilioBaseUrl", gatewayUrl]);
  stack.writeAccounts(accountsYaml([bought, adopted]));
  await previewThenUp(stack);
});

afterAll(async () => {
  await stack?.dispose();
  await new Promise((resolve) => gateway?.close(resolve));
});

/**
 * Every Twilio resource of the state (numbers, services, attachments): URN, id and outputs, what a
 * 404 taken for "gone" would drop or change.
 */
async function stateResources(): Promise<unknown[]> {
  const exported = JSON.parse((await stack.cli(["stack", "export"])).stdout);
  const resources = exported.deployment.resources as Array<{
    urn: string;
    type: string;
    id?: string;
    outputs?: unknown;
  }>;
  return resources
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/twilio:") && !r.type.endsWith("Guard"))
    .map(({ urn, id, outputs }) => ({ urn, id, outputs }))
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

async function numberOf(account: TestAccount) {
  const outputs = (await stack.outputs()).accounts as Array<{
    accountId: string;
    numbers: Array<{ sid: string | null; phoneNumber: string | null; released: boolean }>;
  }>;
  return outputs.find((o) => o.accountId === account.id)?.numbers[0];
}

/** Runs `work` while the gateway answers every request with an HTML 404. */
async function throughThe404Server<T>(work: () => Promise<T>): Promise<T> {
  answering404 = true;
  answered404.length = 0;
  stack.emulator.requestLog.clear();
  try {
    return await work();
  } finally {
    answering404 = false;
  }
}

const numberUrl = (sid: string) =>
  `${gatewayUrl}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/IncomingPhoneNumbers/${sid}.json`;

describe("a 404 that is not Twilio's says nothing about the object", () => {
  it("a refresh stops with the status and the URL, and the state keeps every resource", async () => {
    const before = await stateResources();
    const { sid } = (await numberOf(bought)) ?? { sid: "" };
    // `refresh` configures the providers from the state; `preview` runs the program.
    for (const command of [
      ["refresh", "--yes", "--skip-preview"],
      ["preview", "--refresh"],
    ]) {
      const run = await throughThe404Server(() => stack.pulumi(command, { check: false }));
      expect(run.code, run.output).not.toBe(0);
      expect(run.output).toContain(
        `could not read number ${sid}: HTTP 404 Not Found from GET ${numberUrl(sid ?? "")}, with an answer that is not a Twilio error`,
      );
      expect(run.output).toContain(
        "only Twilio's own not-found (error 20404) means an object is gone",
      );
      expect(answered404).toContain(
        `GET /2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/IncomingPhoneNumbers/${sid}.json`,
      );
      expect(await stateResources()).toEqual(before);
    }
    // Nothing reached the real Twilio (the emulator), and the stack is as it was.
    expect(stack.emulator.requestLog.entries()).toEqual([]);
    const preview = await stack.pulumi(["preview", "--refresh"]);
    expect(changingSteps(preview.events)).toEqual([]);
  });

  it("npm run plan -- --refresh exits non-zero naming the 404 and its URL, and plans no purchase", async () => {
    const { sid } = (await numberOf(bought)) ?? { sid: "" };
    const plan = await throughThe404Server(() =>
      runPlanCli(["--stack", stack.stack, "--refresh"], stackEnvironment(stack)),
    );
    expect(plan.code, plan.stdout + plan.stderr).not.toBe(0);
    expect(plan.code).not.toBe(3);
    expect(plan.stdout + plan.stderr).toContain(
      `could not read number ${sid}: HTTP 404 Not Found from GET ${numberUrl(sid ?? "")}, with an answer that is not a Twilio error`,
    );
    expect(plan.stdout).not.toMatch(/to buy|to create|\$/);
    expect(stack.emulator.requestLog.entries()).toEqual([]);
  });

  it("a release fails, drops nothing and counts no release as done; a create buys nothing", async () => {
    const before = await stateResources();
    const number = await numberOf(bought);
    stack.writeAccounts(accountsYaml([{ ...bought, release: true }, adopted]));
    const up = await throughThe404Server(() =>
      stack.pulumi(["up", "--yes", "--skip-preview"], { check: false }),
    );
    expect(up.code, up.output).not.toBe(0);
    expect(up.output).toContain(
      `could not release number 'main' of account ${bought.id} (${number?.sid}): HTTP 404 Not Found from DELETE ${numberUrl(number?.sid ?? "")}`,
    );
    // The release was tried against the 404 server (and only there) and not counted as done.
    expect(answered404).toContain(
      `DELETE /2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/IncomingPhoneNumbers/${number?.sid}.json`,
    );
    expect(stack.emulator.requestLog.entries()).toEqual([]);
    expect(await stateResources()).toEqual(before);
    expect(await numberOf(bought)).toMatchObject({ sid: number?.sid, released: false });

    // A new account's creates stop at their creation-marker lookups (the account's numbers or
    // services, listed first): no purchase and no service create is sent.
    stack.writeAccounts(accountsYaml([{ ...bought, release: true }, adopted, added]));
    const buy = await throughThe404Server(() =>
      stack.pulumi(["up", "--yes", "--skip-preview"], { check: false }),
    );
    expect(buy.code).not.toBe(0);
    const lookups = [
      `buy number 'main' of account ${added.id} in area code ${added.areaCode}: HTTP 404 Not Found from GET ${gatewayUrl}/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/IncomingPhoneNumbers.json?PageSize=1000`,
      `create Messaging Service "${added.name} - Parlae" of account ${added.id}: HTTP 404 Not Found from GET ${gatewayUrl}/v1/Services?PageSize=1000`,
    ];
    expect(
      lookups.some((lookup) => buy.output.includes(`could not ${lookup}`)),
      buy.output,
    ).toBe(true);
    expect(answered404.filter((r) => r.startsWith("POST "))).toEqual([]);
    expect(stack.emulator.requestLog.entries()).toEqual([]);
    expect(await stateResources()).toEqual(before);

    // Pointed at Twilio again, the same YAML releases the number and buys the new one.
    const { up: again } = await previewThenUp(stack);
    expect(twilioSteps(again.events)).toContain(`update PhoneNumber ${bought.id}-main`);
    expect(await numberOf(bought)).toMatchObject({ sid: number?.sid, released: true });
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid)).not.toContain(
      number?.sid,
    );
  });
});

describe("Twilio's own 20404 for a number the state holds", () => {
  it("a number released in the console stays in the state; the preview says what to do; a declared release is recorded without a call", async () => {
    await stack.twilio.incomingPhoneNumbers(LEGACY.sid).remove();
    const yaml = accountsYaml([{ ...bought, release: true }, adopted, added]);
    stack.writeAccounts(yaml);

    // Still declared active: refused before anything changes, naming the number and the way out.
    const refused = await stack.pulumi(["preview", "--refresh"], { check: false });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(
      `number 'main' of account ${adopted.id} (${LEGACY.phoneNumber}, ${LEGACY.sid}) is no longer in Twilio (Twilio error 20404 at the refresh: released outside this stack?). A released number cannot be bought back`,
    );
    const up = await stack.pulumi(["up", "--yes", "--skip-preview", "--refresh"], {
      check: false,
    });
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(`(${LEGACY.phoneNumber}, ${LEGACY.sid}) is no longer in Twilio`);
    expect(await stack.twilio.incomingPhoneNumbers.list()).toHaveLength(1); // nothing bought

    // A refresh keeps it, with what it was (not dropped, so nothing is lost).
    await stack.pulumi(["refresh", "--yes", "--skip-preview"]);
    const kept = (await stateResources()).find((r) =>
      (r as { urn: string }).urn.endsWith(`::${adopted.id}-main`),
    ) as { id: string; outputs: Record<string, unknown> };
    expect(kept.id).toBe(LEGACY.sid);
    expect(kept.outputs).toMatchObject({ gone: LEGACY, released: false });

    // Declared released: recorded as done, with no Twilio call for it.
    stack.writeAccounts(
      accountsYaml([{ ...bought, release: true }, { ...adopted, release: true }, added]),
    );
    stack.emulator.requestLog.clear();
    const { up: released } = await previewThenUp(stack, ["--refresh"]);
    expect(changingSteps(released.events)).toContain(`update PhoneNumber ${adopted.id}-main`);
    expect(
      stack.emulator.requestLog
        .entries()
        .filter((e) => e.path.includes(LEGACY.sid) && e.method !== "GET"),
    ).toEqual([]);
    expect(await numberOf(adopted)).toEqual({
      name: "main",
      sid: LEGACY.sid,
      phoneNumber: LEGACY.phoneNumber,
      vapiPhoneId: null,
      released: true,
    });
  });
});
