/**
 * `npm run shard:move -- --account ID --from SHARD --to SHARD [--manifest FILE]`: moves one account
 * between two shards (src/shards/move.ts): its resources with `pulumi state move`, the stacks'
 * number guards, then its YAML. Re-running after a crash finishes the move. Exit codes: 0 moved
 * (or already moved), 1 refused or failed (the reason first), 2 usage.
 */
import { WrapperUsageError } from "../pulumi/backend";
import {
  DEFAULT_MANIFEST,
  loadShardsManifest,
  ShardsManifestError,
  shardNamed,
} from "../shards/manifest";
import { moveAccount, ShardMoveError } from "../shards/move";
import { defineCommand, EXIT, main, resolvePath, UsageError } from "./command";

const USAGE = `Usage: npm run shard:move -- --account <id> --from <shard> --to <shard> [--manifest <file>]

Moves one account from a shard to another without touching Twilio: its number, Messaging Service
and attachments go from the source shard's stack to the destination's with Pulumi's own
\`pulumi state move\` (same resources, same IDs; nothing is bought, created or released); the two
stacks' number guards learn the move; then the account's YAML goes from the source shard's file
to the destination shard's (its last file). Afterwards the plans of both shards show no Twilio
change: commit the YAML change and merge it before either shard deploys again (docs/shards.md).

Crash-safe: killed at any point, run the same command again; it looks where the resources, the
guards and the YAML are, and does only what is left.

Options:
  --account <id>       the account's id (its \`id\` in the YAML)
  --from <shard>       the shard it is in now (a name from the manifest)
  --to <shard>         the shard it goes to
  --manifest <file>    the shards manifest (default ${DEFAULT_MANIFEST})
  -h, --help           show this help

Backend: PULUMI_BACKEND_URL with your PULUMI_CONFIG_PASSPHRASE(_FILE) or secrets provider (as
npm run pulumi); both stacks on the same backend. Nothing else may deploy either shard meanwhile.

Exit codes: 0 moved (or already moved), 1 refused or failed (the reason first; re-run after a
failure), 2 usage.`;

const ACCOUNT_ID = /^[A-Za-z0-9-]{1,64}$/;

export const shardMoveCommand = defineCommand({
  script: "shard:move",
  usage: USAGE,
  options: {
    account: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    manifest: { type: "string" },
  },
  async run({ values }, io) {
    for (const name of ["account", "from", "to"] as const) {
      if (!values[name]) throw new UsageError(`--${name} is required`);
    }
    if (!ACCOUNT_ID.test(values.account as string)) {
      throw new UsageError(`--account expects an account id, got '${values.account}'`);
    }
    try {
      const manifest = loadShardsManifest(resolvePath(io, values.manifest ?? DEFAULT_MANIFEST));
      const from = shardNamed(manifest, values.from as string);
      const to = shardNamed(manifest, values.to as string);
      const report = await moveAccount({
        accountId: values.account as string,
        from,
        to,
        log: (line) => io.err(`[shard:move] ${line}\n`),
      });
      io.out(
        `moved account ${values.account} from shard ${from.name} (stack ${from.stack}) to shard ${to.name} (stack ${to.stack}): ` +
          `${report.resourcesMoved} resource(s) moved in this run, ${report.guardsChanged} guard(s) updated, YAML ${report.yamlChanged ? `now in ${report.file}` : `already in ${report.file}`}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof WrapperUsageError) {
        io.err(`error: ${error.message}\n`);
        return EXIT.usage;
      }
      if (!(error instanceof ShardMoveError) && !(error instanceof ShardsManifestError))
        throw error;
      io.err(`error: ${error.message}\n`);
      return EXIT.failure;
    }
  },
});

if (require.main === module) main(shardMoveCommand);
