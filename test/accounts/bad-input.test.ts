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
import { accountsYaml, type TestAccount, THREE_ACCOUNTS } from "../support/accounts-yaml";

/**
 * A spread of the shared tables, one case per kind of rule (types, typos, ids, area codes, phone
 * numbers, SIDs, URLs, numbers' shape, duplicates across files, YAML syntax, and the hostile
 * inputs): every case costs a Pulumi run, and the loader's own tests cover each case in detail.
 * Picked by title, so a case that leaves the tables fails here instead of silently shrinking this.
 */
const CASES = [
  "an account name that is a number",
  "release written as yes instead of true",
  "a typo in an account key suggests the right key",
  "an account id that is not a UUID",
  "an area code with two digits",
  "an adopted phone number that is not E.164",
  "an adopted phone number of E.164 shape that cannot exist (nine national digits)",
  "an adopted SID with upper-case hex digits (Twilio's are lower-case)",
  "a webhook URL carrying credentials",
  "a number with both areaCode and adopt",
  "an active account with an empty numbers list",
  "the same account id in two files",
  "a YAML syntax error: an unquoted name containing a colon",
  "a %YAML 1.1 directive (release: yes would mean true)",
  "a webhook on localhost",
  "a webhook on a local-network name (hooks.internal)",
  "an account name that is only a zero-width space",
  "a 5,000-deep flow mapping under an unknown key (refused before it is composed)",
];
const cases = CASES.map((title) => {
  const found = [...badInputs, ...hostileInputs].find((c) => c.title === title);
  if (!found) throw new Error(`no case titled '${title}' in test/config's tables`);
  return found;
});

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

  it("fails pulumi up the same way, with no Twilio call (where a valid file makes some)", async () => {
    // The control: the same stack and emulator, a valid file: up reaches Twilio. So "no call" below
    // is the program refusing the file, not a stack that never reaches the emulator.
    const valid = join(dir, "valid.yaml");
    writeFileSync(valid, accountsYaml([THREE_ACCOUNTS[0] as TestAccount]));
    await stack.cli(["config", "set", "accountFiles", JSON.stringify([valid])]);
    stack.emulator.requestLog.clear();
    await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(stack.emulator.requestLog.countMutations()).toBeGreaterThan(0);

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
