/**
 * Crash-only creates, end to end: `pulumi up` (the real CLI) killed with SIGKILL, the CLI and every
 * plugin process, at the moment a Twilio call of the run reaches the emulator (the service create,
 * the purchase, the attachment, a release), then the documented recovery
 * (`npm run pulumi -- recover --stack …`), a re-run and a no-op `up`. Twilio must then hold exactly
 * what the YAML declares: nothing twice, nothing released that was not marked, no orphan.
 *
 * The project writes the state once per run (PULUMI_SKIP_CHECKPOINTS, src/pulumi/environment.ts),
 * so a killed run records nothing: every re-run repeats the killed run's creates, and each must
 * find what the killed run made (creation markers) instead of making it again.
 *
 * One stack, in order, like a team's history: each case adds to (or releases from) what the
 * previous ones built.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import { DEFAULT_AUTH_TOKEN } from "../../src/emulator/server";
import { ensurePulumiCli, LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { repoRoot } from "../../src/util/repo-root";
import { type AccountsStack, createAccountsStack, twilioSteps } from "../support/accounts-stack";
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

const [first, second, third] = THREE_ACCOUNTS as [TestAccount, TestAccount, TestAccount];
const fourth: TestAccount = {
  id: "5d2b1c8e-4a7f-4b0e-9c61-2f8e7a3d9b40",
  name: "Westmount Dental Care",
  areaCode: "514",
};
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: AccountsStack;
/** Every exchange with the emulator since the stack was made (the request log is cleared per run). */
const history: RequestLogEntry[] = [];
/** Called with each exchange while a crash is armed. */
let onExchange: ((entry: RequestLogEntry) => void) | undefined;

beforeAll(async () => {
  stack = await createAccountsStack({
    onExchange: (entry) => {
      history.push(entry);
      onExchange?.(entry);
    },
  });
});

afterAll(async () => {
  await stack?.dispose();
});

/**
 * Runs `pulumi up` and kills it (CLI and plugins) when the emulator has handled the first request
 * with this operationId; with `dropAnswer`, that request is carried out but its answer never sent.
 * Then checks that nothing of the killed run reaches Twilio any more.
 */
