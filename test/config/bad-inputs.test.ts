import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAccountsFiles, parseAccountsDocuments } from "../../src/config/load";
import { badInputs, ID_A, VALID_ACCOUNTS_YAML } from "./bad-inputs";
import { configErrorOf, issuesOf, sourcesOf } from "./helpers";

describe("an invalid configuration is reported with file, line, column, path and reason", () => {
  it("loads the valid file most cases are built from, so each case fails for its own problem", () => {
    const [account] = parseAccountsDocuments(
      sourcesOf({ "accounts.yaml": VALID_ACCOUNTS_YAML }),
    ).accounts;
    expect(account).toMatchObject({ id: ID_A, numbers: [{ name: "main", areaCode: "212" }] });
  });

  it.each(badInputs)("$title", ({ files, expect: want }) => {
    const error = issuesOf(files);
    expect(error.issues.length, error.message).toBe(1);
    const [issue] = error.issues;
    expect(issue).toMatchObject({
      file: want.file,
      line: want.line,
      column: want.column,
      path: want.path,
    });
    expect(issue?.message).toContain(want.messageIncludes);
    const where = `${want.file}:${want.line}:${want.column}: `;
    expect(error.message).toContain(want.path === "" ? where : `${where}${want.path}: `);
  });
});

describe("the same bad inputs read from disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "accounts-bad-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("are reported at the same positions, naming the files as they were given", () => {
    badInputs.forEach(({ files, expect: want }, index) => {
      const caseDir = join(dir, String(index));
      mkdirSync(caseDir);
      const paths = Object.entries(files).map(([name, text]) => {
        const path = join(caseDir, name);
        writeFileSync(path, text);
        return path;
      });
      const [issue, ...rest] = configErrorOf(() => loadAccountsFiles(paths)).issues;
      expect(rest).toEqual([]);
      expect(issue?.file).toBe(join(caseDir, want.file));
      expect(basename(issue?.file ?? "")).toBe(want.file);
      expect([issue?.line, issue?.column, issue?.path]).toEqual([
        want.line,
        want.column,
        want.path,
      ]);
    });
  });
});
