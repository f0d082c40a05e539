/**
 * What every command entry point shares: where it writes (so tests can run it in process), and how
 * it runs as `npm run <name>`: the exit code it returns, or 1 with the failure when it throws.
 */

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs a command as the process's main module: its exit code, or 1 with the unexpected error. */
export function runAsMain(name: string, run: (args: string[]) => Promise<number>): void {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.stack : error}\n`);
      process.exitCode = 1;
    },
  );
}
