/**
 * `npm run shard:touched -- --base SHA --head SHA [--manifest FILE] [--outputs FILE]`: the shards a
 * pull request touches (src/shards/touched.ts), as the JSON list the plan workflow's matrix reads.
 * Exit codes: 0 listed (possibly none), 1 git or the manifest failed (never "nothing to plan"
 * then), 2 usage.
 */
import { appendFileSync } from "node:fs";
import { DEFAULT_MANIFEST, loadShardsManifest, ShardsManifestError } from "../shards/manifest";
import { touchedShards } from "../shards/touched";
import { changedFiles } from "../util/git";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run shard:touched -- --base <sha> --head <sha> [options]

Lists the shards a pull request touches (git diff --name-only base...head, as GitHub shows it):
a changed accounts file of a shard touches that shard; the shards manifest, deploy code or a
dependency touches every shard; anything else none. Prints one line per shard ("<shard> <stack>
<the file that touched it>") and, with --outputs, appends to that file (GITHUB_OUTPUT):
  shards=["a","b"]   the touched shards' names (JSON), for the plan's matrix
  any=true|false

Options:
  --base <sha>         the pull request's base commit
  --head <sha>         the pull request's head commit
  --manifest <file>    the shards manifest (default ${DEFAULT_MANIFEST}), as the head commit has it
  --outputs <file>     append shards=… and any=… (GITHUB_OUTPUT)
  -h, --help           show this help

Shard names come from the manifest, which checks them (lowercase letters, digits, '-'): a name
nothing else could read specially in a job name, an artifact name or a shell.

Exit codes: 0 listed (possibly none), 1 git could not compare the commits or the manifest is
invalid, 2 usage.`;

const SHA = /^[0-9a-f]{7,64}$/;

export const shardTouchedCommand = defineCommand({
  script: "shard:touched",
  usage: USAGE,
  options: {
    base: { type: "string" },
    head: { type: "string" },
    manifest: { type: "string" },
    outputs: { type: "string" },
  },
  run({ values }, io) {
    for (const name of ["base", "head"] as const) {
      const sha = values[name];
      if (!sha) throw new UsageError(`--${name} is required`);
      if (!SHA.test(sha)) throw new UsageError(`--${name} expects a commit SHA, got '${sha}'`);
    }
    let touched: ReturnType<typeof touchedShards>;
    try {
      const manifest = loadShardsManifest(resolvePath(io, values.manifest ?? DEFAULT_MANIFEST));
      touched = touchedShards(
        manifest,
        changedFiles(values.base as string, values.head as string, io.cwd),
      );
    } catch (error) {
      if (!(error instanceof ShardsManifestError) && !/^git /.test((error as Error).message)) {
        throw error;
      }
      io.err(`error: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    for (const shard of touched.shards) {
      io.out(`${shard.name} ${shard.stack} ${touched.reasons[shard.name]}\n`);
    }
    if (values.outputs) {
      appendFileSync(
        resolvePath(io, values.outputs),
        `shards=${JSON.stringify(touched.shards.map((s) => s.name))}\nany=${touched.shards.length > 0}\n`,
      );
    }
    io.err(`[shard:touched] ${touched.shards.length} shard(s) touched\n`);
    return EXIT.ok;
  },
});

if (require.main === module) main(shardTouchedCommand);
