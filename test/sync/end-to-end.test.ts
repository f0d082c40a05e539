/**
 * The sync end to end, on one shared stack: accounts YAML → real `pulumi up` against the Twilio
 * emulator → `npm run sync -- --stack` (a real process reading `pulumi stack output --json`) →
 * rows hold the SIDs the emulator issued. Then a release, and then `npm run adopt` bringing legacy
 * rows (numbers already in the emulator) under code: preview shows adoptions only, up, sync.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { LOCAL_STACK_PASSPHRASE } from "../../src/pulumi/environment";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";
import { changingSteps, previewThenUp } from "../support/preview-then-up";

const run = promisify(execFile);

const DOWNTOWN = {
  id: "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11",
  name: "Downtown Montreal Dentistry",
};
const PLATEAU = {
  id: "7c9e1041-f9df-45aa-8318-1b59c5c36511",
  name: "Clinique Dentaire du Plateau",
};
/** A customer from before this project: its number is in Twilio and in the database, no service. */
const LEGACY = {
  id: "b329f0bd-3fcd-472f-ac93-596b2f650edc",
  name: "Kitsilano Family Dental",
  phoneNumber: "+16045550142",
  sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4",
  vapiPhoneId: "79b2539f-05e5-46dd-b59e-4c002406e9b2",
};

function accountsYaml(options: { releasePlateau?: boolean } = {}): string {
  // Montreal clinics: 514 and 438 are Canadian area codes (the default country is US).
  return `defaults:
  country: CA
  releaseAfterDays: 0
accounts:
  - id: ${DOWNTOWN.id}
    name: ${DOWNTOWN.name}
    numbers:
      - name: main
        areaCode: "514"
        vapiPhoneId: vapi-downtown
  - id: ${PLATEAU.id}
    name: ${PLATEAU.name}
    numbers:
      - name: main
        areaCode: "438"
        vapiPhoneId: vapi-plateau-main
      - name: after-hours
        areaCode: "514"
        vapiPhoneId: vapi-plateau-after-hours${options.releasePlateau ? "\n        release: true" : ""}
`;
}

let stack: AccountsStack;
let scratch: ScratchDatabase;
let db: Database;
let dir: string;

beforeAll(async () => {
  scratch = await createScratchDatabase("sync_e2e");
  await migrateDatabase({ databaseUrl: scratch.url });
  db = await openDatabase({ databaseUrl: scratch.url });
  stack = await createAccountsStack({
    seedPhoneNumbers: [
      { phoneNumber: LEGACY.phoneNumber, sid: LEGACY.sid, friendlyName: "Kitsilano" },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), "sync-e2e-"));
});

