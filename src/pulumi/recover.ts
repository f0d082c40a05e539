/**
 * What `npm run pulumi -- recover --stack <stack>` does (the command is in src/cli/pulumi.ts):
 * makes a stack usable again after `pulumi up` was killed (CI job cancelled, machine lost,
 * SIGKILL), so that the next `up` converges.
 *
 * What a kill can leave, and what this does about it:
 * - a lock: the file backend's lock of the killed run stays, and every command refuses to run.
 *   Removed with `pulumi cancel` once no process holding it is alive on this machine (a lock held
 *   by a live `pulumi` here is an update still running: refused, nothing changed).
 * - an empty metadata sidecar (`<file>.attrs`, file backend only): gocloud's file driver
 *   truncates then writes it, so a kill in between leaves it empty and every command on the stack
 *   fails `failed to load checkpoint: EOF`. Pulumi never uses that metadata: a sidecar that is not
 *   valid JSON is removed. (environment.ts also stops new sidecars: `metadata=skip`.)
 * - Twilio objects the killed run made that the state does not record: nothing to do here. The
 *   state is written at the end of a run (PULUMI_SKIP_CHECKPOINTS), so it is the state before the
 *   run, and the next `up` creates again: each create first finds what the killed run made (its
 *   marker, providers/creation-markers.ts) and adopts it.
 */
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { join, resolve } from "node:path";
import { isProcessAlive } from "../util/process-alive";

/** Runs a Pulumi command with the project's environment; resolves with its exit code and output. */
export type PulumiRunner = (
  args: string[],
) => Promise<{ code: number; stdout: string; output: string }>;

export interface RecoverResult {
  /** Sidecars removed (paths). */
  removedSidecars: string[];
  /** Locks of dead runs that were cleared. */
  clearedLocks: number;
  /** Operations the state says were in flight (possible only with checkpoints on). */
  pendingOperations: number;
}

export class RecoverRefused extends Error {}

/** The directory of a `file://` backend URL (without query), or undefined for other backends. */
export function fileBackendDir(url: string | undefined): string | undefined {
  if (!url?.startsWith("file://")) return undefined;
  const path = decodeURIComponent(url.slice("file://".length).replace(/\?.*$/, ""));
  // Pulumi reads `file://~` as the home directory, and a relative path from the working directory.
  return resolve(path.replace(/^~(?=$|\/)/, homedir()));
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Removes every `.attrs` sidecar under the backend's `.pulumi` directory that is not valid JSON. */
export function removeBrokenSidecars(backendDir: string): string[] {
  const broken = filesUnder(join(backendDir, ".pulumi")).filter((path) => {
    if (!path.endsWith(".attrs")) return false;
    try {
      JSON.parse(readFileSync(path, "utf8"));
      return false;
    } catch {
      return true;
    }
  });
  for (const path of broken) rmSync(path, { force: true });
  return broken;
}

interface LockContent {
  pid: number;
  hostname: string;
  timestamp: string;
}

/** The stack's locks in a file backend: `.pulumi/locks/<org>/<project>/<stack>/<id>.json`. */
function locksOf(backendDir: string, stack: string): LockContent[] {
  return filesUnder(join(backendDir, ".pulumi", "locks"))
    .filter((path) => path.endsWith(".json") && path.split("/").at(-2) === stack)
    .flatMap((path) => {
      try {
        return [JSON.parse(readFileSync(path, "utf8")) as LockContent];
      } catch {
        return [];
      }
    });
}

export async function recoverStack(
  stack: string,
  backendUrl: string | undefined,
  pulumi: PulumiRunner,
  log: (line: string) => void,
): Promise<RecoverResult> {
  const backendDir = fileBackendDir(backendUrl);
  let removedSidecars: string[] = [];
  let clearedLocks = 0;
  if (backendDir) {
    const live = locksOf(backendDir, stack).filter(
      (lock) => lock.hostname === hostname() && isProcessAlive(lock.pid),
    );
    if (live.length > 0) {
      const [lock] = live;
      throw new RecoverRefused(
        `an update of stack ${stack} is still running (pulumi pid ${lock?.pid}, since ${lock?.timestamp}): wait for it to finish or stop it, then run recover again. Nothing was changed`,
      );
    }
    clearedLocks = locksOf(backendDir, stack).length;
    removedSidecars = removeBrokenSidecars(backendDir);
    for (const path of removedSidecars) log(`removed a broken metadata sidecar: ${path}`);
  }
  const cancel = await pulumi(["cancel", "--yes", "--stack", stack]);
  if (cancel.code !== 0) throw new Error(`pulumi cancel failed:\n${cancel.output}`);
  if (clearedLocks > 0) log(`cleared the lock of the killed run (${clearedLocks})`);
  const exported = await pulumi(["stack", "export", "--stack", stack]);
  if (exported.code !== 0) {
    throw new Error(`the state of stack ${stack} still does not load:\n${exported.output}`);
  }
  const state = JSON.parse(exported.stdout) as {
    deployment?: { pending_operations?: unknown[] };
  };
  const pendingOperations = state.deployment?.pending_operations?.length ?? 0;
  if (pendingOperations > 0) {
    log(
      `the state lists ${pendingOperations} operation(s) the killed run had in flight (written with checkpoints on); the next up warns about them and runs: a create it repeats adopts what the killed run made`,
    );
  }
  return { removedSidecars, clearedLocks, pendingOperations };
}
