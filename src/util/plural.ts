/** Counting words for what a person reads: "1 account", "3 accounts", "1,000 accounts". */

export interface PluralOptions {
  /** The plural when it is not the word plus "s" ("more account" → "more accounts" is). */
  pluralWord?: string;
  /** Thousands separators (en-US): "1,000". Off by default: "1000". */
  grouped?: boolean;
}

export function plural(count: number, word: string, options: PluralOptions = {}): string {
  const shown = options.grouped ? count.toLocaleString("en-US") : String(count);
  return `${shown} ${count === 1 ? word : (options.pluralWord ?? `${word}s`)}`;
}
