import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ID_A } from "./bad-inputs";

const TSX = require.resolve("tsx/cli");
const EXAMPLE = "config/accounts.example.yaml";
/** Not used by the example file. */
const OTHER_ID = "d3b07384-d9a7-4e3b-9c1f-2a6b5c8e0f11";

/** Runs `npm run validate -- ...args` the way npm does: tsx src/cli/validate.ts ...args. */
function validate(...args: string[]) {
  const result = spawnSync(process.execPath, [TSX, "src/cli/validate.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run validate", () => {
  const dir = mkdtempSync(join(tmpdir(), "accounts-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("prints a summary and exits 0 for valid files", () => {
    const other = write(
      "other.yaml",
      `accounts:\n  - id: ${OTHER_ID}\n    name: Other Clinic\n    release: true\n`,
    );
    expect(validate(EXAMPLE)).toEqual({
      code: 0,
      stdout: "ok: 4 accounts (5 numbers) in 1 file\n",
      stderr: "",
    });
    expect(validate(EXAMPLE, other).stdout).toBe("ok: 5 accounts (5 numbers) in 2 files\n");
  });

  it("prints every problem with its position and exits 1 for invalid files", () => {
    const bad = write(
      "bad.yaml",
      `accounts:\n  - id: ${ID_A}\n    name: Clinic\n    numbers:\n      - name: main\n        areaCode: "51"\n        smsUrl: ftp://x.example\n`,
    );
    const result = validate(bad);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        `${bad}:6:19: accounts[0].numbers[0].areaCode: expected a 3-digit area code such as "514", got "51"`,
        `${bad}:7:17: accounts[0].numbers[0].smsUrl: expected an absolute http(s) URL such as "https://api.parlae.example/twilio/sms" (not an absolute http:// or https:// URL), got "ftp://x.example"`,
        "2 problems found",
        "",
      ].join("\n"),
    );
  });

  it("exits 1 for a file that does not exist", () => {
    const result = validate(join(dir, "nope.yaml"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nope.yaml: cannot read the file: it does not exist");
  });

  it("exits 2 with the usage when no file is given", () => {
    const result = validate();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^error: no files given\n\nUsage: npm run validate -- <file\.yaml>/,
    );
  });

  it("exits 2 for an unknown option", () => {
    const result = validate("--strict", EXAMPLE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown option --strict");
  });

  it("explains itself with --help and exits 0", () => {
    const result = validate("--help");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Usage: npm run validate -- <file.yaml> [more.yaml ...]");
    expect(result.stdout).toContain("without calling Twilio");
    expect(result.stdout).toContain(
      "Exit codes: 0 all files valid, 1 problems found, 2 usage error.",
    );
  });
});
