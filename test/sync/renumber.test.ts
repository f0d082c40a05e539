/**
 * A number bought again after it vanished from Twilio (issue 16, item 2): the stack output names
 * the SID it replaces (`replacesSid`), and the sync moves the row holding that SID to the new
 * phone number and SIDs ("renumbered"), or reports a conflict when that row is not this number's.
 * The planner's rules first, then the real sync on PostgreSQL and on PGlite through `npm run
 * sync`'s command (rendered text and --json).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/command";
import { syncCommand } from "../../src/cli/sync";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { parseStackOutputs, type StackAccountOutput } from "../../src/sync/contract";
import { type PhoneRow, planSync } from "../../src/sync/plan";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import {
  accountId,
  activeAccount,
  emptyTables,
  mainNumber,
  numberSid,
  outputsOf,
  phoneNumber,
  rowContents,
  seedRow,
  serviceSid,
  vapiPhoneId,
  withMainNumber,
} from "./fixtures";

/** Account 1's number main, bought again: now number 11, replacing number 1's SID. */
function reboughtAccount(options: { vapiPhoneId?: string | null } = {}): StackAccountOutput {
  return withMainNumber(activeAccount(1, options), {
    phoneNumber: phoneNumber(11),
    sid: numberSid(11),
    replacesSid: numberSid(1),
  });
}

/** Row n as the last sync left it: number n's phone number and SIDs. */
function syncedRow(n: number, fields: Partial<PhoneRow> = {}): PhoneRow {
  return {
    id: `row-${n}`,
    accountId: accountId(n),
    vapiPhoneId: vapiPhoneId(n),
    phoneNumber: phoneNumber(n),
    twilioPhoneNumberSid: numberSid(n),
    twilioMessagingServiceSid: serviceSid(n),
    isActive: true,
    ...fields,
  };
}

const noAccounts = new Set<string>();

describe("the contract", () => {
  it("reads replacesSid on a number bought again, and refuses one equal to the number's own SID", () => {
    const outputs = parseStackOutputs(JSON.stringify(outputsOf([reboughtAccount()])), "test");
    expect(mainNumber(outputs.accounts[0] as StackAccountOutput).replacesSid).toBe(numberSid(1));
    const same = withMainNumber(activeAccount(1), { replacesSid: numberSid(1) });
    expect(() => parseStackOutputs(JSON.stringify(outputsOf([same])), "test")).toThrow(
      /accounts\[0\]\.numbers\[0\]\.replacesSid: a number replaces another SID than its own/,
    );
  });
});

