/*
 * The config room (src/config/): the accounts YAML format (schema.ts, the zod source of truth), its
 * loader with positioned errors (this file), the JSON Schema for editors, and JSON input checked
 * against a zod schema (json-input.ts). Imports only src/validation and src/util; never the rooms
 * built on it (plan, sync, start, pulumi, sender, emulator, cli), scripts/, bench/ or test/.
 */
/**
 * Reads accounts YAML files into one resolved configuration: every file is validated against the
 * schema, cross-file rules are checked (account ids and adopted numbers are unique), and defaults
 * are applied. Either the whole configuration comes back, or a ConfigError listing every problem.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./errors";
import { expectedGot, missingKeyMessage, shortKey, typeWord, unknownKeyMessage } from "./messages";
import {
  type AccountConfig,
  type AccountsDefaults,
  type AccountsFile,
  AccountsFileSchema,
  type AdoptTarget,
  DESTRUCTIVE_FLAGS,
  MESSAGING_SERVICE_FRIENDLY_NAME_MAX,
  MESSAGING_SERVICE_NAME_SUFFIX,
  type MessagingServiceSettings,
  NUMBER_FRIENDLY_NAME_MAX,
  type NumberConfig,
  type UsA2pConfig,
} from "./schema";
import { type DataPath, readYamlSource, type YamlSource } from "./yaml-source";

// ---------------------------------------------------------------------------------------------
// Resolved types: derived from the schema's output types, with every default filled in.
// ---------------------------------------------------------------------------------------------

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Settings as written (defaults merged under the account's), plus the resolved friendly name. */
export type ResolvedMessagingService = Simplify<
  Omit<MessagingServiceSettings, "friendlyName"> & {
    friendlyName: NonNullable<MessagingServiceSettings["friendlyName"]>;
  }
>;

type ResolvedNumberCommon = Pick<
  NumberConfig,
  "name" | "vapiPhoneId" | "smsUrl" | "voiceUrl" | "statusCallback" | "release"
> & {
  friendlyName: NonNullable<NumberConfig["friendlyName"]>;
  /** The release window in days (the number's, else the account's, else the file's default). */
  releaseAfterDays: number;
  /** Where a parked number's webhooks point (defaults.parkingUrl); absent: cleared. */
  parkingUrl?: string;
};

/** A number to buy in an area code. */
export type ResolvedBuyNumber = Simplify<
  {
    kind: "buy";
    areaCode: NonNullable<NumberConfig["areaCode"]>;
    country: AccountsDefaults["country"];
  } & ResolvedNumberCommon
>;

type AdoptBy<K extends keyof AdoptTarget> = { [P in K]-?: NonNullable<AdoptTarget[P]> } & {
  [P in Exclude<keyof AdoptTarget, K>]?: undefined;
};

/** A number the Twilio account already owns, identified by SID or by E.164 number. */
export type ResolvedAdoptNumber =
  | Simplify<{ kind: "adopt" } & AdoptBy<"sid"> & ResolvedNumberCommon>
  | Simplify<{ kind: "adopt" } & AdoptBy<"phoneNumber"> & ResolvedNumberCommon>;

export type ResolvedNumber = ResolvedBuyNumber | ResolvedAdoptNumber;

export type ResolvedAccount = Simplify<
  Pick<AccountConfig, "id" | "name" | "release"> & {
    messagingService: ResolvedMessagingService;
    /** In a released account every number has release: true. */
    numbers: ResolvedNumber[];
    /** The US A2P 10DLC registration (compliance.usA2p), when declared. */
    usA2p?: UsA2pConfig;
    /** The file that declares the account, as it was given. */
    sourceFile: string;
  }
>;

export interface ResolvedConfig {
  /** In the order of the files given, then of the documents. */
  accounts: ResolvedAccount[];
}

/** A file's name and content, for validating without touching the disk. */
export interface AccountsSource {
  fileName: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * The largest accounts file read: 512 KiB, about 1,800 accounts written out (a real account takes
 * 250-300 bytes), so that no file takes a second to validate (bench/config-validation.ts prints the
 * figure). More accounts go in more files.
 */
export const MAX_FILE_BYTES = 512 * 1024;

function tooLargeMessage(bytes: number): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return `the file is ${count(bytes)} bytes; an accounts file may be at most ${count(MAX_FILE_BYTES)} bytes (512 KiB): split the accounts across several files`;
}

