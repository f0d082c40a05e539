/**
 * `npm run bench:config`: how long accounts YAML takes to validate, against a baseline measured in
 * the same run (the figures the config tests only print):
 *   1. the largest file the loader accepts (MAX_FILE_BYTES), in process, cold and warm, next to the
 *      bare YAML parse of the same text (the part no rule of ours adds to);
 *   2. `npm run validate` (a new process, as a person runs it) on a 1,000-account file, next to the
 *      same command on the 3-account example (process start, module loading);
 *   3. a hostile input, a 5,000-deep flow mapping under an unknown key, in process (refused), next
 *      to the 3-account example.
 * Prints a table to stdout; no pass/fail: speed is measured, not asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { defineCommand, EXIT, main } from "../src/cli/command";
import { ConfigError } from "../src/config/errors";
import { MAX_FILE_BYTES, parseAccountsDocument } from "../src/config/load";
import { largestAccountsYaml, manyAccountsYaml } from "../test/support/many-accounts";

const root = join(__dirname, "..");
const RUNS = 5;

function ms(started: number): number {
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeRuns(run: () => void): { cold: number; warm: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(ms(started));
  }
  return { cold: times[0] ?? Number.NaN, warm: median(times.slice(1)) };
}

function validateCli(file: string): number {
  const started = performance.now();
  const result = spawnSync(
    join(root, "node_modules", ".bin", "tsx"),
    [join(root, "src", "cli", "validate.ts"), file],
    {
      encoding: "utf8",
    },
  );
  const elapsed = ms(started);
  if (result.status !== 0) throw new Error(`validate failed on ${file}: ${result.stderr}`);
  return elapsed;
}

const HELP = `Usage: npm run bench:config

Times accounts YAML validation against baselines measured in the same run: the largest allowed
file (in process, cold and warm, next to the bare YAML parse) and npm run validate on 1,000
accounts (next to the same command on the 3-account example). Prints a table; no options besides
-h, --help.`;

/** Measures and prints the table. */
function measure(): void {
  const dir = mkdtempSync(join(tmpdir(), "bench-config-"));
  try {
    process.stderr.write("measuring the largest allowed file …\n");
    const largest = largestAccountsYaml(MAX_FILE_BYTES);
    const full = timeRuns(() => parseAccountsDocument(largest.text, "largest.yaml"));
    const yamlOnly = timeRuns(() => parseDocument(largest.text));

    process.stderr.write("measuring npm run validate …\n");
    const thousand = join(dir, "thousand.yaml");
    writeFileSync(thousand, manyAccountsYaml(1000));
    const example = join(root, "config", "accounts.example.yaml");
    const cliThousand: number[] = [];
    const cliExample: number[] = [];
    for (let i = 0; i < 3; i++) {
      cliExample.push(validateCli(example));
      cliThousand.push(validateCli(thousand));
    }

    process.stderr.write("measuring a 5,000-deep flow mapping …\n");
    const exampleText = readFileSync(example, "utf8");
    const deepText = `${exampleText}surprise: ${"{a: ".repeat(5000)}1${"}".repeat(5000)}\n`;
    const deep = timeRuns(() => {
      try {
        parseAccountsDocument(deepText, "deep.yaml");
      } catch (error) {
        if (error instanceof ConfigError) return;
        throw error;
      }
      throw new Error("the 5,000-deep mapping was accepted");
    });
    const exampleInProcess = timeRuns(() => parseAccountsDocument(exampleText, "example.yaml"));

    const rows = [
      [
        "largest allowed file",
        `${Buffer.byteLength(largest.text)} bytes, ${largest.accounts} accounts`,
      ],
      ["  full validation, cold (first in process)", `${full.cold.toFixed(0)} ms`],
      ["  full validation, warm (median)", `${full.warm.toFixed(0)} ms`],
      ["  baseline: YAML parse only, warm (median)", `${yamlOnly.warm.toFixed(0)} ms`],
      ["npm run validate, 1,000 accounts (median of 3)", `${median(cliThousand).toFixed(0)} ms`],
      ["  baseline: same command, 3-account example", `${median(cliExample).toFixed(0)} ms`],
      [
        "  difference: the 1,000 accounts themselves",
        `${(median(cliThousand) - median(cliExample)).toFixed(0)} ms`,
      ],
      [
        "5,000-deep flow mapping (refused), in process",
        `cold ${deep.cold.toFixed(0)} ms, warm ${deep.warm.toFixed(0)} ms`,
      ],
      [
        "  baseline: the 3-account example, in process",
        `cold ${exampleInProcess.cold.toFixed(0)} ms, warm ${exampleInProcess.warm.toFixed(0)} ms`,
      ],
    ];
    const width = Math.max(...rows.map(([label]) => (label ?? "").length));
    for (const [label, value] of rows) console.log(`${(label ?? "").padEnd(width)}  ${value}`);
    console.log(`(load average ${loadavg()[0]?.toFixed(1)} on this machine while measuring)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(
  defineCommand({
    script: "bench:config",
    usage: HELP,
    options: {},
    run() {
      measure();
      return EXIT.ok;
    },
  }),
);
