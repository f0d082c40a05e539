/**
 * The entry points (src/cli/): one file per `npm run` command and `npm start`, each a thin layer
 * that reads the command line, wires the parts together, and says what happened. It is the
 * manager: the only room that puts the emulator, the database, the deploy-time jobs (plan, sync,
 * start, pulumi) and the sender together, handing each what it needs (URLs, credentials, an open
 * database, a sender), as a controller-runtime manager wires its reconcilers.
 *
 * May import every room under src/. Must not import scripts/, bench/ or test/; nothing under src/,
 * providers/ or pulumi/ imports it (tests and benchmarks may).
 *
 * This file: the one scaffold every command is written with. A command declares its usage text and
 * its options (node:util parseArgs); the scaffold answers `--help` (exit 0), refuses a command line
 * it cannot use with the reason and the usage text (exit 2), resolves the user's relative paths
 * against the directory they ran npm in, and runs the command as the process's main module.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** The exit codes of every command (README, "Commands"). */
export const EXIT = {
  ok: 0,
  /** Something failed or needs a look; the reason is printed first. */
  failure: 1,
  /** The command line (or an input checked before any work) is not usable; nothing was done. */
  usage: 2,
  /** `npm run plan`: the plan releases a number or deletes something in Twilio. */
  destructive: 3,
} as const;

export interface CommandIo {
  /** Results (stdout). */
  out(text: string): void;
  /** Progress and errors (stderr). */
  err(text: string): void;
  /** Where the user ran the command: relative paths they give start here (`resolvePath`). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** What a caller must give to run a command in process (tests); cwd and env default to this process's. */
export type CommandIoInput = Pick<CommandIo, "out" | "err"> & Partial<CommandIo>;

/** A command line the command cannot use: printed with the usage text, exit 2, nothing done. */
export class UsageError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What parseArgs found: `values` typed from the command's options, and the other words. */
export type ParsedArgs<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

interface CommandBase {
  /**
   * The npm script that runs it ("sync"; "start" for npm start). npm runs every script in the
   * project root and says where the user was in INIT_CWD; `invocationDir` trusts INIT_CWD only
   * while this script is the one npm is running.
   */
  script: string;
  /** The `--help` text, also printed under a usage error. */
  usage: string;
  /** How the command's own messages start; "error" unless it has always said its name. */
  prefix?: string;
}

export interface Command<O extends OptionsConfig> extends CommandBase {
  options: O;
  /** Whether words that are not options (files, …) are taken; refused otherwise. */
  positionals?: boolean;
  run(args: ParsedArgs<O>, io: CommandIo): Promise<number> | number;
}

/**
 * A command that reads its own command line (`npm run pulumi` hands it to Pulumi). The scaffold
 * answers a leading `--help` and turns a UsageError into exit 2, as for every other command.
 */
export interface RawCommand extends CommandBase {
  options: "raw";
  run(args: string[], io: CommandIo): Promise<number> | number;
}

export type AnyCommand = RawCommand | Command<OptionsConfig>;

/** Declares a command; `options` keep their literal types, so `run` sees typed values. */
export function defineCommand<const O extends OptionsConfig>(command: Command<O>): Command<O> {
  return command;
}

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/**
 * parseArgs's message, as is, except for an unknown option of a command that takes files: Node's
 * long advice about '-' becomes a short one.
 */
function describeParseError(error: Error, takesPositionals: boolean): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown && takesPositionals) {
    return `unknown option ${unknown[1]} (a file whose name starts with '-' goes after --)`;
  }
  return error.message;
}

/** Runs a command with `args`; resolves with its exit code. An unexpected error is thrown. */
export async function runCommand(
  command: AnyCommand,
  args: readonly string[],
  ioInput: CommandIoInput,
): Promise<number> {
  const io: CommandIo = { cwd: process.cwd(), env: process.env, ...ioInput };
  const usage = `${command.usage.trimEnd()}\n`;
  const refuse = (message: string) => {
    io.err(`${command.prefix ?? "error"}: ${message}\n\n${usage}`);
    return EXIT.usage;
  };
  try {
    if (command.options === "raw") {
      if (args[0] === "--help" || args[0] === "-h") {
        io.out(usage);
        return EXIT.ok;
      }
      return await command.run([...args], io);
    }
    let parsed: ParsedArgs<OptionsConfig>;
    try {
      parsed = parseArgs({
        args: [...args],
        options: { ...command.options, ...HELP_OPTION },
        strict: true,
        allowPositionals: command.positionals === true,
      });
    } catch (error) {
      return refuse(describeParseError(error as Error, command.positionals === true));
    }
    if (parsed.values.help === true) {
      io.out(usage);
      return EXIT.ok;
    }
    return await command.run(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) return refuse(error.message);
    throw error;
  }
}

/**
 * Where the user ran the command: INIT_CWD while npm runs this command's own script (npm starts
 * scripts in the project root), else the working directory (a test or a person running tsx).
 */
export function invocationDir(
  script: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  return env.npm_lifecycle_event === script && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/**
 * A path the user gave, as this process opens it: resolved against where they ran the command,
 * and written relative to this process's working directory when it lies inside it, so messages
 * that name it stay short (npm runs every script in the project root).
 */
export function resolvePath(io: Pick<CommandIo, "cwd">, path: string): string {
  if (isAbsolute(path)) return path;
  const absolute = resolve(io.cwd, path);
  const fromHere = relative(process.cwd(), absolute);
  return fromHere === "" || fromHere.startsWith("..") || isAbsolute(fromHere) ? absolute : fromHere;
}

/** The process's own stdout and stderr, from the directory the user ran the command in. */
export function processIo(script: string): CommandIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: invocationDir(script),
    env: process.env,
  };
}

/**
 * Runs a command as the process's main module: `process.argv`, stdout and stderr, and its exit
 * code (the process ends when its work does; the emulator's server keeps it running). An
 * unexpected error is printed reason first, then where it happened, and exits 1.
 */
export function main(command: AnyCommand): void {
  const io = processIo(command.script);
  runCommand(command, process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const where =
        error instanceof Error && error.stack
          ? `\n${error.stack
              .split("\n")
              .filter((line) => line.trimStart().startsWith("at "))
              .join("\n")}`
          : "";
      io.err(`${command.prefix ?? "error"}: ${message}${where}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
