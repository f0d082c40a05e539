import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAccountsFiles } from "../../src/config/load";
import { badInputs } from "./bad-inputs";
import { configErrorOf, issuesOf } from "./helpers";

describe("an invalid configuration is reported with file, line, column, path and reason", () => {
  it("covers at least twenty kinds of bad input", () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(20);
    expect(new Set(badInputs.map((c) => c.title)).size).toBe(badInputs.length);
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
