/**
 * `npm run pulumi -- <args>`: the pinned Pulumi CLI with the project's environment (the CLI and
 * the dynamic provider plugin on PATH, update checks off). Without PULUMI_BACKEND_URL it uses the
 * local file backend in .local/pulumi-state; without PULUMI_CONFIG_PASSPHRASE, the local-stacks
 * passphrase. Twilio credentials come from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN
 * or TWILIO_API_KEY + TWILIO_API_SECRET, optional TWILIO_BASE_URL).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { crashSafeBackendUrl, pulumiEnvironment, repoRoot, runPulumiIn } from "./lib/pulumi";
import { recoverCommand } from "./lib/recover";

const args = process.argv.slice(2);
if (args.length === 0 || args[0] === "--help" || args[0] === "-h") {
  console.log(`Usage: npm run pulumi -- <pulumi command and flags>

Runs the project's pinned Pulumi CLI, e.g.:
  npm run pulumi -- preview --stack prod --diff
  npm run pulumi -- up --stack prod
  npm run pulumi -- recover --stack prod    (after a killed up; recover --help)
Backend: PULUMI_BACKEND_URL, or the local file backend .local/pulumi-state.
Twilio credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the environment (never stack config).`);
  process.exit(0);
}

const env = pulumiEnvironment({
  projectDir: repoRoot,
  stateDir: join(repoRoot, ".local", "pulumi-state"),
  passphrase: process.env.PULUMI_CONFIG_PASSPHRASE,
});
if (process.env.PULUMI_BACKEND_URL)
  env.PULUMI_BACKEND_URL = crashSafeBackendUrl(process.env.PULUMI_BACKEND_URL);
if (args[0] === "recover") {
  const pulumi = (pulumiArgs: string[]) => runPulumiIn(env, repoRoot, pulumiArgs, { check: false });
  recoverCommand(args.slice(1), env.PULUMI_BACKEND_URL, pulumi).then((code) => process.exit(code));
} else {
  const result = spawnSync(join(env.PULUMI_CLI_BIN ?? "", "pulumi"), args, {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}
