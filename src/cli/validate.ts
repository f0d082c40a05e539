/**
 * `npm run validate -- <files...>`: checks accounts YAML files without touching Twilio.
 * Exit codes: 0 valid, 1 invalid, 2 usage error.
 */
import { resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { loadAccountsFiles } from "../config/load";
import { unregisteredUsAccounts, unregisteredUsWarning } from "../config/us-a2p-warnings";
import { plural } from "../util/plural";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run validate -- <file.yaml> [more.yaml ...]

Checks accounts YAML files (see docs/config.md) without calling Twilio or Pulumi:
schema, defaults, unique account ids across files, unique number names within an
account, and no Twilio number adopted twice. Relative paths start where you run npm.

Prints "ok: N accounts (M numbers) in K files", or one line per problem:
  <file>:<line>:<column>: <path>: <what was expected, what was found>
A valid file may still get warnings (exit 0), on stderr: an account with US local
numbers and no compliance.usA2p (US carriers block its messages, Twilio error 30034).

Options:
  -h, --help   show this help

Exit codes: 0 all files valid, 1 problems found, 2 usage error.
`;

/** Warnings printed one by one; the rest are counted. */
const MAX_WARNINGS = 10;

export const validateCommand = defineCommand({
  script: "validate",
  usage: USAGE,
  options: {},
  positionals: true,
  run({ positionals: files }, io) {
    if (files.length === 0) throw new UsageError("no files given");
    try {
      const paths = files.map((file) => resolvePath(io, file));
      const { accounts } = loadAccountsFiles(paths);
      const numbers = accounts.reduce((sum, account) => sum + account.numbers.length, 0);
      const fileCount = new Set(paths.map((path) => resolve(path))).size;
      io.out(
        `ok: ${plural(accounts.length, "account")} (${plural(numbers, "number")}) in ${plural(fileCount, "file")}\n`,
      );
      // Valid, but every message from these accounts' US numbers would be blocked.
      const unregistered = unregisteredUsAccounts(accounts);
      for (const account of unregistered.slice(0, MAX_WARNINGS))
        io.err(`${account.sourceFile}: warning: ${unregisteredUsWarning(account)}\n`);
      if (unregistered.length > MAX_WARNINGS)
        io.err(
          `warning: … and ${plural(unregistered.length - MAX_WARNINGS, "more account")} with US local numbers and no compliance.usA2p\n`,
        );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`${error.message}\n${plural(error.issues.length, "problem")} found\n`);
      return EXIT.failure;
    }
  },
});

if (require.main === module) main(validateCommand);
