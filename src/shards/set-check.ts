/**
 * The whole set of shards checked as one (npm run validate -- --shards): every shard's accounts
 * files load and validate, and no account id (nor adopted number) is declared in two places. The
 * loader already compares accounts across the files it is given; this gives it every shard's files
 * at once and names the shard of each place in its messages, so an account in two shards reads
 * `config/shards/b.yaml:3:9: accounts[0].id: account id "…" is declared twice; first at
 * config/shards/a.yaml:12:9 (shard 'b'; first in shard 'a')`.
 */
import { resolve } from "node:path";
import { ConfigError, type ConfigIssue } from "../config/errors";
import { loadAccountsFiles, type ResolvedAccount } from "../config/load";
import { repoRoot } from "../util/repo-root";
import type { Shard, ShardsManifest } from "./manifest";

export interface ShardCount {
  shard: Shard;
  accounts: number;
  numbers: number;
}

/** The shard that holds a file (as the loader names it: absolute or from the root). */
function shardOfFile(manifest: ShardsManifest, file: string, root: string): Shard | undefined {
  const absolute = resolve(root, file);
  return manifest.shards.find((shard) => shard.files.some((f) => resolve(root, f) === absolute));
}

function withShards(manifest: ShardsManifest, issue: ConfigIssue, root: string): ConfigIssue {
  const shard = shardOfFile(manifest, issue.file, root);
  if (!shard) return issue;
  const first = issue.message.match(/first at (.+?):\d+:\d+/)?.[1];
  const other = first === undefined ? undefined : shardOfFile(manifest, first, root);
  const where =
    other === undefined
      ? `shard '${shard.name}'`
      : other.name === shard.name
        ? `both in shard '${shard.name}'`
        : `shard '${shard.name}'; first in shard '${other.name}'`;
  return { ...issue, message: `${issue.message} (${where})` };
}

/**
 * Loads every shard's accounts; throws ConfigError (issues naming their shards) when the set is
 * invalid. Returns the accounts per shard.
 */
export function checkShardSet(manifest: ShardsManifest, root: string = repoRoot): ShardCount[] {
  const files = manifest.shards.flatMap((shard) => shard.files.map((f) => resolve(root, f)));
  let accounts: ResolvedAccount[];
  try {
    accounts = loadAccountsFiles(files).accounts;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The loader names files as given (absolute here): back to paths from the root, then shards.
    const relativeIssues = error.issues.map((issue) => ({
      ...issue,
      file: issue.file.startsWith(`${root}/`) ? issue.file.slice(root.length + 1) : issue.file,
      message: issue.message.replaceAll(`${root}/`, ""),
    }));
    throw new ConfigError(relativeIssues.map((issue) => withShards(manifest, issue, root)));
  }
  return manifest.shards.map((shard) => {
    const own = accounts.filter((a) => shardOfFile(manifest, a.sourceFile, root) === shard);
    return {
      shard,
      accounts: own.length,
      numbers: own.reduce((sum, a) => sum + a.numbers.length, 0),
    };
  });
}