async function upKilledAt(operationId: string, options: { dropAnswer?: boolean } = {}) {
  const killed = new AbortController();
  let killedAt = 0;
  if (options.dropAnswer)
    stack.emulator.faults.set({ dropAfterPurchase: { count: 1, match: { operationId } } });
  onExchange = (entry) => {
    if (entry.operationId !== operationId || killed.signal.aborted) return;
    killedAt = Date.now();
    killed.abort();
  };
  try {
    // Killed mid-way on purpose: this run cannot match a preview (the re-run is held to one).
    const crashed = await stack.pulumi(["up", "--yes", "--skip-preview"], {
      check: false,
      signal: killed.signal,
    });
    expect(killed.signal.aborted, `the up never sent ${operationId}:\n${crashed.output}`).toBe(
      true,
    );
    expect(crashed.code).not.toBe(0);
  } finally {
    onExchange = undefined;
    stack.emulator.faults.clear();
  }
  // A provider that survived the kill would go on (retry, attach, …) within this time. (100 ms of
  // grace: a request already on the wire at the kill may be read a moment later.)
  await sleep(1_500);
  const late = history.filter((entry) => Date.parse(entry.time) > killedAt + 100);
  expect(late.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
}

/** The documented recovery, as an operator runs it. */
async function recover(): Promise<string> {
  const { stdout, stderr } = await run(
    join(repoRoot, "node_modules", ".bin", "tsx"),
    ["src/cli/pulumi.ts", "recover", "--stack", stack.stack],
    { cwd: repoRoot, env: wrapperEnv() },
  );
  expect(stdout).toContain(`stack ${stack.stack} recovered`);
  return stdout + stderr;
}

function wrapperEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PULUMI_CLI_BIN: ensurePulumiCli(),
    PULUMI_BACKEND_URL: `file://${stack.ws.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
    TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN,
  };
}

/**
 * Re-run after the recovery (doing what its preview plans: the killed run's creates again, each
 * finding what the killed run made), then a no-op up: converged, and the second run changes nothing.
 */
async function rerunAndConverge(): Promise<void> {
  await previewThenUp(stack);
  stack.emulator.requestLog.clear();
  const noop = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(changingSteps(noop.events)).toEqual([]);
  expect(stack.emulator.requestLog.countMutations()).toBe(0);
}

const serviceName = (account: TestAccount) => `${account.name} - Parlae`;

/**
 * Twilio holds exactly the active accounts' objects: per account one number, one service (found
 * by name) and that number in that service's pool; nothing else.
 */
async function expectTwilioHolds(active: TestAccount[]): Promise<void> {
  const numbers = await stack.twilio.incomingPhoneNumbers.list();
  const services = await stack.twilio.messaging.v1.services.list();
  expect(numbers).toHaveLength(active.length);
  expect(services.map((s) => s.friendlyName.replace(/ \[tm-[0-9a-f]{8}\]$/, "")).sort()).toEqual(
    active.map(serviceName).sort(),
  );
  const outputs = (await stack.outputs()).accounts as Array<{
    accountId: string;
    messagingServiceSid: string;
    numbers: Array<{ sid: string }>;
  }>;
  for (const account of active) {
    const output = outputs.find((o) => o.accountId === account.id);
    const service = services.find((s) => s.friendlyName.startsWith(serviceName(account)));
    expect(output?.messagingServiceSid).toBe(service?.sid);
    const pool = await stack.twilio.messaging.v1.services(service?.sid ?? "").phoneNumbers.list();
    expect(pool.map((n) => n.sid)).toEqual(output?.numbers.map((n) => n.sid));
    expect(numbers.map((n) => n.sid)).toContain(output?.numbers[0]?.sid);
  }
}

/** Requests with this operationId that Twilio carried out (answered 2xx, or answer dropped). */
function carriedOut(operationId: string): RequestLogEntry[] {
  return history.filter(
    (e) => e.operationId === operationId && (e.status === null || (e.status ?? 0) < 300),
  );
}

describe("pulumi up killed while its Twilio calls are in flight, then recovered and re-run", () => {
  it("at the Messaging Service create (answer lost): one service, adopted by its marker", async () => {
    stack.writeAccounts(accountsYaml([first]));
    await upKilledAt("CreateService", { dropAnswer: true });
    expect(await stack.twilio.messaging.v1.services.list()).toHaveLength(1);

    await recover();
    await rerunAndConverge();
    await expectTwilioHolds([first]);
    expect(carriedOut("CreateService")).toHaveLength(1);
  });

  it("at the purchase, with the number's friendly name changed before the re-run: bought once", async () => {
    stack.writeAccounts(accountsYaml([first, second]));
    await upKilledAt("CreateIncomingPhoneNumber");
    const [bought] = carriedOut("CreateIncomingPhoneNumber").slice(-1);

    // The hole this closes: the purchase is found by its marker, not by the whole friendly name.
    stack.writeAccounts(accountsYaml([first, { ...second, friendlyName: "Plateau - renamed" }]));
    await recover();
    await rerunAndConverge();
    await expectTwilioHolds([first, second]);
    expect(carriedOut("CreateIncomingPhoneNumber")).toHaveLength(2);
    const sid = (bought?.responseBody as { sid?: string } | undefined)?.sid ?? "";
    const number = await stack.twilio.incomingPhoneNumbers(sid).fetch();
    expect(number.friendlyName).toMatch(/^Plateau - renamed \[tm-[0-9a-f]{8}\]$/);
  });

  it("at the attachment: the number is attached once (21710 adopts it)", async () => {
    stack.writeAccounts(accountsYaml([first, second, third]));
    await upKilledAt("CreatePhoneNumber");

    await recover();
    await rerunAndConverge();
    await expectTwilioHolds([first, second, third]);
    expect(carriedOut("CreateIncomingPhoneNumber")).toHaveLength(3);
    expect(carriedOut("CreateService")).toHaveLength(3);
    expect(carriedOut("CreatePhoneNumber")).toHaveLength(3);
  });

  it("at a release: released once, 'already gone' counts as done, nothing else released", async () => {
    const [released] = (await stack.outputs()).accounts as Array<{
      numbers: Array<{ sid: string }>;
    }>;
    stack.writeAccounts(accountsYaml([{ ...first, release: true }, second, third]));
    await upKilledAt("DeleteIncomingPhoneNumber");

    await recover();
    await rerunAndConverge();
    await expectTwilioHolds([second, third]);
    // Every release request of the whole history named the marked account's number.
    const releases = history.filter((e) => e.operationId === "DeleteIncomingPhoneNumber");
    expect(releases.length).toBeGreaterThanOrEqual(1);
    for (const request of releases) expect(request.path).toContain(released?.numbers[0]?.sid);
    expect(carriedOut("DeleteIncomingPhoneNumber")).toHaveLength(1);
  });
});

describe("a lost answer without a kill", () => {
  it("to a Messaging Service create: the provider lists again and adopts it, in the same run", async () => {
    stack.emulator.faults.set({ dropAfterPurchase: { match: { operationId: "CreateService" } } });
    stack.writeAccounts(accountsYaml([{ ...first, release: true }, second, third, fourth]));
    try {
      // The lost answer is handled inside the create (adopted by its marker), so the run still does
      // what its preview planned.
      await previewThenUp(stack);
    } finally {
      stack.emulator.faults.clear();
    }
    await expectTwilioHolds([second, third, fourth]);
    const lastCreate = carriedOut("CreateService").at(-1);
    expect(lastCreate?.status).toBeNull(); // the answer was lost, and no second create followed
    expect(carriedOut("CreateService")).toHaveLength(4);
  });
});

describe("npm run pulumi -- recover", () => {
  it("repairs a stack a kill left failing 'failed to load checkpoint: EOF' (empty metadata sidecar)", async () => {
    const sidecar = stateFile(".json.attrs");
    writeFileSync(sidecar, ""); // what a kill between truncating and writing the sidecar leaves
    const broken = await stack.pulumi(["preview"], { check: false });
    expect(broken.output).toContain("failed to load checkpoint: EOF");

    const output = await recover();
    expect(output).toContain(`removed a broken metadata sidecar: ${sidecar}`);
    const preview = await stack.pulumi(["preview"]);
    expect(twilioSteps(preview.events).every((step) => step.startsWith("same "))).toBe(true);
  });

  it("refuses, changing nothing, while a live pulumi on this machine holds the stack's lock", async () => {
    const lock = join(
      stack.ws.stateDir,
      ".pulumi",
      "locks",
      "organization",
      "twilio-messaging",
      stack.stack,
      "held-by-a-live-process.json",
    );
    mkdirSync(join(lock, ".."), { recursive: true });
    writeFileSync(
      lock,
      JSON.stringify({
        pid: process.pid,
        username: "ci",
        hostname: hostname(),
        timestamp: new Date().toISOString(),
      }),
    );
    try {
      const refused = await run(
        join(repoRoot, "node_modules", ".bin", "tsx"),
        ["src/cli/pulumi.ts", "recover", "--stack", stack.stack],
        { cwd: repoRoot, env: wrapperEnv() },
      ).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toContain(
        `recover: an update of stack ${stack.stack} is still running (pulumi pid ${process.pid}`,
      );
      expect(existsSync(lock)).toBe(true);
    } finally {
      rmSync(lock, { force: true });
    }
  });
});

function stateFile(suffix: string): string {
  return join(
    stack.ws.stateDir,
    ".pulumi",
    "stacks",
    "twilio-messaging",
    `${stack.stack}${suffix}`,
  );
}