afterAll(async () => {
  await stack?.dispose();
  await db?.close();
  await scratch?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs an npm script's entry point as a person would, in its own process. */
async function cli(script: "sync" | "adopt", args: string[]) {
  const entry = join(repoRoot, "src", "cli", `${script}.ts`);
  try {
    const { stdout, stderr } = await run(
      join(repoRoot, "node_modules", ".bin", "tsx"),
      [entry, ...args, "--database-url", scratch.url],
      {
        cwd: repoRoot,
        // What a CI job gives the sync: the backend and its passphrase (a backend named in
        // PULUMI_BACKEND_URL never gets the local stacks' passphrase by default).
        env: {
          ...process.env,
          PULUMI_BACKEND_URL: `file://${stack.ws.stateDir}`,
          PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
          DATABASE_URL: "",
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function rows() {
  return db.prisma.vapiPhoneNumber.findMany({
    orderBy: { vapiPhoneId: "asc" },
    select: {
      accountId: true,
      vapiPhoneId: true,
      phoneNumber: true,
      twilioPhoneNumberSid: true,
      twilioMessagingServiceSid: true,
      isActive: true,
    },
  });
}

/** What Twilio (the emulator) holds: number → [number SID, service SID]. */
async function twilioTruth(): Promise<Map<string, [string, string | null]>> {
  const truth = new Map<string, [string, string | null]>();
  for (const number of await stack.twilio.incomingPhoneNumbers.list()) {
    truth.set(number.phoneNumber, [number.sid, null]);
  }
  for (const service of await stack.twilio.messaging.v1.services.list()) {
    for (const attached of await stack.twilio.messaging.v1
      .services(service.sid)
      .phoneNumbers.list()) {
      truth.set(attached.phoneNumber, [attached.sid, service.sid]);
    }
  }
  return truth;
}

function summary(
  counts: Record<string, number>,
  accounts: number,
  numbers: number,
  note = "",
): string {
  const row = (label: string) =>
    `  ${label.padEnd(11)}  ${String(counts[label] ?? 0).padStart(7)}${label === "created" ? note : ""}`;
  return [
    `sync of stack ${stack.stack} into ${scratch.url}: ${accounts} account(s), ${numbers} number(s)`,
    "",
    `  ${"".padEnd(11)}  numbers`,
    ...["created", "updated", "unchanged", "deactivated", "unmatched", "conflicts"].map(row),
    "",
    "Done.",
    "",
  ].join("\n");
}

describe("sync after a deployment", () => {
  it("writes the SIDs the emulator issued into new rows, printing the summary", async () => {
    stack.writeAccounts(accountsYaml());
    await previewThenUp(stack);
    const sync = await cli("sync", ["--stack", stack.stack]);
    expect(sync.stderr).toBe("");
    expect(sync.stdout).toBe(summary({ created: 3 }, 2, 3, "  (2 new Account rows)"));
    expect(sync.code).toBe(0);

    const truth = await twilioTruth();
    const synced = await rows();
    expect(synced).toHaveLength(3);
    for (const row of synced) {
      expect([row.twilioPhoneNumberSid, row.twilioMessagingServiceSid]).toEqual(
        truth.get(row.phoneNumber),
      );
      expect(row.twilioPhoneNumberSid).toMatch(/^PN[0-9a-f]{32}$/);
      expect(row.twilioMessagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
      expect(row.isActive).toBe(true);
    }
    expect(synced.map((r) => [r.vapiPhoneId, r.accountId])).toEqual([
      ["vapi-downtown", DOWNTOWN.id],
      ["vapi-plateau-after-hours", PLATEAU.id],
      ["vapi-plateau-main", PLATEAU.id],
    ]);

    const again = await cli("sync", ["--stack", stack.stack]);
    expect(again.stdout).toBe(summary({ unchanged: 3 }, 2, 3));
  });

  it("deactivates exactly the released number's row after release: true and up", async () => {
    const before = await rows();
    stack.writeAccounts(accountsYaml({ releasePlateau: true }));
    await previewThenUp(stack);
    const sync = await cli("sync", ["--stack", stack.stack]);
    expect(sync.stdout).toBe(summary({ unchanged: 2, deactivated: 1 }, 2, 3));
    const after = await rows();
    expect(after).toEqual(
      before.map((row) =>
        row.vapiPhoneId === "vapi-plateau-after-hours"
          ? { ...row, twilioPhoneNumberSid: null, twilioMessagingServiceSid: null, isActive: false }
          : row,
      ),
    );
  });
});

describe("sync of a stack that cannot be read", () => {
  it("names the stack and Pulumi's reason, writes nothing, exits 1", async () => {
    const before = await rows();
    const sync = await cli("sync", ["--stack", "no-such-stack"]);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toBe("");
    expect(sync.stderr).toBe(
      "error: cannot read the outputs of stack no-such-stack: pulumi stack output exited with 6: error: no stack named 'no-such-stack' found\nNothing was written.\n",
    );
    expect(await rows()).toEqual(before);
  });
});

describe("bringing a legacy account under code", () => {
  it("adopt writes YAML whose preview shows adoptions only; up and sync complete the rows", async () => {
    await db.prisma.account.create({ data: { id: LEGACY.id, name: LEGACY.name } });
    await db.prisma.vapiPhoneNumber.create({
      data: {
        accountId: LEGACY.id,
        vapiPhoneId: LEGACY.vapiPhoneId,
        phoneNumber: LEGACY.phoneNumber,
        twilioPhoneNumberSid: LEGACY.sid,
        name: "Main Line",
      },
    });
    const adoptedFile = join(dir, "adopted.yaml");
    const mutationsBefore = stack.emulator.requestLog.countMutations();
    const adopt = await cli("adopt", ["--out", adoptedFile]);
    expect(adopt.stderr).toBe("");
    expect(adopt.stdout).toMatch(
      new RegExp(`^Wrote ${adoptedFile}: 1 account\\(s\\) adopting 1 number\\(s\\)`),
    );
    expect(adopt.code).toBe(0);
    expect(stack.emulator.requestLog.countMutations()).toBe(mutationsBefore);

    const accountsFile = join(dir, "accounts.yaml");
    writeFileSync(accountsFile, accountsYaml({ releasePlateau: true }));
    await stack.cli(["config", "set", "accountFiles", JSON.stringify([accountsFile, adoptedFile])]);
    const numbersBefore = (await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid).sort();
    const { preview } = await previewThenUp(stack);
    expect(changingSteps(preview.events)).toEqual([
      `create MessagingService ${LEGACY.id}-service`,
      `create PhoneNumber ${LEGACY.id}-main-line`,
      `create ServiceNumber ${LEGACY.id}-main-line-attachment`,
    ]);
    // Adopted, not bought: Twilio holds the same numbers as before.
    expect((await stack.twilio.incomingPhoneNumbers.list()).map((n) => n.sid).sort()).toEqual(
      numbersBefore,
    );

    const sync = await cli("sync", ["--stack", stack.stack]);
    expect(sync.stdout).toBe(summary({ updated: 1, unchanged: 3 }, 3, 4));
    const legacy = await db.prisma.vapiPhoneNumber.findUniqueOrThrow({
      where: { vapiPhoneId: LEGACY.vapiPhoneId },
    });
    const truth = await twilioTruth();
    expect([legacy.twilioPhoneNumberSid, legacy.twilioMessagingServiceSid]).toEqual(
      truth.get(LEGACY.phoneNumber),
    );
    expect(legacy.twilioMessagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
    expect(legacy.isActive).toBe(true);
  });
});
