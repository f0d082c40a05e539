/**
 * `npm run adopt`: rows with a number SID but no Messaging Service SID become accounts YAML that
 * the project's loader accepts; an existing file is not overwritten without --force.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adoptCommand } from "../../src/cli/adopt";
import { runCommand } from "../../src/cli/command";
import { loadAccountsFiles } from "../../src/config/load";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { accountId, emptyTables, numberSid, phoneNumber, seedRow, serviceSid } from "./fixtures";

let scratch: ScratchDatabase;
let db: Database;
const dir = mkdtempSync(join(tmpdir(), "adopt-test-"));

beforeAll(async () => {
  scratch = await createScratchDatabase("adopt_test");
  await migrateDatabase({ databaseUrl: scratch.url });
  db = await openDatabase({ databaseUrl: scratch.url });
});
afterAll(async () => {
  await db?.close();
  await scratch?.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emptyTables(db));

async function adopt(args: string[]) {
  let out = "";
  let err = "";
  const code = await runCommand(adoptCommand(), [...args, "--database-url", scratch.url], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

describe("adopt", () => {
  it("writes YAML adopting the numbers with a SID and no service, grouped by account, that the loader accepts", async () => {
    await seedRow(db, 1, { twilioPhoneNumberSid: numberSid(1) });
    await db.prisma.vapiPhoneNumber.create({
      data: {
        accountId: accountId(1),
        vapiPhoneId: "vapi-1b",
        phoneNumber: "+15145559999",
        name: "Main Line",
        twilioPhoneNumberSid: numberSid(11),
      },
    });
    await seedRow(db, 2, { twilioPhoneNumberSid: numberSid(2) });
    await seedRow(db, 3, {
      twilioPhoneNumberSid: numberSid(3),
      twilioMessagingServiceSid: serviceSid(3),
    });
    await seedRow(db, 4); // no Twilio SID: nothing to adopt
    await seedRow(db, 5, { twilioPhoneNumberSid: numberSid(5) });
    await db.prisma.vapiPhoneNumber.update({
      where: { phoneNumber: phoneNumber(5) },
      data: { isActive: false },
    });

    const out = join(dir, "adopted.yaml");
    const run = await adopt(["--out", out]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      new RegExp(`^Wrote ${out}: 2 account\\(s\\) adopting 3 number\\(s\\) from postgresql://`),
    );
    expect(run.err).toBe(
      `skipped inactive row: account ${accountId(5)}, ${phoneNumber(5)} (${numberSid(5)}); set isActive to adopt it\n`,
    );
    const yaml = readFileSync(out, "utf8");
    expect(
      yaml
        .split("\n")
        .filter((line) => !line.startsWith("#"))
        .join("\n"),
    ).toBe(
      [
        "accounts:",
        `  - id: ${accountId(1)}`,
        "    name: Clinic 1",
        "    numbers:",
        "      - name: main-line",
        "        adopt:",
        `          sid: ${numberSid(1)}`,
        "        vapiPhoneId: vapi-1",
        "      - name: main-line-2",
        "        adopt:",
        `          sid: ${numberSid(11)}`,
        "        vapiPhoneId: vapi-1b",
        `  - id: ${accountId(2)}`,
        "    name: Clinic 2",
        "    numbers:",
        "      - name: main-line",
        "        adopt:",
        `          sid: ${numberSid(2)}`,
        "        vapiPhoneId: vapi-2",
        "",
      ].join("\n"),
    );
    const config = loadAccountsFiles([out]);
    expect(config.accounts.map((a) => a.numbers.map((n) => n.kind))).toEqual([
      ["adopt", "adopt"],
      ["adopt"],
    ]);
  });

  it("refuses to overwrite an existing file without --force, and overwrites with it", async () => {
    await seedRow(db, 1, { twilioPhoneNumberSid: numberSid(1) });
    const out = join(dir, "existing.yaml");
    writeFileSync(out, "# mine\n");
    const refused = await adopt(["--out", out]);
    expect(refused).toMatchObject({ code: 1, out: "" });
    expect(refused.err).toBe(
      `error: ${out} exists; pass --force to overwrite it\nNothing was written.\n`,
    );
    expect(readFileSync(out, "utf8")).toBe("# mine\n");
    const forced = await adopt(["--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(`sid: ${numberSid(1)}`);
  });

  it("writes nothing when a row cannot be expressed as YAML, and says which", async () => {
    await seedRow(db, 1, { twilioPhoneNumberSid: "PN-not-a-sid" });
    const out = join(dir, "bad.yaml");
    const run = await adopt(["--out", out]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^error: the database holds rows the accounts YAML cannot express:\n.*bad\.yaml:\d+:\d+: accounts\[0\]\.numbers\[0\]\.adopt\.sid: .*PN-not-a-sid/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes nothing when there is nothing to adopt, and exits 2 without --out", async () => {
    const out = join(dir, "none.yaml");
    const run = await adopt(["--out", out]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Nothing to adopt/);
    expect(existsSync(out)).toBe(false);
    const usage = await adopt([]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^error: --out FILE is required\n\nUsage: npm run adopt/);
  });
});
