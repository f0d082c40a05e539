/**
 * The shards a change touches, from the files it changes: what the pull request's plan previews
 * (one matrix job per touched shard) and nothing more.
 *
 * - a changed file of a shard (its accounts file, or a file under its folder, also a deleted one)
 *   touches that shard;
 * - the manifest itself, or anything else a deployment reads (deploy code, dependencies:
 *   src/plan/deploy-inputs.ts) touches every shard: it can change what any of them does;
 * - anything else touches none.
 */
import { normalize } from "node:path";
import { deployInputsAmong } from "../plan/deploy-inputs";
import type { Shard, ShardsManifest } from "./manifest";

export interface TouchedShards {
  shards: Shard[];
  /** Why, per shard name: the first file that touched it. */
  reasons: Record<string, string>;
}

function holds(shard: Shard, file: string): boolean {
  const accounts = normalize(shard.accounts).replace(/\/$/, "");
  return file === accounts || file.startsWith(`${accounts}/`) || shard.files.includes(file);
}

export function touchedShards(manifest: ShardsManifest, changed: readonly string[]): TouchedShards {
  const reasons: Record<string, string> = {};
  const touch = (shard: Shard, file: string) => {
    reasons[shard.name] ??= file;
  };
  const rest: string[] = [];
  for (const file of changed.map((f) => normalize(f))) {
    const owners = manifest.shards.filter((shard) => holds(shard, file));
    for (const shard of owners) touch(shard, file);
    if (owners.length === 0) rest.push(file);
  }
  const everything = [
    ...rest.filter((file) => file === normalize(manifest.file)),
    ...deployInputsAmong(rest),
  ];
  if (everything.length > 0) {
    for (const shard of manifest.shards) touch(shard, everything[0] as string);
  }
  return { shards: manifest.shards.filter((s) => reasons[s.name] !== undefined), reasons };
}
