/**
 * Invariant 4, "bad input changes nothing", end to end: for invalid accounts YAML the real
 * `pulumi preview` / `up` of the project's program fails with an error that names the file, line,
 * column, path and what was expected, and the Twilio emulator receives no call at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badInputs } from "../config/bad-inputs";
import { hostileInputs } from "../config/hostile-inputs";
import { type AccountsStack, createAccountsStack } from "../support/accounts-stack";

// A spread of the shared tables (types, typos, E.164, URLs, duplicates, YAML syntax, and two of
// the hostile inputs): every case costs a Pulumi run, and the loader's own tests cover each case
// in detail.
const cases = [
  ...badInputs.filter((_, index) => index % 3 === 0),
  ...hostileInputs.filter((c) => /%YAML 1\.1|webhook on localhost/.test(c.title)),
];

let stack: AccountsStack;
let dir: string;

beforeAll(async () => {
  stack = await createAccountsStack();
  dir = mkdtempSync(join(tmpdir(), "bad-input-"));
});

afterAll(async () => {
  await stack?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("invalid accounts YAML", () => {
  it("covers at least seventeen distinct bad inputs", () => {
    expect(cases.length).toBeGreaterThanOrEqual(17);
  });

  it.each(cases.map((c) => [c.title, c] as const))(
    "fails before any Twilio call: %s",
    async (_title, badCase) => {
      const caseDir = mkdtempSync(join(dir, "case-"));
      const paths = Object.entries(badCase.files).map(([name, text]) => {
        const path = join(caseDir, name);
        writeFileSync(path, text);
        return path;
      });
      await stack.cli(["config", "set", "accountFiles", JSON.stringify(paths)]);
      stack.emulator.requestLog.clear();

      const preview = await stack.pulumi(["preview"], { check: false });

      expect(preview.code).not.toBe(0);
      const { file, line, column, path, messageIncludes } = badCase.expect;
      const location = `${join(caseDir, file)}${line > 0 ? `:${line}:${column}` : ""}`;
      expect(preview.output).toContain(location);
      if (path) expect(preview.output).toContain(`${location}: ${path}: `);
      // The table names files by base name; on disk they are reported with their directory.
      expect(preview.output.split(`${caseDir}/`).join("")).toContain(messageIncludes);
      expect(stack.emulator.requestLog.entries()).toEqual([]);
    },
  );

  it("fails pulumi up the same way, with no Twilio call", async () => {
    const [badCase] = cases;
    const path = join(dir, "up.yaml");
    writeFileSync(path, Object.values(badCase?.files ?? {})[0] ?? "");
    await stack.cli(["config", "set", "accountFiles", JSON.stringify([path])]);
    stack.emulator.requestLog.clear();
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"], { check: false });
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(badCase?.expect.messageIncludes);
    expect(stack.emulator.requestLog.entries()).toEqual([]);
  });
});
