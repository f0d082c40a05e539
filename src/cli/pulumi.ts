/**
 * `npm run pulumi -- <args>`: the pinned Pulumi CLI with the project's environment (the CLI and
 * the dynamic provider plugin on PATH, update checks off). The rules it adds (scripts/lib/
 * pulumi-wrapper.ts):
 * - backend: PULUMI_BACKEND_URL, or the local file backend .local/pulumi-state;
 * - secrets: the local-stacks passphrase only for that local backend; any other backend needs the
 *   user's PULUMI_CONFIG_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE_FILE or a non-passphrase secrets
 *   provider, else it stops with exit code 2 before running anything;
 * - drift: `preview` and `up` get `--refresh` unless the command line says otherwise.
 * Twilio credentials come from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or
 * TWILIO_API_KEY + TWILIO_API_SECRET, optional TWILIO_BASE_URL).
 */
import { spawnSync } from "node:child_process";
import { repoRoot, runPulumiIn } from "./lib/pulumi";
import { userCommandEnvironment, WrapperUsageError, withDriftRefresh } from "./lib/pulumi-wrapper";
import { recoverCommand } from "./lib/recover";

const HELP = `Usage: npm run pulumi -- <pulumi command and flags>

Runs the project's pinned Pulumi CLI, e.g.:
  npm run pulumi -- preview --stack prod --diff     (refreshes from Twilio first)
  npm run pulumi -- up --stack prod                 (refreshes from Twilio first)
  npm run pulumi -- recover --stack prod            (after a killed up; recover --help)

Drift: preview and up get --refresh added, so changes made in the Twilio console show in the
preview and up puts the YAML's values back; --refresh=false skips the reads.
Backend: PULUMI_BACKEND_URL, or the local file backend .local/pulumi-state.
Secrets provider: the local stacks use a fixed passphrase; your own backend needs
  PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, or a cloud secrets provider
  (stack init --secrets-provider awskms://… and friends).
Twilio credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment (never stack config).
\`npm run pulumi -- <command> --help\` shows Pulumi's own help for a command.`;

async function main(): Promise<number> {
  const given = process.argv.slice(2);
  if (given.length === 0 || given[0] === "--help" || given[0] === "-h") {
    console.log(HELP);
    return 0;
  }
  const { args, added } = withDriftRefresh(given);
  let env: NodeJS.ProcessEnv;
  try {
    env = userCommandEnvironment(given);
  } catch (error) {
    if (!(error instanceof WrapperUsageError)) throw error;
    process.stderr.write(`npm run pulumi: ${error.message}\n`);
    return 2;
  }
  if (added) {
    process.stderr.write(
      "npm run pulumi: added --refresh (reads every resource from Twilio first, so drift made outside shows; --refresh=false skips it)\n",
    );
  }
  if (given[0] === "recover") {
    const pulumi = (pulumiArgs: string[]) =>
      runPulumiIn(env, repoRoot, pulumiArgs, { check: false });
    return recoverCommand(given.slice(1), env.PULUMI_BACKEND_URL, pulumi);
  }
  const result = spawnSync(`${env.PULUMI_CLI_BIN ?? ""}/pulumi`, args, {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  });
  return result.status ?? 1;
}

main().then((code) => process.exit(code));
