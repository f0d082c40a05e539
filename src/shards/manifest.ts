/**
 * The shards room (src/shards/): splitting the accounts across stacks, each shard an ordinary
 * stack of the project's program. This file: the shards manifest (`config/shards.yaml`), the one
 * declaration of which accounts file or folder belongs to which shard and stack; set-check.ts
 * checks the whole set (an account in two shards is an error naming both places), touched.ts
 * finds the shards a change touches (the pull request's matrix), move.ts moves an account between
 * two shards' states with Pulumi's `pulumi state move`.
 *
 * The rule is declared, not computed: an account belongs to the shard whose file or folder holds
 * it, so adding an account (to any file) never moves another, and a shard's size changes only when
 * a person moves accounts (npm run shard:move).
 *
 * Imports src/config, src/plan (what a deployment reads), src/pulumi and src/util. Never the
 * emulator, the sender or src/cli.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { repoRoot } from "../util/repo-root";

/** Where the manifest lives when none is named. */
export const DEFAULT_MANIFEST = "config/shards.yaml";

/**
 * A shard's name: it becomes a job name, an artifact name and a concurrency group in GitHub
 * Actions, so it is restricted to characters no shell, expression or path reads specially.
 */
export const SHARD_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A stack name as the backends accept it (org/project/stack allowed); no shell metacharacter. */
export const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;
/** A path inside the repository, relative, with plain characters only. */
const REPO_PATH = /^[A-Za-z0-9_.\-/]+$/;

const ShardSchema = z.strictObject({
  name: z
    .string()
    .regex(
      SHARD_NAME,
      "a shard name is 1-40 lowercase letters, digits or '-', starting with a letter or digit",
    ),
  stack: z.string().regex(STACK_NAME, "a stack name (letters, digits, '_', '.', '-')"),
  accounts: z
    .string()
    .regex(REPO_PATH, "a path from the repository root (letters, digits, '_', '.', '-', '/')")
    .refine((path) => !isAbsolute(path) && !normalize(path).startsWith(".."), {
      message: "a path inside the repository",
    }),
});

export const ShardsManifestSchema = z.strictObject({
  shards: z.array(ShardSchema).min(1, "at least one shard"),
});

export type ShardDeclaration = z.output<typeof ShardSchema>;

export interface Shard extends ShardDeclaration {
  /** The accounts files of the shard, from the repository root, sorted (a folder's *.yaml). */
  files: string[];
}

export interface ShardsManifest {
  /** The manifest file as it was given. */
  file: string;
  shards: Shard[];
}

/** The manifest is unusable: the reason first, with the file and where in it. */
export class ShardsManifestError extends Error {
  override readonly name = "ShardsManifestError";
}

/** The accounts files a shard's `accounts` names: the file, or a folder's `*.yaml` / `*.yml`. */
export function shardFiles(accounts: string, root: string = repoRoot): string[] {
  const absolute = resolve(root, accounts);
  let isFolder: boolean;
  try {
    isFolder = statSync(absolute).isDirectory();
  } catch {
    // A file that does not exist yet is the shard's (empty) file; the loader says it is missing.
    return [normalize(accounts)];
  }
  if (!isFolder) return [normalize(accounts)];
  return readdirSync(absolute)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => relative(root, join(absolute, name)));
}

/** Parses and checks a manifest's text (names, stacks and paths unique; no file in two shards). */
export function parseShardsManifest(
  text: string,
  file: string,
  root: string = repoRoot,
): ShardsManifest {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ShardsManifestError(`${file}: not YAML: ${document.errors[0]?.message}`);
  }
  const parsed = ShardsManifestSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`));
    throw new ShardsManifestError(
      `${file}: ${(path ?? []).join("").replace(/^\./, "") || "(document)"}: ${issue?.message}`,
    );
  }
  const shards = parsed.data.shards.map((shard) => ({
    ...shard,
    files: shardFiles(shard.accounts, root),
  }));
  for (const key of ["name", "stack"] as const) {
    const seen = new Map<string, number>();
    shards.forEach((shard, index) => {
      const first = seen.get(shard[key]);
      if (first !== undefined) {
        throw new ShardsManifestError(
          `${file}: shards[${index}].${key}: '${shard[key]}' is also shards[${first}]'s ${key}; each shard has its own ${key}`,
        );
      }
      seen.set(shard[key], index);
    });
  }
  const owner = new Map<string, string>();
  for (const shard of shards) {
    for (const path of shard.files) {
      const other = owner.get(path);
      if (other !== undefined) {
        throw new ShardsManifestError(
          `${file}: ${path} belongs to shard '${other}' and to shard '${shard.name}'; a file belongs to one shard`,
        );
      }
      owner.set(path, shard.name);
    }
  }
  return { file, shards };
}

/** Reads a manifest (a path from the repository root or absolute). */
export function loadShardsManifest(
  given: string = DEFAULT_MANIFEST,
  root = repoRoot,
): ShardsManifest {
  // Named from the root when inside the repository: how a diff names it (touched.ts).
  const absolute = resolve(root, given);
  const inRoot = relative(root, absolute);
  const file = inRoot.startsWith("..") || isAbsolute(inRoot) ? absolute : inRoot;
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new ShardsManifestError(
      `cannot read the shards manifest ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseShardsManifest(text, file, root);
}

/** The shard of a name, or an error that lists the shards there are. */
export function shardNamed(manifest: ShardsManifest, name: string): Shard {
  const shard = manifest.shards.find((s) => s.name === name);
  if (!shard) {
    throw new ShardsManifestError(
      `no shard '${name}' in ${manifest.file} (shards: ${manifest.shards.map((s) => s.name).join(", ")})`,
    );
  }
  return shard;
}

/**
 * The shard a stack is (the program's way to find its accounts: stack config `shards` names the
 * manifest, and the stack's own name picks the shard). Every shard's stack then has the same
 * config, so Pulumi's default provider is the same in all of them and `pulumi state move` can
 * take resources from one to another (move.ts).
 */
export function shardOfStack(manifest: ShardsManifest, stack: string): Shard {
  const name = stack.split("/").pop();
  const shard = manifest.shards.find((s) => s.stack === stack || s.stack.split("/").pop() === name);
  if (!shard) {
    throw new ShardsManifestError(
      `stack ${stack} is no shard of ${manifest.file} (its stacks: ${manifest.shards.map((s) => s.stack).join(", ")})`,
    );
  }
  return shard;
}
