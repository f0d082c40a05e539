/**
 * `npm start`: the main job on the embedded defaults, for a newcomer with no Twilio account.
 *
 * Starts the local Twilio emulator (its state kept in .local/emulator-state.json, with the number
 * the example adopts pre-seeded), then runs `pulumi up` of the project's program on a local stack
 * (.local/pulumi-state) for config/accounts.example.yaml, and prints the accounts it produced.
 * Running it again converges: nothing is bought twice, and an unchanged file changes nothing.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, startEmulator } from "../src/emulator/server";
import { initStack, type PulumiWorkspace, repoRoot, runPulumi } from "./lib/pulumi";

const HELP = `Usage: npm start [-- options]

Deploys accounts YAML to a local Twilio emulator with the real Pulumi CLI (local stack "local").

Options:
  --accounts <file>   accounts YAML to deploy (repeatable; default config/accounts.example.yaml)
  --port <n>          emulator port (default 4010)
  --fresh             forget the local emulator state and stack first (start over)
  -h, --help          show this help

State lives in .local/ (git-ignored). Against real Twilio use \`npm run pulumi -- up\` with your own
stack and TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN in the environment (see README).`;

/** The number config/accounts.example.yaml adopts: it exists in the emulator's account from the start. */
const EXAMPLE_ADOPTED_NUMBER = {
  sid: "PN831c1beb6ad178ed2af5f9757f8aa4a4",
  phoneNumber: "+16045550142",
  friendlyName: "Kitsilano front desk (bought before this project)",
};

const log = (message: string) => process.stderr.write(`[start] ${message}\n`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      accounts: { type: "string", multiple: true },
      port: { type: "string", default: "4010" },
      fresh: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port expects a TCP port, got '${values.port}'`);
    return 2;
  }
  const accounts = values.accounts ?? ["config/accounts.example.yaml"];
  const localDir = join(repoRoot, ".local");
  if (values.fresh) rmSync(localDir, { recursive: true, force: true });
  mkdirSync(localDir, { recursive: true });

  log(`starting the Twilio emulator on 127.0.0.1:${port} (state: .local/emulator-state.json)`);
  const emulator = await startEmulator({
    port,
    stateFile: join(localDir, "emulator-state.json"),
    seedPhoneNumbers: [EXAMPLE_ADOPTED_NUMBER],
  }).catch((error: Error) => {
    throw new Error(
      `could not start the emulator on port ${port} (${error.message}); try --port <another>`,
    );
  });
  try {
    // Credentials and the emulator's address go through the environment only: stack config is
    // stored in the state, and the port may differ from run to run.
    const ws: PulumiWorkspace = {
      projectDir: repoRoot,
      stateDir: join(localDir, "pulumi-state"),
      env: {
        TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN,
        TWILIO_BASE_URL: emulator.baseUrl,
      },
    };
    log("preparing the local stack 'local' (the pinned Pulumi CLI is built on first use)");
    await initStack(ws, "local", { plain: { accountFiles: JSON.stringify(accounts) } });
    log(`pulumi up for ${accounts.join(", ")}`);
    const up = await runPulumi(ws, ["up", "--yes", "--skip-preview", "--stack", "local"], {
      echo: true,
      check: false,
    });
    if (up.code !== 0) {
      log("pulumi up failed (see above); nothing else was changed");
      return 1;
    }
    const outputs = await runPulumi(ws, [
      "stack",
      "output",
      "accounts",
      "--json",
      "--stack",
      "local",
    ]);
    console.log(outputs.stdout.trim());
    log(
      `done: ${emulator.requestLog.countMutations()} changing Twilio call(s) this run. ` +
        "Run `npm start` again: an unchanged file changes nothing.",
    );
    return 0;
  } finally {
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  },
);
