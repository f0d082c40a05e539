/**
 * `npm run validate -- <files...>`: checks accounts YAML files without touching Twilio.
 * Exit codes: 0 valid, 1 invalid, 2 usage error.
 */
import { resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { loadAccountsFiles } from "../config/load";
import { type CliIo, processIo } from "./io";

const USAGE = `Usage: npm run validate -- <file.yaml> [more.yaml ...]

Checks accounts YAML files (see docs/config.md) without calling Twilio or Pulumi:
schema, defaults, unique account ids across files, unique number names within an
account, and no Twilio number adopted twice.

Prints "ok: N accounts (M numbers) in K files", or one line per problem:
  <file>:<line>:<column>: <path>: <what was expected, what was found>

Options:
  -h, --help   show this help

Exit codes: 0 all files valid, 1 problems found, 2 usage error.
`;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Runs the command; returns the exit code. */
export function runValidate(args: readonly string[], io: CliIo): number {
  const files: string[] = [];
  let onlyFiles = false;
  for (const arg of args) {
    if (!onlyFiles && arg === "--") {
      onlyFiles = true;
    } else if (!onlyFiles && (arg === "--help" || arg === "-h")) {
      io.out(USAGE);
      return 0;
    } else if (!onlyFiles && arg.startsWith("-")) {
      io.err(`error: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    io.err(`error: no files given\n\n${USAGE}`);
    return 2;
  }

  try {
    const { accounts } = loadAccountsFiles(files);
    const numbers = accounts.reduce((sum, account) => sum + account.numbers.length, 0);
    const fileCount = new Set(files.map((file) => resolve(file))).size;
    io.out(
      `ok: ${plural(accounts.length, "account")} (${plural(numbers, "number")}) in ${plural(fileCount, "file")}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${error.message}\n${plural(error.issues.length, "problem")} found\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = runValidate(process.argv.slice(2), processIo);
}