describe("planning a number bought again", () => {
  it.each([
    ["with its vapiPhoneId", vapiPhoneId(1)],
    ["without a vapiPhoneId", null],
  ])("moves the row holding the replaced SID to the new number (%s)", (_, vapi) => {
    const plan = planSync(
      outputsOf([reboughtAccount({ vapiPhoneId: vapi })]),
      [syncedRow(1)],
      noAccounts,
    );
    expect(plan.renumbers).toEqual([
      {
        accountId: accountId(1),
        number: "main",
        phoneNumber: phoneNumber(11),
        sid: numberSid(11),
        vapiPhoneId: vapi,
        rowId: "row-1",
        previousPhoneNumber: phoneNumber(1),
        previousSid: numberSid(1),
        twilioMessagingServiceSid: serviceSid(1),
      },
    ]);
    expect(plan).toMatchObject({
      creates: [],
      updates: [],
      unchanged: 0,
      unmatched: [],
      conflicts: [],
    });
  });

  it("matches the row of the new number as usual once a sync moved it (nothing to renumber)", () => {
    const moved = syncedRow(1, {
      phoneNumber: phoneNumber(11),
      twilioPhoneNumberSid: numberSid(11),
    });
    const plan = planSync(outputsOf([reboughtAccount()]), [moved], noAccounts);
    expect(plan).toMatchObject({ renumbers: [], updates: [], unchanged: 1, conflicts: [] });
  });

  it.each([
    [
      "a row of another account",
      syncedRow(1, { accountId: accountId(2) }),
      `row row-1 for ${phoneNumber(1)} (replaced by ${phoneNumber(11)}) belongs to account ${accountId(2)}`,
    ],
    [
      "a row with another vapiPhoneId",
      syncedRow(1, { vapiPhoneId: "vapi-other" }),
      `row row-1 for ${phoneNumber(1)} (replaced by ${phoneNumber(11)}) has vapiPhoneId vapi-other, the YAML says vapi-1`,
    ],
  ])("reports %s holding the replaced SID as a conflict and moves nothing", (_, row, reason) => {
    const plan = planSync(outputsOf([reboughtAccount()]), [row], noAccounts);
    expect(plan.conflicts.map((c) => c.reason)).toEqual([reason]);
    expect(plan).toMatchObject({ renumbers: [], updates: [], creates: [], unchanged: 0 });
  });

  it("reports a conflict when another number of the outputs already matched the replaced SID's row", () => {
    // Number main still holds the old SID and phone number; number "second" claims to replace it.
    const account = activeAccount(1);
    const twice: StackAccountOutput = {
      ...account,
      numbers: [
        mainNumber(account),
        {
          name: "second",
          phoneNumber: phoneNumber(11),
          sid: numberSid(11),
          vapiPhoneId: null,
          released: false,
          replacesSid: numberSid(1),
        },
      ],
    };
    const plan = planSync(outputsOf([twice]), [syncedRow(1)], noAccounts);
    expect(plan.unchanged).toBe(1);
    expect(plan.renumbers).toEqual([]);
    expect(plan.conflicts.map((c) => [c.number, c.reason])).toEqual([
      [
        "second",
        `row row-1 (${phoneNumber(1)}) is already matched by number 'main' of account ${accountId(1)}`,
      ],
    ]);
  });

  it("without replacesSid, the same outputs find no row (the gap this closes)", () => {
    const { replacesSid: _, ...withoutReplaces } = mainNumber(reboughtAccount());
    const account = { ...reboughtAccount(), numbers: [withoutReplaces] };
    const plan = planSync(outputsOf([account]), [syncedRow(1)], noAccounts);
    expect(plan.renumbers).toEqual([]);
    expect(plan.conflicts.map((c) => c.reason)).toEqual([
      `vapiPhoneId vapi-1 belongs to row row-1 of another phone number, ${phoneNumber(1)}`,
    ]);
  });
});

interface Target {
  label: string;
  setUp(): Promise<Database>;
  tearDown(): Promise<void>;
  cli(): { args: string[]; injected: { database?: Database } };
}

function postgres(): Target {
  let scratch: ScratchDatabase;
  let db: Database;
  return {
    label: "PostgreSQL",
    async setUp() {
      scratch = await createScratchDatabase("sync_renumber_test");
      await migrateDatabase({ databaseUrl: scratch.url });
      db = await openDatabase({ databaseUrl: scratch.url });
      return db;
    },
    async tearDown() {
      await db?.close();
      await scratch?.drop();
    },
    cli: () => ({ args: ["--database-url", scratch.url], injected: {} }),
  };
}

function embedded(): Target {
  let db: Database;
  return {
    label: "embedded PGlite",
    async setUp() {
      db = await openDatabase({ databaseUrl: "", embeddedDir: "memory://" });
      return db;
    },
    tearDown: async () => db?.close(),
    cli: () => ({ args: [], injected: { database: db } }),
  };
}

