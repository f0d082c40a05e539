/**
 * `npm run emulator -- [options]`: runs the local Twilio emulator in the foreground (its options:
 * src/emulator/cli.ts).
 *
 * The first line on stdout is the base URL (`http://127.0.0.1:<port>`), so scripts can read it;
 * everything else goes to stderr. Ctrl-C (SIGINT) or SIGTERM stops it. The auth token is never
 * printed; API keys made at start show their secrets only when asked (`--print-api-keys`, or
 * `--api-keys-file <path>`, written with mode 0600).
 */
import { chmodSync, writeFileSync } from "node:fs";
import { ADMIN_PREFIX } from "../emulator/admin";
import { describeStartupKeys, HELP, parseCliArgs } from "../emulator/cli";
import { startEmulator } from "../emulator/server";
import { EXIT, main, type RawCommand, resolvePath, UsageError } from "./command";

export const emulatorCommand: RawCommand = {
  script: "emulator",
  usage: HELP,
  // The emulator's own parser (src/emulator/cli.ts) reads the command line.
  options: "raw",
  async run(args, io) {
    let parsed: ReturnType<typeof parseCliArgs>;
    try {
      parsed = parseCliArgs(args, io.env);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.help) {
      io.out(`${HELP}\n`);
      return EXIT.ok;
    }
    const { stateFile } = parsed.options;
    const options = {
      ...parsed.options,
      ...(stateFile !== undefined ? { stateFile: resolvePath(io, stateFile) } : {}),
    };
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    try {
      emulator = await startEmulator(options);
    } catch (error) {
      // A port in use, an unreadable state file: the reason is enough.
      io.err(`error: the emulator did not start: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    if (parsed.apiKeysFile !== undefined) {
      const file = resolvePath(io, parsed.apiKeysFile);
      const keys = emulator.apiKeys.map(({ sid, secret, friendlyName, type, policy }) => ({
        sid,
        secret,
        friendly_name: friendlyName,
        type,
        policy,
      }));
      writeFileSync(file, `${JSON.stringify({ api_keys: keys }, null, 2)}\n`, { mode: 0o600 });
      // `mode` applies only to a new file; an existing one keeps its mode unless told.
      chmodSync(file, 0o600);
    }
    io.out(`${emulator.baseUrl}\n`);
    io.err(
      [
        `[emulator] Twilio emulator listening on ${emulator.baseUrl}`,
        `[emulator] account ${emulator.accountSid}${stateFile ? `, state file ${stateFile}` : ", state in memory"}`,
        `[emulator] point the SDK at it: export TWILIO_BASE_URL=${emulator.baseUrl}`,
        `[emulator] admin API: ${emulator.baseUrl}${ADMIN_PREFIX}/health`,
        ...describeStartupKeys(emulator.apiKeys, parsed.printApiKeys),
        ...(emulator.apiKeys.length > 0 && !parsed.printApiKeys && parsed.apiKeysFile === undefined
          ? ["[emulator] key secrets are not shown: add --print-api-keys or --api-keys-file <path>"]
          : []),
        "",
      ].join("\n"),
    );
    // Serves until stopped; the listening server keeps the process running.
    const stop = () => {
      emulator.close().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failure),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return EXIT.ok;
  },
};

if (require.main === module) main(emulatorCommand);
