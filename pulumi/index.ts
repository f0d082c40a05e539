/**
 * The program room (pulumi/): the Pulumi program, run by the language host. Imports providers/,
 * src/config, src/util and the sync's contract types (src/sync/contract.ts); never src/cli,
 * src/start, the emulator, the sender, scripts/, bench/ or test/.
 *
 * The Pulumi program: reads the accounts YAML files named in stack config, validates them (before
 * any Twilio call), and declares one component per account plus the stack's number guard
 * (providers/number-guard.ts).
 *
 * Stack config (namespace twilio-messaging):
 *   accountFiles      JSON list (or comma-separated) of YAML files, relative to the project root
 *   shards            instead of accountFiles, for a sharded setup: the shards manifest (e.g.
 *                     config/shards.yaml); the stack reads the files of the shard whose stack it
 *                     is (src/shards/, docs/shards.md)
 *   twilioAccountSid  Twilio account SID (or TWILIO_ACCOUNT_SID)   } read by the providers
 *   twilioBaseUrl     e.g. the local emulator's URL (or TWILIO_BASE_URL) }
 * The auth token comes from the environment only (TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and
 * TWILIO_API_SECRET): stack config ends up in the state, so a token there is refused.
 * Stack output `accounts`: one AccountOutput per account, for the post-deploy sync.
 */
import "./stack-traces";
import "./lazy-outputs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { guardKey, NumberGuard } from "../providers/number-guard";
import { FORBIDDEN_SECRET_KEYS } from "../providers/twilio-session";
import { ConfigError } from "../src/config/errors";
import { loadAccountsFiles, type ResolvedConfig } from "../src/config/load";
import { unregisteredUsAccounts, unregisteredUsWarning } from "../src/config/us-a2p-warnings";
import { loadShardsManifest, ShardsManifestError, shardOfStack } from "../src/shards/manifest";
import { repoRoot } from "../src/util/repo-root";
import { AccountResources } from "./account";

function accountFiles(config: pulumi.Config): string[] {
  const manifest = config.get("shards");
  if (manifest) {
    if (config.get("accountFiles")) {
      throw new pulumi.RunError("set either shards or accountFiles in the stack config, not both");
    }
    try {
      const shard = shardOfStack(loadShardsManifest(manifest), pulumi.getStack());
      return shard.files.map((file) => resolve(repoRoot, file));
    } catch (error) {
      if (error instanceof ShardsManifestError) throw new pulumi.RunError(error.message);
      throw error;
    }
  }
  const raw = config.get("accountFiles");
  if (!raw) {
    throw new pulumi.RunError(
      "no accounts files configured: run `pulumi config set accountFiles config/accounts.yaml` (a JSON list or comma-separated paths)",
    );
  }
  const list: unknown = raw.trim().startsWith("[") ? JSON.parse(raw) : raw.split(",");
  if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
    throw new pulumi.RunError("accountFiles must be a JSON list of paths or comma-separated paths");
  }
  return list.map((path: string) => resolve(repoRoot, path.trim()));
}

function loadConfig(files: string[]): ResolvedConfig {
  try {
    return loadAccountsFiles(files);
  } catch (error) {
    // Bad input changes nothing: fail before any resource is declared, with the file, line and path.
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/** Stack config is stored in the state as the dynamic provider's inputs: no secret may be there. */
function refuseSecretsInConfig(config: pulumi.Config): void {
  for (const key of FORBIDDEN_SECRET_KEYS) {
    if (config.get(key) !== undefined) {
      throw new pulumi.RunError(
        `stack config '${key}' is set, but Pulumi would store it in the state (as the providers' inputs). ` +
          `Remove it (pulumi config rm ${key}) and give the secret in the environment: TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET.`,
      );
    }
  }
}

const config = new pulumi.Config();
refuseSecretsInConfig(config);
const declared = loadConfig(accountFiles(config)).accounts;
// Valid, but US carriers block these accounts' messages: the plan shows Pulumi's warnings.
for (const account of unregisteredUsAccounts(declared))
  pulumi.log.warn(unregisteredUsWarning(account));

const accountResources = declared.map((account) => new AccountResources(account));

new NumberGuard(
  "number-guard",
  {
    numbers: Object.fromEntries(
      declared.flatMap((account) =>
        account.numbers.map((number) => [
          guardKey(account.id, number.name),
          {
            accountId: account.id,
            accountName: account.name,
            numberName: number.name,
            release: number.release,
          },
        ]),
      ),
    ),
  },
  // Depending on every account resource makes `pulumi destroy` reach the guard first.
  { dependsOn: accountResources },
);

export const accounts = accountResources.map((resources) => resources.output);
