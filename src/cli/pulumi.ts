/**
 * `npm run pulumi -- <args>`: the pinned Pulumi CLI with the project's environment (the CLI and
 * the dynamic provider plugin on PATH, update checks off), plus `recover`. The rules it adds live
 * in src/pulumi/:
 * - backend: PULUMI_BACKEND_URL, or the local file backend .local/pulumi-state (backend.ts);
 * - secrets: the local-stacks passphrase only for that local backend; on any other backend a
 *   command that reads or writes secrets (`needsSecrets` in backend.ts) needs the user's
 *   PULUMI_CONFIG_PASSPHRASE / PULUMI_CONFIG_PASSPHRASE_FILE or a non-passphrase secrets provider,
 *   else it stops with exit code 2 before running anything;
 * - drift: `preview` and `up` get `--refresh` unless the command line says otherwise, wherever the
 *   command word stands (`-s prod up`; command-line.ts);
 * - `recover` after a killed `up` (recover.ts).
 * Twilio credentials come from the environment (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or
 * TWILIO_API_KEY + TWILIO_API_SECRET, optional TWILIO_BASE_URL).
 */
import { spawnSync } from "node:child_process";
import { userCommandEnvironment, WrapperUsageError } from "../pulumi/backend";
import { commandOf, withDriftRefresh } from "../pulumi/command-line";
import { type PulumiRunner, recoverStack } from "../pulumi/recover";
import { runPulumiIn } from "../pulumi/run";
import { repoRoot } from "../util/repo-root";
import {
  type CommandIo,
  defineCommand,
  EXIT,
  main,
  type RawCommand,
  runCommand,
  UsageError,
} from "./command";

const USAGE = `Usage: npm run pulumi -- <pulumi command and flags>

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

const RECOVER_USAGE = `Usage: npm run pulumi -- recover --stack <stack>

Makes a stack usable again after \`pulumi up\` was killed, then says what to run next:
  1. removes the file backend's broken metadata sidecars (empty <file>.attrs: the cause of
     "failed to load checkpoint: EOF");
  2. removes the killed run's lock (pulumi cancel), unless a pulumi process still holding it is
     alive on this machine (then nothing is changed: wait for it, or stop it);
  3. checks that the stack's state loads.
Then run \`npm run pulumi -- up --stack <stack>\`: objects the killed run created in Twilio are
found by their markers and adopted, never created twice.

Options:
  --stack <stack>   the stack to recover (required)
  -h, --help        show this help

Exit codes: 0 recovered, 1 failed or refused (nothing changed), 2 usage.`;

/** `recover`: exit 0 recovered, 1 failed or refused, 2 usage. */
function recoverCommand(backendUrl: string | undefined, pulumi: PulumiRunner) {
  return defineCommand({
    script: "pulumi",
    prefix: "recover",
    usage: RECOVER_USAGE,
    options: { stack: { type: "string", short: "s" } },
    async run({ values }, io) {
      const stack = values.stack;
      if (!stack) throw new UsageError("--stack is required");
      const log = (line: string) => io.err(`[recover] ${line}\n`);
      try {
        await recoverStack(stack, backendUrl, pulumi, log);
      } catch (error) {
        // Refused (an update still running) or failed: nothing more was changed.
        io.err(`recover: ${(error as Error).message}\n`);
        return EXIT.failure;
      }
      io.out(
        `stack ${stack} recovered. Next: npm run pulumi -- up --stack ${stack} (what the killed run created is adopted, not created again)\n`,
      );
      return EXIT.ok;
    },
  });
}

async function runWrapper(given: string[], io: CommandIo): Promise<number> {
  if (given.length === 0) {
    io.out(`${USAGE}\n`);
    return EXIT.ok;
  }
  const { args, added } = withDriftRefresh(given);
  let env: NodeJS.ProcessEnv;
  try {
    env = userCommandEnvironment(given, io.env);
  } catch (error) {
    if (!(error instanceof WrapperUsageError)) throw error;
    io.err(`npm run pulumi: ${error.message}\n`);
    return EXIT.usage;
  }
  if (added) {
    io.err(
      "npm run pulumi: added --refresh (reads every resource from Twilio first, so drift made outside shows; --refresh=false skips it)\n",
    );
  }
  if (commandOf(given)[0] === "recover") {
    const pulumi: PulumiRunner = (pulumiArgs) =>
      runPulumiIn(env, repoRoot, pulumiArgs, { check: false });
    const rest = given.filter((_, i) => i !== given.indexOf("recover"));
    return runCommand(recoverCommand(env.PULUMI_BACKEND_URL, pulumi), rest, io);
  }
  const result = spawnSync(`${env.PULUMI_CLI_BIN ?? ""}/pulumi`, args, {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  });
  return result.status ?? EXIT.failure;
}

export const pulumiCommand: RawCommand = {
  script: "pulumi",
  prefix: "npm run pulumi",
  usage: USAGE,
  options: "raw",
  run: runWrapper,
};

if (require.main === module) main(pulumiCommand);
