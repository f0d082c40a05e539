/**
 * Reading and adjusting a Pulumi command line as a person typed it (`npm run pulumi -- …`): its
 * command words, a flag's value, and the drift rule: `preview` and `up` refresh from Twilio first
 * unless told otherwise.
 */

/** The Pulumi command of an argument list (`up`, `stack init`, …): its first words that are not flags. */
export function commandOf(args: string[]): string[] {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("-")) break;
    words.push(arg);
  }
  return words;
}

/** The value of a flag (`--stack x` or `--stack=x`) under any of its names, if given. */
export function flagValue(args: string[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/**
 * `preview` and `up` with `--refresh` added unless the caller chose (`--refresh`,
 * `--refresh=false` or `-r`): the providers' `update` acts on the stored state, so a change made in
 * the Twilio console is only seen, and undone, after a refresh (docs/providers.md, "Drift").
 */
export function withDriftRefresh(args: string[]): { args: string[]; added: boolean } {
  const [command] = commandOf(args);
  const chosen = args.some(
    (a) =>
      a === "-r" || a === "--refresh" || a.startsWith("--refresh=") || a === "--help" || a === "-h",
  );
  if (!["preview", "up", "update"].includes(command ?? "") || chosen) return { args, added: false };
  return { args: [...args, "--refresh"], added: true };
}
