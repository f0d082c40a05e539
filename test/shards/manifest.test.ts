/**
 * The shards manifest and the whole set's check (src/shards/), as `npm run validate -- --shards`
 * and `npm run shard:touched` show them: a shard is one accounts file or folder; an account in two
 * shards is an error naming both places and both shards; a hostile name never gets into a job.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/command";
import { shardTouchedCommand } from "../../src/cli/shard-touched";
import { validateCommand } from "../../src/cli/validate";
import { parseShardsManifest, ShardsManifestError } from "../../src/shards/manifest";
import { touchedShards } from "../../src/shards/touched";
import { repoRoot } from "../../src/util/repo-root";

async function run(command: Parameters<typeof runCommand>[0], args: string[]) {
  let out = "";
  let err = "";
  const code = await runCommand(command, args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    cwd: repoRoot,
    env: {},
  });
  return { code, out, err };
}

const manifestText = (name: string, stack = "prod-x", accounts = "config/x.yaml") =>
  `shards:\n  - name: "${name}"\n    stack: "${stack}"\n    accounts: "${accounts}"\n`;

describe("npm run validate -- --shards", () => {
  it("checks every shard, a file or a folder, and counts each", async () => {
    const result = await run(validateCommand, ["--shards", "test/fixtures/shards/shards.yaml"]);
    expect(result.err).toBe("");
    expect(result.out).toBe(
      [
        "west (stack prod-west): 1 account (1 number) in 1 file",
        "east (stack prod-east): 2 accounts (2 numbers) in 2 files",
        "ok: 3 accounts in 2 shards",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(0);
  });

  it("refuses an account declared in two shards, naming both files, lines and shards", async () => {
    const result = await run(validateCommand, [
      "--shards",
      "test/fixtures/shards/shards-twice.yaml",
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "test/fixtures/shards/twice.yaml:5:9: accounts[0].id: account id \"0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11\" is declared twice; first at test/fixtures/shards/west.yaml:4:9 (accounts[0].id) (shard 'north'; first in shard 'west')\n1 problem found\n",
    );
  });

  it("refuses a manifest that puts one file in two shards", () => {
    const text = `shards:\n  - { name: a, stack: s-a, accounts: config/x.yaml }\n  - { name: b, stack: s-b, accounts: ./config/x.yaml }\n`;
    expect(() => parseShardsManifest(text, "config/shards.yaml")).toThrow(
      "config/shards.yaml: config/x.yaml belongs to shard 'a' and to shard 'b'; a file belongs to one shard",
    );
  });

  it("refuses two shards on one stack", () => {
    const text = `shards:\n  - { name: a, stack: prod, accounts: config/a.yaml }\n  - { name: b, stack: prod, accounts: config/b.yaml }\n`;
    expect(() => parseShardsManifest(text, "config/shards.yaml")).toThrow(
      "shards[1].stack: 'prod' is also shards[0]'s stack",
    );
  });

  it.each([
    ["a name a shell would read", manifestText("a$(touch pwned)")],
    ["a name an expression would read", manifestText(`a $${"{{"} secrets.X }}`)],
    ["a name with a newline", manifestText("a\\nb=c")],
    ["a stack with a semicolon", manifestText("a", "prod;rm -rf /")],
    ["a path out of the repository", manifestText("a", "prod", "../../etc/passwd")],
    ["an absolute path", manifestText("a", "prod", "/etc/passwd")],
  ])("refuses %s before anything reads it", (_what, text) => {
    expect(() => parseShardsManifest(text, "config/shards.yaml")).toThrow(ShardsManifestError);
  });
});

describe("the shards a change touches", () => {
  const manifest = parseShardsManifest(
    `shards:\n  - { name: west, stack: prod-west, accounts: config/shards/west.yaml }\n  - { name: east, stack: prod-east, accounts: config/shards/east }\n`,
    "config/shards.yaml",
  );
  const names = (changed: string[]) => touchedShards(manifest, changed).shards.map((s) => s.name);

  it("is the shard of a changed accounts file, also a new or deleted file of a folder", () => {
    expect(names(["config/shards/west.yaml"])).toEqual(["west"]);
    expect(names(["config/shards/east/new-clinics.yaml"])).toEqual(["east"]);
    expect(names(["config/shards/east/part-1.yaml", "README.md", "docs/shards.md"])).toEqual([
      "east",
    ]);
  });

  it("is every shard when deploy code, a dependency or the manifest changes", () => {
    expect(names(["providers/phone-number.ts"])).toEqual(["west", "east"]);
    expect(names(["package-lock.json"])).toEqual(["west", "east"]);
    expect(names(["config/shards.yaml"])).toEqual(["west", "east"]);
    // Also a manifest kept outside the folders a deployment reads.
    const elsewhere = { ...manifest, file: "infra/shards.yaml" };
    expect(touchedShards(elsewhere, ["infra/shards.yaml"]).shards.map((s) => s.name)).toEqual([
      "west",
      "east",
    ]);
  });

  it("is none for a change nothing deploys", () => {
    expect(names(["README.md", "test/shards/manifest.test.ts"])).toEqual([]);
  });
});

describe("npm run shard:touched", () => {
  const repo = mkdtempSync(join(tmpdir(), "shard-touched-"));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
      cwd: repo,
      encoding: "utf8",
    }).trim();

  it("lists the touched shards from git and writes the matrix as JSON", async () => {
    git("init", "-q");
    mkdirSync(join(repo, "config", "shards"), { recursive: true });
    writeFileSync(
      join(repo, "config", "shards.yaml"),
      "shards:\n  - { name: west, stack: prod-west, accounts: config/shards/west.yaml }\n  - { name: east, stack: prod-east, accounts: config/shards/east.yaml }\n",
    );
    writeFileSync(join(repo, "config", "shards", "west.yaml"), "accounts: []\n");
    writeFileSync(join(repo, "config", "shards", "east.yaml"), "accounts: []\n");
    git("add", "-A");
    git("commit", "-qm", "base");
    const base = git("rev-parse", "HEAD");
    writeFileSync(join(repo, "config", "shards", "east.yaml"), "accounts: [] # changed\n");
    git("commit", "-qam", "east");
    const head = git("rev-parse", "HEAD");
    const outputs = join(repo, "outputs");
    writeFileSync(outputs, "");
    let out = "";
    const code = await runCommand(
      shardTouchedCommand,
      ["--base", base, "--head", head, "--manifest", "config/shards.yaml", "--outputs", outputs],
      { out: (t) => (out += t), err: () => {}, cwd: repo, env: {} },
    );
    expect(code).toBe(0);
    expect(out).toBe("east prod-east config/shards/east.yaml\n");
    expect(execFileSync("cat", [outputs], { encoding: "utf8" })).toBe(
      'shards=["east"]\nany=true\n',
    );
  });

  it("fails (never 'nothing to plan') when git cannot compare the commits", async () => {
    let err = "";
    const code = await runCommand(
      shardTouchedCommand,
      ["--base", "0".repeat(40), "--head", "1".repeat(40), "--manifest", "config/shards.yaml"],
      { out: () => {}, err: (t) => (err += t), cwd: repo, env: {} },
    );
    expect(code).toBe(1);
    expect(err).toMatch(/^error: git cannot list the files changed/);
  });
});

describe("npm run shard:move refuses before anything changes", () => {
  it("when the account would mean something else under the destination file's defaults", async () => {
    mkdirSync(join(repoRoot, ".local"), { recursive: true });
    const dir = mkdtempSync(join(repoRoot, ".local", "shard-move-refused-"));
    const rel = (name: string) => `${dir.slice(repoRoot.length + 1)}/${name}`;
    try {
      const westText = readFileSync(join(repoRoot, "test/fixtures/shards/west.yaml"), "utf8");
      writeFileSync(join(dir, "west.yaml"), westText);
      // The east file buys in the US by default: the clinic's 514 number would change country.
      writeFileSync(join(dir, "east.yaml"), "defaults:\n  country: US\naccounts: []\n");
      writeFileSync(
        join(dir, "shards.yaml"),
        `shards:\n  - { name: west, stack: never-made-west, accounts: ${rel("west.yaml")} }\n  - { name: east, stack: never-made-east, accounts: ${rel("east.yaml")} }\n`,
      );
      const { shardMoveCommand } = await import("../../src/cli/shard-move");
      const result = await run(shardMoveCommand, [
        "--account",
        "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11",
        "--from",
        "west",
        "--to",
        "east",
        "--manifest",
        rel("shards.yaml"),
      ]);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `error: account 0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11 would not be valid in ${rel("east.yaml")} (under that file's defaults): ${rel("east.yaml")}:10:19: accounts[0].numbers[0].areaCode: expected an area code of US, got "514": an area code of CA, not US; give the account those settings explicitly, or align the two files' defaults, then run again; nothing was moved\n`,
      );
      expect(readFileSync(join(dir, "west.yaml"), "utf8")).toBe(westText);
      expect(readFileSync(join(dir, "east.yaml"), "utf8")).toBe(
        "defaults:\n  country: US\naccounts: []\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
