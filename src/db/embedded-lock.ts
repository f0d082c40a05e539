/**
 * One process at a time on the embedded database: PGlite keeps its data directory open in memory
 * and does not lock it, so two processes writing it would corrupt it. A lock file holding the
 * owner's pid serializes them; a lock left by a process that is gone is taken over.
 *
 * How the lock stays exclusive:
 * - Taking it is one atomic create-or-fail: the pid is written to a private temporary file, which
 *   is then hard-linked to the lock's name (link(2) fails with EEXIST when the name exists). So the
 *   lock file never exists without its pid in it, and of two processes creating it at once exactly
 *   one succeeds.
 * - Taking over a dead owner's lock is itself exclusive: a waiter must first create
 *   `<lock>.takeover-<dead pid>` the same way, then read the lock again, and removes it only if the
 *   dead pid still holds it. Of two waiters that both saw the owner dead, one wins the takeover;
 *   the other either fails to create it, or creates it after the first finished and then finds the
 *   lock held by the (live) winner. A takeover file left by a waiter that died mid-takeover names
 *   that dead waiter, and is taken over by the same rule.
 * - A lock file that holds no pid (empty, or not a number: written by something else, or damaged)
 *   is never removed; a waiter waits for it like for a live owner, and its deadline holds.
 */
import { randomUUID } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive } from "../util/process-alive";

const POLL_MS = 100;

/** Who holds a lock file now. */
type Owner =
  | { kind: "none" }
  | { kind: "pid"; pid: number }
  /** The file exists but names no process. */
  | { kind: "unreadable"; content: string };

function ownerOf(lockFile: string): Owner {
  let content: string;
  try {
    content = readFileSync(lockFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none" };
    throw error;
  }
  return /^[1-9]\d*$/.test(content.trim())
    ? { kind: "pid", pid: Number(content.trim()) }
    : { kind: "unreadable", content };
}

/** Creates `file` holding this process's pid, atomically; false when it already exists. */
function createHoldingPid(file: string): boolean {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, String(process.pid), { flag: "wx" });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Removes `file` if the dead process `deadPid` still holds it, with the takeover rule above. True
 * when the file is gone (removed here, or by someone else meanwhile); false when it must be waited
 * for (another waiter is taking it over, or it changed hands).
 */
function takeOverFromDead(file: string, deadPid: number): boolean {
  const takeover = `${file}.takeover-${deadPid}`;
  if (!createHoldingPid(takeover)) {
    const taker = ownerOf(takeover);
    // A waiter that died while taking over: take its takeover over, then try again later.
    if (taker.kind === "pid" && taker.pid !== process.pid && !isProcessAlive(taker.pid))
      takeOverFromDead(takeover, taker.pid);
    return false;
  }
  try {
    const now = ownerOf(file);
    if (now.kind === "none") return true;
    if (now.kind !== "pid" || now.pid !== deadPid) return false;
    rmSync(file);
    return true;
  } finally {
    rmSync(takeover, { force: true });
  }
}

export interface EmbeddedLock {
  release(): void;
}

export interface EmbeddedLockOptions {
  /** How long to wait for another process to finish (default 2 minutes). */
  timeoutMs?: number;
  /**
   * Called when this waiter has found the owner dead, before it takes the lock over. Only tests use
   * it: to hold one waiter there while another takes over, which must not leave both holding it.
   */
  beforeTakeover?: (deadPid: number) => Promise<void>;
}

/** Waits (up to `timeoutMs`) until this process holds `lockFile`. */
export async function acquireEmbeddedLock(
  lockFile: string,
  description: string,
  options: EmbeddedLockOptions = {},
): Promise<EmbeddedLock> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let announced = false;
  for (;;) {
    if (createHoldingPid(lockFile)) return held(lockFile);
    const owner = ownerOf(lockFile);
    if (owner.kind === "none") continue; // released in between: try again at once
    if (owner.kind === "pid") {
      if (owner.pid === process.pid) {
        throw new Error(
          `${description} is already open in this process: share one Database (openDatabase) instead of opening it twice`,
        );
      }
      if (!isProcessAlive(owner.pid)) {
        await options.beforeTakeover?.(owner.pid);
        if (takeOverFromDead(lockFile, owner.pid)) continue;
      }
    }
    if (Date.now() > deadline) throw new Error(heldTooLong(lockFile, description, owner));
    if (!announced) {
      const who = owner.kind === "pid" ? `process ${owner.pid}` : `the lock ${lockFile}`;
      process.stderr.write(`waiting for ${who}, which is using ${description}…\n`);
      announced = true;
    }
    await sleep(POLL_MS);
  }
}

function held(lockFile: string): EmbeddedLock {
  const release = () => {
    const owner = ownerOf(lockFile);
    if (owner.kind === "pid" && owner.pid === process.pid) rmSync(lockFile, { force: true });
    process.removeListener("exit", release);
  };
  // A crash skips close(): remove the lock on any exit of this process.
  process.on("exit", release);
  return { release };
}

function heldTooLong(lockFile: string, description: string, owner: Owner): string {
  if (owner.kind === "unreadable") {
    const shown =
      owner.content === "" ? "is empty" : `holds ${JSON.stringify(owner.content.slice(0, 40))}`;
    return `${description} is locked by ${lockFile}, which ${shown} instead of a process id; if no process is using the database, remove that file`;
  }
  const holder = owner.kind === "pid" ? `process ${owner.pid}` : "another process";
  return `${description} is in use by ${holder} (lock ${lockFile}); wait for it to finish, or give --database-url`;
}
