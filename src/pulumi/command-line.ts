/**
 * Reading and adjusting a Pulumi command line as a person typed it (`npm run pulumi -- …`): its
 * command words, a flag's value, and the drift rule: `preview` and `up` refresh from Twilio first
 * unless told otherwise.
 */

/**
 * Pulumi flags that take a value as the next argument (`--stack prod`, `-s prod`), so that value is
 * not read as a command word: `-s prod up` is `up`. Pulumi (cobra) accepts flags before, between
 * and after the command words. Flags with an optional value (`--refresh`, `--suppress-permalink`,
 * `--attach-debugger`) take it only as `--flag=value`, so they are not here. Letters that mean a
 * value in one command and a switch in another (`-d`: up's --debug, `-f`: stack rm's --force) are
 * read as switches: a command word after them is still found.
 */
const VALUE_FLAGS = new Set([
  // global
  "--stack",
  "-s",
  "--cwd",
  "-C",
  "--color",
  "--verbose",
  "-v",
  "--tracing",
  "--tracing-header",
  "--otel-traces",
  "--profiling",
  "--memprofilerate",
  // preview, up, refresh, destroy, import
  "--message",
  "-m",
  "--config",
  "-c",
  "--config-file",
  "--parallel",
  "-p",
  "--target",
  "-t",
  "--exclude",
  "-x",
  "--replace",
  "--target-replace",
  "--secrets-provider",
  "--policy-pack",
  "--policy-pack-config",
  "--event-log",
  "--exec-kind",
  "--exec-agent",
  "--plan",
  "--save-plan",
  "--import-file",
  "--client",
  "--copy-config-from",
  "--runtime-options",
  // stack, config and friends
  "--file",
  "--out",
  "-o",
  "--name",
  "-n",
  "--path",
  "--organization",
  "--project",
]);

/**
 * The Pulumi command of an argument list (`up`, `stack init`, `config set key value`): its words
 * that are neither flags nor a flag's value, wherever they stand (`-s prod up` is `up`). Everything
 * after `--` is a word.
 */
export function commandOf(args: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") return [...words, ...args.slice(i + 1)];
    if (!arg.startsWith("-") || arg === "-") words.push(arg);
    else if (VALUE_FLAGS.has(arg)) i++; // its value is the next argument
  }
  return words;
}

/** The value of a flag (`--stack x` or `--stack=x`) under any of its names, if given. */
export function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") return undefined;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** True when a switch (`--show-secrets`, `--show-secrets=true`) is given and not turned off. */
export function hasSwitch(args: string[], name: string): boolean {
  const end = args.indexOf("--");
  const flags = end === -1 ? args : args.slice(0, end);
  return flags.some((a) => a === name || (a.startsWith(`${name}=`) && a !== `${name}=false`));
}

/**
 * `preview` and `up` with `--refresh` added unless the caller chose (`--refresh`,
 * `--refresh=false` or `-r`): the providers' `update` acts on the stored state, so a change made in
 * the Twilio console is only seen, and undone, after a refresh (docs/providers.md, "Drift"). The
 * command word may stand anywhere (`-s prod up`); the flag goes before a `--`, if any.
 */
export function withDriftRefresh(args: string[]): { args: string[]; added: boolean } {
  const [command] = commandOf(args);
  const end = args.indexOf("--");
  const flags = end === -1 ? args : args.slice(0, end);
  const chosen = flags.some(
    (a) =>
      a === "-r" || a === "--refresh" || a.startsWith("--refresh=") || a === "--help" || a === "-h",
  );
  if (!["preview", "up", "update"].includes(command ?? "") || chosen) return { args, added: false };
  if (end === -1) return { args: [...args, "--refresh"], added: true };
  return { args: [...args.slice(0, end), "--refresh", ...args.slice(end)], added: true };
}
