/**
 * The command scaffold (src/cli/command.ts) as a person meets it: every `npm run` command's entry
 * point is in src/cli/, answers --help with exit 0 and a command line it cannot use with exit 2
 * and its usage text; relative paths start in the directory the person ran npm in.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { a2pRefreshCommand } from "../../src/cli/a2p-refresh";
import { adoptCommand } from "../../src/cli/adopt";
import { applyCommand } from "../../src/cli/apply";
import { type AnyCommand, invocationDir, runCommand } from "../../src/cli/command";
import { dbGenerateCommand } from "../../src/cli/db-generate";
import { dbMigrateCommand } from "../../src/cli/db-migrate";
import { emulatorCommand } from "../../src/cli/emulator";
import { planCommand } from "../../src/cli/plan";
import { planApprovalCommand } from "../../src/cli/plan-approval";
import { planMergeCommand } from "../../src/cli/plan-merge";
import { planNeededCommand } from "../../src/cli/plan-needed";
import { pulumiCommand } from "../../src/cli/pulumi";
import { schemaCommand } from "../../src/cli/schema";
import { sendCommand } from "../../src/cli/send";
import { shardMoveCommand } from "../../src/cli/shard-move";
import { shardStackCommand } from "../../src/cli/shard-stack";
import { shardTouchedCommand } from "../../src/cli/shard-touched";
import { startCommand } from "../../src/cli/start";
import { syncCommand } from "../../src/cli/sync";
import { validateCommand } from "../../src/cli/validate";
import { loadAccountsFiles } from "../../src/config/load";
import { type Database, migrateDatabase, openDatabase } from "../../src/db";
import { repoRoot } from "../../src/util/repo-root";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { runCommand as runProcess } from "../support/run-command";
import { numberSid, seedRow } from "../sync/fixtures";

const COMMANDS: Record<string, AnyCommand> = {
  validate: validateCommand,
  plan: planCommand,
  "plan:approval": planApprovalCommand,
  "a2p:refresh": a2pRefreshCommand,
  "plan:needed": planNeededCommand,
  "plan:merge": planMergeCommand,
  "shard:touched": shardTouchedCommand,
  "shard:stack": shardStackCommand,
  "shard:move": shardMoveCommand,
  apply: applyCommand,
  sync: syncCommand(),
  send: sendCommand,
  adopt: adoptCommand(),
  "db:migrate": dbMigrateCommand,
  "db:generate": dbGenerateCommand,
  schema: schemaCommand,
  emulator: emulatorCommand,
  pulumi: pulumiCommand,
  start: startCommand,
};

async function run(command: AnyCommand, args: string[]) {
  let out = "";
  let err = "";
  const code = await runCommand(command, args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

describe("every npm run command", () => {
  const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"))
    .scripts as Record<string, string>;

  it("has its entry point in src/cli/ (benchmarks in bench/, tools in scripts/)", () => {
    for (const [name, line] of Object.entries(scripts)) {
      const entry = /^tsx (\S+)$/.exec(line)?.[1];
      if (entry === undefined) continue;
      expect(entry, `npm run ${name}`).toMatch(
        name.startsWith("bench:") ? /^bench\/[\w-]+\.ts$/ : /^src\/cli\/[\w-]+\.ts$/,
      );
      if (entry.startsWith("src/cli/")) {
        expect(COMMANDS[name]?.script, `npm run ${name} is declared for its own script`).toBe(name);
      }
    }
  });

  it.each(Object.entries(COMMANDS))("%s answers --help with exit 0", async (_name, command) => {
    const help = await run(command, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npm (run \S+|start)/);
    expect(help.err).toBe("");
  });

  it.each(
    Object.entries(COMMANDS).filter(([name]) => name !== "pulumi"), // its options are Pulumi's
  )(
    "%s refuses an unknown option with exit 2, the reason and the usage",
    async (_name, command) => {
      const refused = await run(command, ["--no-such-option"]);
      expect(refused.code).toBe(2);
      expect(refused.out).toBe("");
      expect(refused.err).toMatch(/^[\w ]+: .*--no-such-option.*\n\nUsage: npm (run \S+|start)/);
    },
  );
});

describe("where relative paths start", () => {
  it("is INIT_CWD while npm runs the command's own script, else the working directory", () => {
    const npm = { npm_lifecycle_event: "adopt", INIT_CWD: "/home/me/project/config" };
    expect(invocationDir("adopt", npm, "/home/me/project")).toBe("/home/me/project/config");
    // A test or a tsx run started by another script inherits INIT_CWD: it is not theirs.
    expect(invocationDir("adopt", { ...npm, npm_lifecycle_event: "test" }, "/elsewhere")).toBe(
      "/elsewhere",
    );
    expect(invocationDir("adopt", {}, "/elsewhere")).toBe("/elsewhere");
  });

  describe("npm run from a subfolder of the project", () => {
    let scratch: ScratchDatabase;
    let db: Database;
    let subfolder: string;
    /** Unique, so a failing run that writes into the project root leaves nothing of a person's. */
    const out = `legacy-${process.pid}.yaml`;

    beforeAll(async () => {
      scratch = await createScratchDatabase("cli_paths");
      await migrateDatabase({ databaseUrl: scratch.url });
      db = await openDatabase({ databaseUrl: scratch.url });
      await seedRow(db, 1, { twilioPhoneNumberSid: numberSid(1) });
      mkdirSync(join(repoRoot, ".local"), { recursive: true });
      subfolder = mkdtempSync(join(repoRoot, ".local", "cli-paths-"));
    });
    afterAll(async () => {
      await db?.close();
      await scratch?.drop();
      if (subfolder) rmSync(subfolder, { recursive: true, force: true });
      rmSync(join(repoRoot, out), { force: true });
    });

    /** `npm run <script> -- …args` in the subfolder, as a person standing there types it. */
    function npmRun(script: string, args: string[]) {
      return runProcess("npm", ["run", "--silent", script, "--", ...args], {
        cwd: subfolder,
        env: { ...process.env, DATABASE_URL: "" },
      });
    }

    it("adopt writes --out there, and validate reads it from there", async () => {
      const adopt = await npmRun("adopt", ["--out", out, "--database-url", scratch.url]);
      expect(adopt.code, adopt.stderr).toBe(0);
      expect(adopt.stdout).toContain(`Wrote ${out}: 1 account(s) adopting 1 number(s)`);
      const written = join(subfolder, out);
      expect(existsSync(written)).toBe(true);
      expect(existsSync(join(repoRoot, out))).toBe(false);
      expect(loadAccountsFiles([written]).accounts[0]?.numbers[0]).toMatchObject({
        kind: "adopt",
        sid: numberSid(1),
      });

      const validate = await npmRun("validate", [out]);
      expect(validate).toEqual({
        code: 0,
        stdout: "ok: 1 account (1 number) in 1 file\n",
        stderr: "",
      });
    });
  });
});
