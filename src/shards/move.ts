/**
 * Moving one account from a shard to another (npm run shard:move): its resources (the account's
 * component, number, Messaging Service, attachments) go from the source stack's state to the
 * destination's with Pulumi's own `pulumi state move`, which keeps every resource as it is (same
 * IDs, same Twilio objects: nothing is bought, created or released); then the two stacks' number
 * guards learn the move; then the account's YAML goes from the source shard's file to the
 * destination's. Afterwards a preview of either shard shows no Twilio change.
 *
 * Crash-safe by re-running: every step first looks at where things are and does only what is
 * left, in an order where each crash point leaves something the next run recognises:
 *   1. resources: in the source only → `pulumi state move`; in both (the move saves the
 *      destination first, so a kill between its two writes leaves them twice) → the source's copy
 *      is dropped in step 3; in the destination only → done;
 *   2. the destination's guard gains the account's numbers (before the source's loses them, so
 *      they are always guarded somewhere);
 *   3. the source's guard loses them (and leftovers of step 1 go), in one `stack import`;
 *   4. the YAML: written into the destination file first, then removed from the source file; in
 *      both → only the removal is left.
 *
 * The guard (providers/number-guard.ts) refuses a number that leaves a stack's YAML without
 * `release: true`: steps 2 and 3 are what makes a move not look like a removal. The numbers keep
 * the purchase marker they were bought with (providers/phone-number.ts), so they are not renamed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { guardKey } from "../../providers/number-guard";
import { ConfigError } from "../config/errors";
import { parseAccountsDocument, type ResolvedAccount } from "../config/load";
import { stackEnvironment } from "../pulumi/backend";
import { runPulumiIn } from "../pulumi/run";
import { repoRoot } from "../util/repo-root";
import type { Shard } from "./manifest";

const ACCOUNT_TYPE = "twilio-messaging:index:Account";
const GUARD_TYPE = "pulumi-nodejs:dynamic/twilio:NumberGuard";

/** A move that cannot go ahead: the reason first; nothing was changed by the step that refused. */
export class ShardMoveError extends Error {
  override readonly name = "ShardMoveError";
}

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

interface StackExport {
  version: number;
  deployment: { resources?: StateResource[] } & Record<string, unknown>;
}

export interface MoveRequest {
  accountId: string;
  from: Shard;
  to: Shard;
  /** Progress lines, one per step. */
  log?: (line: string) => void;
  root?: string;
}

export interface MoveReport {
  /** Resources `pulumi state move` moved in this run (0 when an earlier run did). */
  resourcesMoved: number;
  /** Leftover copies dropped from the source (a move killed between its two writes). */
  leftoversDropped: number;
  guardsChanged: number;
  yamlChanged: boolean;
  /** The destination file that now holds the account. */
  file: string;
}

// ---------------------------------------------------------------------------------------------
// The YAML
// ---------------------------------------------------------------------------------------------

interface Located {
  file: string;
  text: string;
  index: number;
}

function accountsSeq(text: string, file: string) {
  const document = parseDocument(text);
  const seq = document.get("accounts", true);
  if (!isSeq(seq)) throw new ShardMoveError(`${file}: no 'accounts' list`);
  return { document, seq: seq as YAMLSeq };
}

function locate(files: string[], accountId: string, root: string): Located[] {
  const found: Located[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(root, file), "utf8");
    } catch {
      continue;
    }
    const { seq } = accountsSeq(text, file);
    seq.items.forEach((item, index) => {
      if (isMap(item) && String((item as YAMLMap).get("id")) === accountId) {
        found.push({ file, text, index });
      }
    });
  }
  return found;
}

function resolvedIn(text: string, file: string, accountId: string): ResolvedAccount | undefined {
  return parseAccountsDocument(text, file).accounts.find((a) => a.id === accountId);
}

/** What the program declares for the account, whichever file it is read from. */
function sameDeclaration(a: ResolvedAccount | undefined, b: ResolvedAccount | undefined): boolean {
  const strip = (x: ResolvedAccount | undefined) =>
    x === undefined ? undefined : JSON.stringify({ ...x, sourceFile: undefined });
  return strip(a) === strip(b);
}

function withAccountAppended(target: Located | string, node: unknown, root: string) {
  const file = typeof target === "string" ? target : target.file;
  const text = typeof target === "string" ? readFileSync(resolve(root, file), "utf8") : target.text;
  const { document, seq } = accountsSeq(text, file);
  seq.flow = false;
  seq.items.push(node as YAMLMap);
  return document.toString();
}

function withAccountRemoved(source: Located): string {
  const { document, seq } = accountsSeq(source.text, source.file);
  seq.items.splice(source.index, 1);
  return document.toString();
}

// ---------------------------------------------------------------------------------------------
// The states
// ---------------------------------------------------------------------------------------------