/** Reads, validates and resolves the given files (a path given twice is read once). */
export function loadAccountsFiles(paths: readonly string[]): ResolvedConfig {
  if (paths.length === 0) {
    throw new ConfigError([
      { file: "", line: 0, column: 0, path: "", message: "no accounts files given" },
    ]);
  }
  const seen = new Set<string>();
  const sources: AccountsSource[] = [];
  const readIssues: ConfigIssue[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    try {
      // Measured before reading, so an enormous file is never loaded into memory.
      const { size } = statSync(path);
      if (size > MAX_FILE_BYTES) {
        readIssues.push({
          file: path,
          line: 0,
          column: 0,
          path: "",
          message: tooLargeMessage(size),
        });
        continue;
      }
      sources.push({ fileName: path, text: readFileSync(path, "utf8") });
    } catch (error) {
      readIssues.push({ file: path, line: 0, column: 0, path: "", message: readFailure(error) });
    }
  }
  return resolveSources(sources, readIssues);
}

/** Validates and resolves one document held in memory. */
export function parseAccountsDocument(text: string, fileName: string): ResolvedConfig {
  return resolveSources([{ fileName, text }], []);
}

/** Validates and resolves several documents held in memory, as if they were files. */
export function parseAccountsDocuments(sources: readonly AccountsSource[]): ResolvedConfig {
  return resolveSources(sources, []);
}

function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "cannot read the file: it does not exist";
  if (code === "EISDIR") return "cannot read the file: it is a directory (give YAML files)";
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface CheckedFile {
  fileName: string;
  source: YamlSource;
  /** The plain data, for the cross-file checks (which run even when the schema failed). */
  raw: unknown;
  /** Present when the file passed the schema. */
  parsed: AccountsFile | undefined;
}

function resolveSources(
  sources: readonly AccountsSource[],
  initialIssues: readonly ConfigIssue[],
): ResolvedConfig {
  const issues: ConfigIssue[] = [...initialIssues];
  const files: CheckedFile[] = [];
  for (const { fileName, text } of sources) {
    const checked = checkFile(fileName, text, issues);
    if (checked !== undefined) files.push(checked);
  }
  checkAcrossFiles(files, issues);

  if (issues.length > 0) {
    throw new ConfigError(sortIssues(issues, sources));
  }
  const accounts: ResolvedAccount[] = [];
  for (const file of files) {
    // No issues means every file parsed.
    if (file.parsed === undefined) throw new Error(`internal: ${file.fileName} was not parsed`);
    accounts.push(...resolveFile(file.parsed, file.fileName));
  }
  return { accounts };
}

function checkFile(fileName: string, text: string, issues: ConfigIssue[]): CheckedFile | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_FILE_BYTES) {
    issues.push({ file: fileName, line: 0, column: 0, path: "", message: tooLargeMessage(bytes) });
    return undefined;
  }
  const source = readYamlSource(text);
  if (source.problems.length > 0) {
    for (const problem of source.problems) issues.push({ file: fileName, path: "", ...problem });
    return undefined;
  }
  if (source.data === undefined || source.data === null) {
    issues.push({
      file: fileName,
      line: 1,
      column: 1,
      path: "",
      message: "the file is empty; expected a mapping with an 'accounts' list",
    });
    return undefined;
  }
  const result = parseWithLocatedIssues(source.data);
  const literalIssues = nonLiteralDestructiveFlags(source);
  for (const issue of [...result.issues, ...literalIssues]) {
    issues.push({
      file: fileName,
      ...source.locate(issue.path, { atKey: issue.atKey }),
      path: formatPath(issue.path),
      message: issue.message,
    });
  }
  return {
    fileName,
    source,
    raw: source.data,
    parsed: literalIssues.length > 0 ? undefined : result.parsed,
  };
}

/**
 * `release: True`, `release: !!bool "true"` and `release: "true"` never release anything: a flag
 * that deletes numbers takes the literal `true` or `false` only. (A quoted "true" is a string and
 * already fails the schema; this catches the spellings YAML itself reads as booleans.)
 */