const workDir = mkdtempSync(join(tmpdir(), "sync-renumber-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe.each([postgres(), embedded()])(
  "the sync of a number bought again, on $label",
  (target) => {
    let db: Database;
    beforeAll(async () => {
      db = await target.setUp();
    });
    afterAll(() => target.tearDown());
    beforeEach(() => emptyTables(db));

    async function cli(args: string[]) {
      let out = "";
      let err = "";
      const { args: dbArgs, injected } = target.cli();
      const code = await runCommand(syncCommand(injected), [...args, ...dbArgs], {
        out: (t) => (out += t),
        err: (t) => (err += t),
      });
      return { code, out, err };
    }

    it.each([
      ["with its vapiPhoneId", vapiPhoneId(1)],
      ["without a vapiPhoneId", null],
    ])(
      "moves the row to the new phone number and SIDs, says so, and is unchanged the next time (%s)",
      async (_, vapi) => {
        await seedRow(db, 1, {
          twilioPhoneNumberSid: numberSid(1),
          twilioMessagingServiceSid: serviceSid(1),
        });
        const file = join(workDir, `rebought-${target.label}-${vapi}.json`);
        writeFileSync(file, JSON.stringify(outputsOf([reboughtAccount({ vapiPhoneId: vapi })])));

        const dry = await cli(["--outputs", file, "--dry-run"]);
        expect(dry.code, dry.out + dry.err).toBe(0);
        expect(dry.out).toContain(
          "  unchanged          0\n  deactivated        0\n  renumbered         1  (the customer's number changed)\n  unmatched          0\n  conflicts          0\n",
        );
        expect(dry.out).toMatch(
          new RegExp(
            `\\nRenumbered \\(bought again after it vanished from Twilio; the row moved to the new number\\):\\n  account ${accountId(1)}  number main  row [0-9a-f-]{36}: \\${phoneNumber(1)} \\(${numberSid(1)}\\) -> \\${phoneNumber(11)} \\(${numberSid(11)}\\)\\n`,
          ),
        );

        const real = await cli(["--outputs", file, "--json"]);
        expect(real.code, real.out + real.err).toBe(0);
        expect(JSON.parse(real.out)).toEqual({
          created: 0,
          updated: 0,
          unchanged: 0,
          deactivated: 0,
          parked: 0,
          renumbered: [
            {
              accountId: accountId(1),
              number: "main",
              phoneNumber: phoneNumber(11),
              sid: numberSid(11),
              vapiPhoneId: vapi,
              rowId: expect.stringMatching(/^[0-9a-f-]{36}$/),
              previousPhoneNumber: phoneNumber(1),
              previousSid: numberSid(1),
            },
          ],
          unmatched: [],
          conflicts: [],
        });
        expect(await rowContents(db)).toEqual([
          {
            accountId: accountId(1),
            vapiPhoneId: vapiPhoneId(1),
            phoneNumber: phoneNumber(11),
            name: "Main Line",
            twilioPhoneNumberSid: numberSid(11),
            twilioMessagingServiceSid: serviceSid(1),
            isActive: true,
          },
        ]);

        const again = await cli(["--outputs", file]);
        expect(again.code).toBe(0);
        expect(again.out).toContain(
          "  unchanged          1\n  deactivated        0\n  unmatched          0\n",
        );
        expect(again.out).not.toContain("renumbered");
      },
    );

    it("leaves a row of another account holding the replaced SID alone, as a conflict (exit 1)", async () => {
      await seedRow(db, 2, { twilioPhoneNumberSid: numberSid(1) });
      const before = await rowContents(db);
      const file = join(workDir, `other-account-${target.label}.json`);
      writeFileSync(file, JSON.stringify(outputsOf([reboughtAccount({ vapiPhoneId: null })])));
      const run = await cli(["--outputs", file]);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(
        new RegExp(
          `\\n    row [0-9a-f-]{36} for \\${phoneNumber(2)} \\(replaced by \\${phoneNumber(11)}\\) belongs to account ${accountId(2)}\\n`,
        ),
      );
      expect(run.out).not.toContain("renumbered");
      expect(await rowContents(db)).toEqual(before);
    });
  },
);