async function pulumi(stack: string, args: string[]): Promise<string> {
  const run = await runPulumiIn(stackEnvironment(stack, args), repoRoot, args, { check: false });
  if (run.code !== 0) {
    throw new ShardMoveError(
      `pulumi ${args.slice(0, 2).join(" ")} (stack ${stack}) failed: ${run.stderr.trim() || run.stdout.trim()}`,
    );
  }
  return run.stdout;
}

async function exportStack(stack: string): Promise<StackExport> {
  return JSON.parse(await pulumi(stack, ["stack", "export", "--stack", stack])) as StackExport;
}

async function importStack(stack: string, state: StackExport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shard-move-"));
  try {
    const file = join(dir, "state.json");
    writeFileSync(file, JSON.stringify(state));
    await pulumi(stack, ["stack", "import", "--stack", stack, "--file", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function resourcesOf(state: StackExport): StateResource[] {
  return state.deployment.resources ?? [];
}

/** The account's component in a state, if any. */
function componentOf(state: StackExport, accountId: string): StateResource | undefined {
  return resourcesOf(state).find(
    (r) => r.type === ACCOUNT_TYPE && r.urn.endsWith(`::${accountId}`),
  );
}

/** The component and everything under it (children, grandchildren). */
function subtree(state: StackExport, root: StateResource): Set<string> {
  const urns = new Set([root.urn]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of resourcesOf(state)) {
      if (r.parent && urns.has(r.parent) && !urns.has(r.urn)) {
        urns.add(r.urn);
        grew = true;
      }
    }
  }
  return urns;
}

function guardOf(state: StackExport): StateResource | undefined {
  return resourcesOf(state).find((r) => r.type === GUARD_TYPE);
}

type GuardNumbers = Record<string, unknown>;

function setGuardNumbers(guard: StateResource, numbers: GuardNumbers): void {
  guard.inputs = { ...guard.inputs, numbers };
  guard.outputs = { ...guard.outputs, numbers };
}

function guardEntries(account: ResolvedAccount): [string, unknown][] {
  return account.numbers.map((number) => [
    guardKey(account.id, number.name),
    {
      accountId: account.id,
      accountName: account.name,
      numberName: number.name,
      release: number.release,
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// The move
// ---------------------------------------------------------------------------------------------

export async function moveAccount(request: MoveRequest): Promise<MoveReport> {
  const { accountId, from, to } = request;
  const root = request.root ?? repoRoot;
  const log = request.log ?? (() => {});
  if (from.name === to.name) throw new ShardMoveError(`--from and --to are both '${from.name}'`);

  // Where the YAML is, and what the program declares for the account.
  const inFrom = locate(from.files, accountId, root);
  const inTo = locate(to.files, accountId, root);
  if (inFrom.length + inTo.length === 0) {
    throw new ShardMoveError(
      `account ${accountId} is declared in neither shard '${from.name}' (${from.files.join(", ")}) nor shard '${to.name}' (${to.files.join(", ")})`,
    );
  }
  if (inFrom.length > 1 || inTo.length > 1) {
    throw new ShardMoveError(
      `account ${accountId} is declared more than once in one shard; run npm run validate -- --shards first`,
    );
  }
  const source = inFrom[0];
  const existing = inTo[0];
  const declared = source
    ? resolvedIn(source.text, source.file, accountId)
    : resolvedIn((existing as Located).text, (existing as Located).file, accountId);
  if (!declared) {
    throw new ShardMoveError(
      `account ${accountId} does not validate where it is declared: run npm run validate -- --shards`,
    );
  }
  const targetFile = existing?.file ?? (to.files[to.files.length - 1] as string);
  let targetText: string | undefined;
  if (source && existing) {
    if (!sameDeclaration(declared, resolvedIn(existing.text, existing.file, accountId))) {
      throw new ShardMoveError(
        `account ${accountId} is declared in both ${source.file} and ${existing.file}, differently: keep the one you mean and run again`,
      );
    }
  } else if (source) {
    // The account must mean the same in its new file (that file's `defaults` apply to it).
    const node = accountsSeq(source.text, source.file).seq.items[source.index];
    targetText = withAccountAppended(targetFile, node, root);
    let there: ResolvedAccount | undefined;
    try {
      there = resolvedIn(targetText, targetFile, accountId);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ShardMoveError(
        `account ${accountId} would not be valid in ${targetFile} (under that file's defaults): ${error.message}; give the account those settings explicitly, or align the two files' defaults, then run again; nothing was moved`,
      );
    }
    if (!sameDeclaration(declared, there)) {
      throw new ShardMoveError(
        `account ${accountId} would change meaning in ${targetFile} (its defaults differ from ${source.file}'s): give the account those settings explicitly, or align the two files' defaults, then run again; nothing was moved`,
      );
    }
  }

  // 1. The resources, with Pulumi's own state move.
  let fromState = await exportStack(from.stack);
  const toState = await exportStack(to.stack);
  const inSource = componentOf(fromState, accountId);
  const inDestination = componentOf(toState, accountId);
  let resourcesMoved = 0;
  if (inSource && !inDestination) {
    const urns = subtree(fromState, inSource);
    log(
      `moving ${urns.size} resources of account ${accountId} from stack ${from.stack} to ${to.stack} (pulumi state move)`,
    );
    await pulumi(from.stack, [
      "state",
      "move",
      "--source",
      from.stack,
      "--dest",
      to.stack,
      "--yes",
      inSource.urn,
    ]);
    resourcesMoved = urns.size;
    fromState = await exportStack(from.stack);
  } else if (inDestination) {
    log(`the resources of account ${accountId} are in stack ${to.stack} already`);
  } else {
    log(
      `account ${accountId} has no resources in either stack (never deployed): only its YAML moves`,
    );
  }

  // 2. The destination's guard gains the account's numbers, in the order its program declares them.
  let guardsChanged = 0;
  const destination = await exportStack(to.stack);
  const destinationGuard = guardOf(destination);
  if (destinationGuard) {
    const numbers = { ...((destinationGuard.outputs?.numbers as GuardNumbers) ?? {}) };
    const missing = guardEntries(declared).filter(([key]) => !(key in numbers));
    if (missing.length > 0) {
      for (const [key, value] of missing) numbers[key] = value;
      const order = declaredOrder(to, targetFile, targetText, root);
      const sorted = Object.keys(numbers).sort(
        (a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity),
      );
      setGuardNumbers(destinationGuard, Object.fromEntries(sorted.map((k) => [k, numbers[k]])));
      log(
        `stack ${to.stack}: the number guard now guards ${missing.length} number(s) of account ${accountId}`,
      );
      await importStack(to.stack, destination);
      guardsChanged++;
    }
  }

  // 3. The source's guard loses them; leftovers of a state move killed halfway go.
  const leftovers = inDestination ? componentOf(fromState, accountId) : undefined;
  const dropped = leftovers ? subtree(fromState, leftovers) : new Set<string>();
  const sourceGuard = guardOf(fromState);
  const keys = new Set(guardEntries(declared).map(([key]) => key));
  const guarded = (sourceGuard?.outputs?.numbers as GuardNumbers | undefined) ?? {};
  const unguard = Object.keys(guarded).filter((key) => keys.has(key));
  if (dropped.size > 0 || unguard.length > 0) {
    const resources = resourcesOf(fromState)
      .filter((r) => !dropped.has(r.urn))
      .map((r) => ({
        ...r,
        ...(r.dependencies ? { dependencies: r.dependencies.filter((d) => !dropped.has(d)) } : {}),
      }));
    if (sourceGuard && unguard.length > 0) {
      const guard = resources.find((r) => r.type === GUARD_TYPE) as StateResource;
      setGuardNumbers(
        guard,
        Object.fromEntries(Object.entries(guarded).filter(([key]) => !keys.has(key))),
      );
    }
    fromState.deployment.resources = resources;
    if (dropped.size > 0) {
      log(
        `stack ${from.stack}: dropping ${dropped.size} leftover resource(s) of account ${accountId} (already in ${to.stack})`,
      );
    }
    if (unguard.length > 0) {
      log(
        `stack ${from.stack}: the number guard no longer guards account ${accountId}'s ${unguard.length} number(s)`,
      );
    }
    await importStack(from.stack, fromState);
    guardsChanged++;
  }

  // 4. The YAML: into the destination first, then out of the source.
  let yamlChanged = false;
  if (targetText !== undefined) {
    writeFileSync(resolve(root, targetFile), targetText);
    log(`${targetFile}: account ${accountId} added`);
    yamlChanged = true;
  }
  if (source) {
    const again = locate([source.file], accountId, root)[0];
    if (again) {
      writeFileSync(resolve(root, source.file), withAccountRemoved(again));
      log(`${source.file}: account ${accountId} removed`);
      yamlChanged = true;
    }
  }
  return {
    resourcesMoved,
    leftoversDropped: dropped.size,
    guardsChanged,
    yamlChanged,
    file: targetFile,
  };
}

/** Guard keys in the order the destination's program will declare them (after the YAML move). */
function declaredOrder(
  shard: Shard,
  targetFile: string,
  targetText: string | undefined,
  root: string,
): Map<string, number> {
  const sources = shard.files.map((file) => ({
    fileName: file,
    text:
      file === targetFile && targetText !== undefined
        ? targetText
        : readFileSync(resolve(root, file), "utf8"),
  }));
  const accounts = sources.flatMap((s) => parseAccountsDocument(s.text, s.fileName).accounts);
  const order = new Map<string, number>();
  for (const account of accounts) {
    for (const [key] of guardEntries(account)) order.set(key, order.size);
  }
  return order;
}
