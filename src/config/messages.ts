/**
 * Wording of configuration errors: how a found value is described, and how an unknown key is
 * matched to the closest known one. The schema uses these for its per-field messages; the loader
 * uses them for the generic ones (missing key, unknown key, wrong type).
 */

const MAX_QUOTED = 60;

/** Describes a value read from YAML the way a user would recognise it in the file. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    if (value.length === 0) return "an empty string";
    if (value.length <= MAX_QUOTED) return JSON.stringify(value);
    return `a string of ${value.length} characters, ${JSON.stringify(`${value.slice(0, 40)}…`)}`;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

/** "expected <what>, got <found>": the one shape of every value error. */
export function expectedGot(what: string, found: unknown): string {
  return `expected ${what}, got ${describeValue(found)}`;
}

/**
 * A zod error function for one field: every issue raised for that field (wrong type, failed
 * format, out of range) reads "expected <what>, got <value>". A missing required key is left to
 * the loader's generic message ("missing required key …").
 */
export function expected(what: string | ((input: unknown) => string)) {
  return (issue: { input?: unknown }): string | undefined => {
    if (issue.input === undefined) return undefined;
    const text = typeof what === "function" ? what(issue.input) : what;
    return expectedGot(text, issue.input);
  };
}

/** Lower-cased, without separators: "sticky_sender" and "StickySender" both become "stickysender". */
function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Keys longer than this are no typo of a known key (the longest is 25 characters): no suggestion
 * is computed (the edit distance costs the product of the lengths) and only their start is shown.
 */
export const MAX_SUGGESTED_KEY_LENGTH = 64;

/** A key as shown in a message: its first characters when it is absurdly long. */
export function shortKey(key: string): string {
  if (key.length <= MAX_SUGGESTED_KEY_LENGTH) return key;
  return `${key.slice(0, 40)}… (${key.length} characters)`;
}

/** The known key closest to `key`, if one is close enough to be a plausible typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > MAX_SUGGESTED_KEY_LENGTH) return undefined;
  const wanted = normaliseKey(key);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(wanted, normaliseKey(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** "unknown key 'stickySendr'; did you mean 'stickySender'?" or the list of allowed keys. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestKey(key, known);
  const shown = shortKey(key);
  if (suggestion !== undefined) return `unknown key '${shown}'; did you mean '${suggestion}'?`;
  const allowed = known.map((k) => `'${k}'`).join(", ");
  return `unknown key '${shown}'; allowed keys here: ${allowed}`;
}

/** "missing required key 'name'". */
export function missingKeyMessage(key: PropertyKey | undefined): string {
  return key === undefined ? "missing value" : `missing required key '${String(key)}'`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  null: "an empty value",
};

/** "a string", "a mapping", … for zod's `expected` type names. */
export function typeWord(zodType: string): string {
  return TYPE_WORDS[zodType] ?? zodType;
}
