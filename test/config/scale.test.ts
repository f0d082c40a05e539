/**
 * Validation stays quick on big inputs. The figures are printed (team rule: speed is measured, not
 * asserted; bench/config-validation.ts compares them with a baseline); the tests check the results.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, parseAccountsDocument } from "../../src/config/load";
import { largestAccountsYaml, manyAccountsYaml } from "../support/many-accounts";

const dir = mkdtempSync(join(tmpdir(), "accounts-scale-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("validation at scale", () => {
  it("accepts the largest allowed file", () => {
    const { text, accounts } = largestAccountsYaml(MAX_FILE_BYTES);
    const started = performance.now();
    const config = parseAccountsDocument(text, "largest.yaml");
    const ms = performance.now() - started;
    expect(config.accounts).toHaveLength(accounts);
    console.log(
      `[figure] largest allowed file (${Buffer.byteLength(text)} bytes, ${accounts} accounts) validated in ${ms.toFixed(0)} ms`,
    );
  });

  it("npm run validate accepts a 1,000-account file", () => {
    const file = join(dir, "thousand.yaml");
    writeFileSync(file, manyAccountsYaml(1000));
    const tsx = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
    const cli = join(__dirname, "..", "..", "src", "cli", "validate.ts");
    const started = performance.now();
    const result = spawnSync(tsx, [cli, file], { encoding: "utf8" });
    const ms = performance.now() - started;
    // Only warnings (its US accounts declare no compliance.usA2p): ten, then a count.
    const warnings = result.stderr.split("\n").filter((line) => line !== "");
    expect(warnings.length).toBeLessThanOrEqual(11);
    for (const line of warnings) expect(line).toContain("warning: ");
    expect(result.stdout).toBe("ok: 1000 accounts (1000 numbers) in 1 file\n");
    expect(result.status).toBe(0);
    console.log(
      `[figure] npm run validate on 1,000 accounts: ${ms.toFixed(0)} ms wall, process start included`,
    );
  });
});