function nonLiteralDestructiveFlags(source: YamlSource): SchemaIssue[] {
  const data = source.data;
  if (!isRecord(data) || !Array.isArray(data.accounts)) return [];
  const paths: DataPath[] = [];
  data.accounts.forEach((account: unknown, a) => {
    if (!isRecord(account)) return;
    for (const flag of DESTRUCTIVE_FLAGS) paths.push(["accounts", a, flag]);
    if (!Array.isArray(account.numbers)) return;
    account.numbers.forEach((_number: unknown, n) => {
      for (const flag of DESTRUCTIVE_FLAGS) paths.push(["accounts", a, "numbers", n, flag]);
    });
  });
  const issues: SchemaIssue[] = [];
  for (const path of paths) {
    const written = source.written(path);
    if (written === undefined || typeof valueAt(data, path) !== "boolean") continue;
    if (written.plain && !written.tagged && (written.text === "true" || written.text === "false"))
      continue;
    const spelling = written.tagged ? `${written.text} with an explicit tag` : written.text;
    issues.push({
      path,
      message: `expected the literal true or false (this flag releases numbers in Twilio, so no other spelling counts), got ${spelling}`,
      atKey: false,
    });
  }
  return issues;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isRecord(value) && typeof segment === "string") value = value[segment];
    else return undefined;
  }
  return value;
}

interface SchemaIssue {
  path: DataPath;
  message: string;
  /** Point at the key rather than its value (unknown keys). */
  atKey: boolean;
}

/**
 * Runs the schema with the loader's wording for generic issues, and splits an unknown-keys issue
 * into one issue per key, each with its own suggestion and position.
 */
function parseWithLocatedIssues(data: unknown): {
  parsed: AccountsFile | undefined;
  issues: SchemaIssue[];
} {
  const knownKeysAt = new Map<string, string[]>();
  const result = AccountsFileSchema.safeParse(data, {
    error: (issue) => {
      const path = issue.path ?? [];
      if (issue.code === "unrecognized_keys") {
        const known = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
        knownKeysAt.set(pathKey(path), known);
        return issue.keys.map((key) => unknownKeyMessage(key, known)).join("; ");
      }
      if (issue.code === "invalid_type") {
        return issue.input === undefined
          ? missingKeyMessage(path[path.length - 1])
          : expectedGot(typeWord(issue.expected), issue.input);
      }
      return undefined;
    },
  });
  if (result.success) return { parsed: result.data, issues: [] };

  const issues: SchemaIssue[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt.get(pathKey(issue.path)) ?? [];
      for (const key of issue.keys) {
        issues.push({
          path: [...issue.path, key],
          message: unknownKeyMessage(key, known),
          atKey: true,
        });
      }
    } else {
      issues.push({ path: issue.path, message: issue.message, atKey: false });
    }
  }
  return { parsed: undefined, issues };
}

function pathKey(path: DataPath): string {
  return JSON.stringify(path.map((segment) => String(segment)));
}

/** ["accounts", 1, "numbers", 0, "areaCode"] → "accounts[1].numbers[0].areaCode" */
export function formatPath(path: DataPath): string {
  let text = "";
  for (const raw of path) {
    // A key thousands of characters long (hostile input) is shown by its start.
    const segment = typeof raw === "string" ? shortKey(raw) : raw;
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) {
      text += text === "" ? segment : `.${segment}`;
    } else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Cross-file rules: account ids and adopted numbers are unique across every file.
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface FirstSeen {
  file: string;
  path: DataPath;
  line: number;
  column: number;
}

function checkAcrossFiles(files: readonly CheckedFile[], issues: ConfigIssue[]): void {
  const accountIds = new Map<string, FirstSeen>();
  const adoptedNumbers = new Map<string, FirstSeen>();

  const claim = (
    registry: Map<string, FirstSeen>,
    key: string,
    file: CheckedFile,
    path: DataPath,
    describe: (first: FirstSeen) => string,
  ) => {
    const position = file.source.locate(path);
    const first = registry.get(key);
    if (first === undefined) {
      registry.set(key, { file: file.fileName, path, ...position });
      return;
    }
    issues.push({
      file: file.fileName,
      ...position,
      path: formatPath(path),
      message: describe(first),
    });
  };
  const at = (first: FirstSeen) =>
    `${first.file}:${first.line}:${first.column} (${formatPath(first.path)})`;

  for (const file of files) {
    if (!isRecord(file.raw) || !Array.isArray(file.raw.accounts)) continue;
    file.raw.accounts.forEach((account: unknown, accountIndex) => {
      if (!isRecord(account)) return;
      const accountPath = ["accounts", accountIndex];
      if (typeof account.id === "string") {
        const id = account.id;
        claim(
          accountIds,
          id.toLowerCase(),
          file,
          [...accountPath, "id"],
          (first) => `account id "${id}" is declared twice; first at ${at(first)}`,
        );
      }
      if (!Array.isArray(account.numbers)) return;
      account.numbers.forEach((number: unknown, numberIndex) => {
        if (!isRecord(number) || !isRecord(number.adopt)) return;
        const adoptPath = [...accountPath, "numbers", numberIndex, "adopt"];
        const { sid, phoneNumber } = number.adopt;
        if (typeof sid === "string") {
          claim(
            adoptedNumbers,
            `sid:${sid.toLowerCase()}`,
            file,
            [...adoptPath, "sid"],
            (first) => `number ${sid} is adopted twice; first at ${at(first)}`,
          );
        }
        if (typeof phoneNumber === "string") {
          claim(
            adoptedNumbers,
            `e164:${phoneNumber}`,
            file,
            [...adoptPath, "phoneNumber"],
            (first) => `number ${phoneNumber} is adopted twice; first at ${at(first)}`,
          );
        }
      });
    });
  }
}

/** Files in the order given; within a file by position; exact repeats dropped. */
function sortIssues(
  issues: readonly ConfigIssue[],
  sources: readonly AccountsSource[],
): ConfigIssue[] {
  const fileOrder = new Map(sources.map((source, index) => [source.fileName, index]));
  const unique = new Map<string, ConfigIssue>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.file, issue.line, issue.column, issue.path, issue.message]);
    if (!unique.has(key)) unique.set(key, issue);
  }
  return [...unique.values()]
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        (fileOrder.get(a.issue.file) ?? -1) - (fileOrder.get(b.issue.file) ?? -1) ||
        a.issue.line - b.issue.line ||
        a.issue.column - b.issue.column ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

