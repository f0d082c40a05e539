/**
 * The README's first command, end to end: `npm start` in a copy of this checkout (its own .local/,
 * node_modules shared), as a newcomer runs it. The first run deploys the example through the real
 * Pulumi CLI to the emulator, syncs the embedded database and sends one test SMS per account; the
 * second run changes nothing and says so. What is checked is what a person reads on stdout.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/db";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase } from "../db/scratch-postgres";
import { type CommandResult, runCommand } from "../support/run-command";

let checkout: string;

/** A local TCP port nothing listens on (taken from the system, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** `npm start -- <args>` in the copy. */
function npmStart(args: string[]): Promise<CommandResult> {
  return runCommand("npm", ["start", "--silent", "--", ...args], {
    cwd: checkout,
    env: { ...process.env, DATABASE_URL: "" },
  });
}

/** The rows of a table printed by npm start whose first cell is one of the example's accounts. */
function tableRows(stdout: string, header: string): string[] {
  const start = stdout.indexOf(header);
  if (start < 0) return [];
  const lines = stdout.slice(start).split("\n").slice(2);
  const end = lines.findIndex((line) => line.trim() === "");
  return end < 0 ? lines : lines.slice(0, end);
}

beforeAll(() => {
  // The files of this checkout as they are now (tracked and new), without .local/ or node_modules.
  checkout = mkdtempSync(join(tmpdir(), "npm-start-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(checkout, file));
    } catch (error) {
      // A file deleted in the working tree but still tracked is simply not there.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  symlinkSync(join(repoRoot, "node_modules"), join(checkout, "node_modules"));
});

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

describe("npm start on the embedded defaults", () => {
  it("answers --help and refuses a bad option with exit 2", async () => {
    const help = await npmStart(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm start [-- options]");
    const bad = await npmStart(["--port", "not-a-port"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^npm start: --port expects a TCP port, got 'not-a-port'/);
  });

  it("deploys the example, syncs the rows, prints the table and sends one test SMS per account", async () => {
    const run = await npmStart(["--port", "0"]);
    expect(run.code, run.stderr).toBe(0);
    // No plugin warning (issue 16: the dynamic provider plugin sits beside the CLI).
    expect(`${run.stdout}${run.stderr}`).not.toContain("from $PATH");
    // The plan first, as a pull request shows it.
    expect(run.stdout).toContain(
      "4 accounts change · numbers: 4 to buy, 1 to adopt · Messaging Services: 4 to create · attachments: 5 added",
    );
    // The US clinic's registration, planned, then carried to a verified campaign by the one up
    // (npm start's emulator decides each review at once).
    expect(run.stdout).toContain(
      "Seattle Smiles Dental (5d1f2c3b-8a4e-4c2f-9b1d-7e6a5f4c3b2a): create and submit the customer profile (business, representative, address) (now: nothing registered yet)",
    );
    expect(run.stdout).toContain(
      "US A2P 10DLC registrations:\n  Seattle Smiles Dental: registered: campaign VERIFIED (campaign VERIFIED)\n",
    );
    expect(run.stdout).toMatch(/ {2}created {12}5 {2}\(4 new Account rows\)/);
    // One row per number, each with the SIDs the deployment made, active in the database.
    const accounts = tableRows(run.stdout, "account                       number");
    expect(accounts).toHaveLength(5);
    for (const row of accounts) {
      expect(row).toMatch(
        /\+1\d{10} {2}PN[0-9a-f]{32} {2}MG[0-9a-f]{32} {2}[0-9a-f-]{36}: active, SIDs match$/,
      );
    }
    expect(accounts.join("\n")).toContain("+16045550142  PN831c1beb6ad178ed2af5f9757f8aa4a4");
    // One message per account, through its Messaging Service.
    const messages = tableRows(run.stdout, "account                       message SID");
    expect(messages).toHaveLength(4);
    for (const row of messages) expect(row).toMatch(/SM[0-9a-f]{32} +1 +GSM-7 +\$0\.0075/);
    expect(run.stdout).toMatch(
      // 5 rows, and the US account's campaign status.
      /Changed: \d+ changing Twilio call\(s\).*6 database row\(s\) written/,
    );
    // Every step said how long it took.
    for (const step of [
      "pulumi up",
      "sync into VapiPhoneNumber rows",
      "test SMS through the sender",
    ]) {
      expect(run.stderr).toMatch(new RegExp(`\\[start\\] ✓ ${step} \\(\\d+\\.\\d s\\)`));
    }
    // Twilio (the emulator's persisted state) holds those messages, each sent through the service of
    // its account, the sender picked by the service (no From given).
    const state = JSON.parse(readFileSync(join(checkout, ".local", "emulator-state.json"), "utf8"));
    const sent = state.messages as Array<{
      sid: string;
      messagingServiceSid: string;
      senderPickedByService: boolean;
    }>;
    expect(sent.map((m) => m.sid).sort()).toEqual(
      messages.map((row) => /SM[0-9a-f]{32}/.exec(row)?.[0]).sort(),
    );
    for (const message of sent) {
      expect(message.messagingServiceSid).toMatch(/^MG[0-9a-f]{32}$/);
      expect(message.senderPickedByService).toBe(true);
    }
  });

  it("changes nothing on a second run, and says so", async () => {
    const run = await npmStart(["--port", "0", "--no-send"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("No changes to Twilio.");
    expect(run.stdout).toMatch(/ {2}unchanged {10}5\n/);
    expect(run.stdout).toContain(
      "No changes: Twilio already matched the YAML (0 changing calls for numbers, services and attachments) and the database rows were up to date.",
    );
    expect(run.stdout).not.toContain("Test SMS to");
  });

  it("plans the local stack from its state by default (no Twilio read), and reads Twilio with --refresh", async () => {
    // No emulator runs outside npm start: a port where nothing listens shows whether Twilio is read.
    const closed = await closedPort();
    const env = {
      ...process.env,
      DATABASE_URL: "",
      TWILIO_BASE_URL: `http://127.0.0.1:${closed}`,
      NO_COLOR: "1",
    };
    const plan = (args: string[]) =>
      runCommand("npm", ["run", "plan", "--silent", "--", "--stack", "local", ...args], {
        cwd: checkout,
        env,
      });
    const byDefault = await plan(["--format", "text"]);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toContain("No changes to Twilio.");
    const refreshed = await plan(["--format", "text", "--refresh"]);
    expect(refreshed.code).toBe(1);
    expect(refreshed.stderr).toMatch(
      /could not read number PN[0-9a-f]{32}: the connection to Twilio failed \(ECONNREFUSED\)/,
    );
  });

  it("ends with exit 1 when the sync leaves a conflict, and the table names it", async () => {
    // A database where the adopted number already has a row with another Vapi id: the sync must
    // leave that row alone and say so, and npm start must not end as a success.
    const scratch = await createScratchDatabase("start_conflict");
    try {
      await migrateDatabase({ databaseUrl: scratch.url });
      const db = await openDatabase({ databaseUrl: scratch.url });
      try {
        await db.prisma.account.create({
          data: { id: "b329f0bd-3fcd-472f-ac93-596b2f650edc", name: "Kitsilano Family Dental" },
        });
        await db.prisma.vapiPhoneNumber.create({
          data: {
            accountId: "b329f0bd-3fcd-472f-ac93-596b2f650edc",
            vapiPhoneId: "legacy-vapi-id",
            phoneNumber: "+16045550142",
            name: "Main Line",
            vapiAssistantId: "assistant-legacy",
          },
        });
      } finally {
        await db.close();
      }
      const run = await npmStart(["--port", "0", "--database-url", scratch.url]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/ {2}conflicts {10}1\n/);
      const kitsilano = tableRows(run.stdout, "account                       number").filter(
        (row) => row.startsWith("Kitsilano Family Dental"),
      );
      expect(kitsilano).toHaveLength(1);
      expect(kitsilano[0]).toMatch(
        /\+16045550142 {2}PN831c1beb6ad178ed2af5f9757f8aa4a4 {2}MG[0-9a-f]{32} {2}conflict, nothing written: row \S+ for \+16045550142 has vapiPhoneId legacy-vapi-id, the YAML says 79b2539f-05e5-46dd-b59e-4c002406e9b2$/,
      );
      expect(run.stderr).toMatch(
        /^npm start: the sync left 1 conflict\(s\) and 0 unmatched number\(s\)/m,
      );
      expect(run.stdout).not.toContain("Test SMS to");
    } finally {
      await scratch.drop();
    }
  });
});
