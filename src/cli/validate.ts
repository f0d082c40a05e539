/**
 * `npm run validate -- <files...>` or `npm run validate -- --shards [manifest]`: checks accounts
 * YAML files, or the whole set of shards (src/shards/), without touching Twilio.
 * Exit codes: 0 valid, 1 invalid, 2 usage error.
 */
import { resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { loadAccountsFiles } from "../config/load";
import { unregisteredUsAccounts, unregisteredUsWarning } from "../config/us-a2p-warnings";
import { DEFAULT_MANIFEST, loadShardsManifest, ShardsManifestError } from "../shards/manifest";
import { checkShardSet } from "../shards/set-check";
import { plural } from "../util/plural";
import { type CommandIo, defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run validate -- <file.yaml> [more.yaml ...]
       npm run validate -- --shards [config/shards.yaml]

Checks accounts YAML files (see docs/config.md) without calling Twilio or Pulumi:
schema, defaults, unique account ids across files, unique number names within an
account, and no Twilio number adopted twice. Relative paths start where you run npm.

Prints "ok: N accounts (M numbers) in K files", or one line per problem:
  <file>:<line>:<column>: <path>: <what was expected, what was found>
A valid file may still get warnings (exit 0), on stderr: an account with US local
numbers and no compliance.usA2p (US carriers block its messages, Twilio error 30034).

With --shards, checks the whole set of shards the manifest declares (docs/shards.md): the
manifest itself (names, stacks, no file in two shards) and every shard's accounts together, so an
account id declared in two shards is an error naming both places and both shards. Prints one line
per shard: "<shard> (stack <stack>): N accounts (M numbers) in K files".

Options:
  --shards [manifest]  check every shard of the manifest (default ${DEFAULT_MANIFEST})
  -h, --help           show this help

Exit codes: 0 all files valid, 1 problems found, 2 usage error.
`;

/** Warnings printed one by one; the rest are counted. */
const MAX_WARNINGS = 10;

export const validateCommand = defineCommand({
  script: "validate",
  usage: USAGE,
  options: { shards: { type: "boolean" } },
  positionals: true,
  run({ values, positionals: files }, io) {
    if (values.shards) {
      if (files.length > 1) throw new UsageError("--shards takes one manifest");
      return validateShards(resolvePath(io, files[0] ?? DEFAULT_MANIFEST), io);
    }
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

function validateShards(manifestFile: string, io: CommandIo): number {
  try {
    const manifest = loadShardsManifest(manifestFile);
    const counts = checkShardSet(manifest);
    for (const { shard, accounts, numbers } of counts) {
      io.out(
        `${shard.name} (stack ${shard.stack}): ${plural(accounts, "account")} (${plural(numbers, "number")}) in ${plural(shard.files.length, "file")}\n`,
      );
    }
    const total = counts.reduce((sum, c) => sum + c.accounts, 0);
    io.out(`ok: ${plural(total, "account")} in ${plural(counts.length, "shard")}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ShardsManifestError) {
      io.err(`${error.message}\n`);
      return EXIT.failure;
    }
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${error.message}\n${plural(error.issues.length, "problem")} found\n`);
    return EXIT.failure;
  }
}

if (require.main === module) main(validateCommand);