/** "<account name> - Parlae", the account name shortened to fit MESSAGING_SERVICE_FRIENDLY_NAME_MAX. */
export function defaultMessagingServiceName(accountName: string): string {
  const room = MESSAGING_SERVICE_FRIENDLY_NAME_MAX - MESSAGING_SERVICE_NAME_SUFFIX.length;
  return `${truncate(accountName.trim(), room)}${MESSAGING_SERVICE_NAME_SUFFIX}`;
}

/** "<account name> - <number name>", the account name shortened so the whole fits in 48. */
export function defaultNumberFriendlyName(accountName: string, numberName: string): string {
  const suffix = ` - ${numberName}`;
  return `${truncate(accountName.trim(), NUMBER_FRIENDLY_NAME_MAX - suffix.length)}${suffix}`;
}

/** Copies the keys whose value is defined (the resolved objects never hold `undefined`). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function resolveFile(file: AccountsFile, sourceFile: string): ResolvedAccount[] {
  const { defaults } = file;
  return file.accounts.map((account) => ({
    id: account.id,
    name: account.name,
    release: account.release,
    messagingService: defined({
      ...defined(defaults.messagingService ?? {}),
      ...defined(account.messagingService ?? {}),
      friendlyName:
        account.messagingService?.friendlyName ??
        defaults.messagingService?.friendlyName ??
        defaultMessagingServiceName(account.name),
    }),
    numbers: account.numbers.map((number) => resolveNumber(number, account, defaults)),
    ...(account.compliance?.usA2p ? { usA2p: account.compliance.usA2p } : {}),
    sourceFile,
  }));
}

function resolveNumber(
  number: NumberConfig,
  account: AccountConfig,
  defaults: AccountsDefaults,
): ResolvedNumber {
  const common = defined({
    name: number.name,
    friendlyName: number.friendlyName ?? defaultNumberFriendlyName(account.name, number.name),
    vapiPhoneId: number.vapiPhoneId,
    smsUrl: number.smsUrl ?? defaults.number?.smsUrl,
    voiceUrl: number.voiceUrl ?? defaults.number?.voiceUrl,
    statusCallback: number.statusCallback ?? defaults.number?.statusCallback,
    release: account.release || number.release,
    releaseAfterDays:
      number.releaseAfterDays ?? account.releaseAfterDays ?? defaults.releaseAfterDays,
    parkingUrl: defaults.parkingUrl,
  });
  if (number.areaCode !== undefined) {
    return {
      kind: "buy",
      ...common,
      areaCode: number.areaCode,
      country: number.country ?? defaults.country,
    };
  }
  const adopt = number.adopt;
  if (adopt?.sid !== undefined) return { kind: "adopt", ...common, sid: adopt.sid };
  if (adopt?.phoneNumber !== undefined) {
    return { kind: "adopt", ...common, phoneNumber: adopt.phoneNumber };
  }
  // The schema guarantees exactly one of areaCode / adopt.sid / adopt.phoneNumber.
  throw new Error(`internal: number ${number.name} of account ${account.id} has no source`);
}
