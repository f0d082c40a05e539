/**
 * Which backend and secrets provider a Pulumi command a person runs through the project gets
 * (`npm run pulumi`, the plan's preview, the sync's `stack output`), kept apart from the process
 * plumbing so tests can pin the rules:
 * - the local-stacks passphrase only ever for the project's own local file backend
 *   (.local/pulumi-state); a backend the user names in PULUMI_BACKEND_URL gets the user's own
 *   passphrase or secrets provider, or a clear error;
 * - the stack `local` (npm start's) is always on that local backend, whatever the user's settings.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../util/repo-root";
import { commandOf, flagValue, hasSwitch } from "./command-line";
import { crashSafeBackendUrl, LOCAL_STACK_PASSPHRASE, pulumiEnvironment } from "./environment";

/** The project's own local stacks (what `npm start` and `npm run pulumi` use by default). */
export const LOCAL_STATE_DIR = join(repoRoot, ".local", "pulumi-state");

/** The stack `npm start` makes, always on the local backend (LOCAL_STATE_DIR). */
export const LOCAL_STACK = "local";

/** A problem with how the wrapper was called or configured: exit 2, nothing run. */
export class WrapperUsageError extends Error {}

/** True when the URL names the project's local file backend (or none is named). */
export function isLocalBackend(backendUrl: string | undefined): boolean {
  if (!backendUrl) return true;
  if (!backendUrl.startsWith("file://")) return false;
  let path: string;
  try {
    path = fileURLToPath(backendUrl);
  } catch {
    path = backendUrl.slice("file://".length);
  }
  return resolve(path) === resolve(LOCAL_STATE_DIR);
}

/**
 * Commands that encrypt or decrypt stack secrets, so need the stack's secrets provider (the command
 * words may stand anywhere: `-s prod stack output --show-secrets`):
 * - every run of the program or change of the state: preview, up, refresh, destroy, import, watch,
 *   new and `state …` (the state holds secrets, written encrypted);
 * - `stack init`, `stack import` and `stack change-secrets-provider` (they set up or re-encrypt);
 * - `config get` and `config cp` (the value may be a secret), `config set` / `set-all` with
 *   `--secret`;
 * - anything with `--show-secrets` (`stack`, `stack output`, `stack export`, `stack history`,
 *   `config`).
 */
export function needsSecrets(args: string[]): boolean {
  const [first, second] = commandOf(args);
  if (hasSwitch(args, "--show-secrets")) return true;
  if (
    ["preview", "up", "update", "refresh", "destroy", "import", "watch", "new", "state"].includes(
      first ?? "",
    )
  )
    return true;
  if (first === "stack")
    return ["init", "import", "change-secrets-provider"].includes(second ?? "");
  if (first === "config") {
    if (second === "get" || second === "cp") return true;
    return (second === "set" || second === "set-all") && hasSwitch(args, "--secret");
  }
  return false;
}

/** The secrets provider a stack's config file names (Pulumi.<stack>.yaml), if any. */
function stackSecretsProvider(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const name = stack.split("/").pop() ?? stack;
  const file = join(repoRoot, `Pulumi.${name}.yaml`);
  if (!existsSync(file)) return undefined;
  const match = /^secretsprovider:\s*(\S+)/m.exec(readFileSync(file, "utf8"));
  return match?.[1]?.replace(/^["']|["']$/g, "");
}

/**
 * The environment changes for the secrets provider: `PULUMI_CONFIG_PASSPHRASE` to set (or
 * `undefined` to leave it unset). Throws a WrapperUsageError when a user backend would need a
 * passphrase that the user has not given.
 */
export function passphraseFor(args: string[], env: NodeJS.ProcessEnv): string | undefined {
  const userPassphrase = env.PULUMI_CONFIG_PASSPHRASE;
  const userPassphraseFile = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (userPassphrase !== undefined) return userPassphrase;
  if (userPassphraseFile) return undefined; // Pulumi reads the file itself
  const backend = env.PULUMI_BACKEND_URL;
  if (isLocalBackend(backend)) return LOCAL_STACK_PASSPHRASE;
  if (!needsSecrets(args)) return undefined;

  const provider =
    flagValue(args, ["--secrets-provider"]) ??
    stackSecretsProvider(flagValue(args, ["--stack", "-s"]));
  const usesPassphrase =
    provider === undefined
      ? !/^https?:\/\//.test(backend ?? "")
      : provider.startsWith("passphrase");
  if (!usesPassphrase) return undefined;
  throw new WrapperUsageError(
    `no secrets passphrase for your backend ${backend}: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, ` +
      "or give the stack a cloud secrets provider (pulumi stack init <name> --secrets-provider awskms://…, " +
      "azurekeyvault://…, gcpkms://… or hashivault://…; pass --stack so its Pulumi.<stack>.yaml can be read). " +
      "The built-in local-stacks passphrase is only for the project's own .local/ stacks.",
  );
}

/**
 * The environment of a Pulumi command a person runs through the project (`npm run pulumi`, the
 * plan's preview, the sync's `stack output`): PULUMI_BACKEND_URL when set, else the local backend
 * .local/pulumi-state; the secrets passphrase that `passphraseFor` allows, and none otherwise.
 * Throws a WrapperUsageError, before anything runs, when a user backend lacks its passphrase.
 */
export function userCommandEnvironment(
  args: string[],
  processEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const passphrase = passphraseFor(args, processEnv);
  const env = pulumiEnvironment({ projectDir: repoRoot, stateDir: LOCAL_STATE_DIR, passphrase });
  // A user's file:// backend gets the project's crash-safe setting too (environment.ts).
  if (processEnv.PULUMI_BACKEND_URL)
    env.PULUMI_BACKEND_URL = crashSafeBackendUrl(processEnv.PULUMI_BACKEND_URL);
  // pulumiEnvironment always sets a passphrase; a user backend gets only the user's own.
  if (passphrase === undefined) delete env.PULUMI_CONFIG_PASSPHRASE;
  return env;
}

/**
 * The environment of a command on the stack `local` (npm start's): always the local backend with
 * the local passphrase, whatever the user's own backend settings say. Twilio's URL and credentials
 * are the caller's to add (npm start's emulator, or the environment).
 */
export function localStackEnvironment(
  args: string[],
  processEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env = userCommandEnvironment(args, {
    ...processEnv,
    PULUMI_BACKEND_URL: undefined,
    PULUMI_CONFIG_PASSPHRASE: undefined,
    PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
  });
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  return env;
}

/** The environment of a command on `stack`: the local stack's, or what `npm run pulumi` gets. */
export function stackEnvironment(stack: string, args: string[]): NodeJS.ProcessEnv {
  return stack === LOCAL_STACK ? localStackEnvironment(args) : userCommandEnvironment(args);
}
