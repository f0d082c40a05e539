/**
 * `npm run shard:stack -- --shard NAME [--manifest FILE]`: the stack of a shard, as the manifest
 * declares it: how a workflow step turns the matrix's shard name into the stack it plans or
 * deploys, with the name checked against the manifest first. Exit codes: 0 printed, 1 no such
 * shard or an invalid manifest, 2 usage.
 */
import {
  DEFAULT_MANIFEST,
  loadShardsManifest,
  SHARD_NAME,
  ShardsManifestError,
  shardNamed,
} from "../shards/manifest";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run shard:stack -- (--shard <name> | --all) [--manifest <file>]

Prints the stack of the shard (one line), as the shards manifest declares it. A name that is not
a shard of the manifest is refused (exit 1), so a workflow never plans or deploys a stack that a
job input or a path made up. With --all, prints every shard's stack as a JSON list (the deploy's
matrix).

Options:
  --shard <name>       the shard
  --all                every shard's stack, as a JSON list
  --manifest <file>    the shards manifest (default ${DEFAULT_MANIFEST})
  -h, --help           show this help

Exit codes: 0 printed, 1 no such shard or an invalid manifest, 2 usage.`;

export const shardStackCommand = defineCommand({
  script: "shard:stack",
  usage: USAGE,
  options: { shard: { type: "string" }, all: { type: "boolean" }, manifest: { type: "string" } },
  run({ values }, io) {
    if ((values.shard === undefined) === (values.all !== true)) {
      throw new UsageError("give exactly one of --shard <name> or --all");
    }
    if (values.shard !== undefined && !SHARD_NAME.test(values.shard)) {
      throw new UsageError(`--shard expects a shard name, got '${values.shard}'`);
    }
    try {
      const manifest = loadShardsManifest(resolvePath(io, values.manifest ?? DEFAULT_MANIFEST));
      io.out(
        values.all
          ? `${JSON.stringify(manifest.shards.map((s) => s.stack))}\n`
          : `${shardNamed(manifest, values.shard as string).stack}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ShardsManifestError)) throw error;
      io.err(`error: ${error.message}\n`);
      return EXIT.failure;
    }
  },
});

if (require.main === module) main(shardStackCommand);
