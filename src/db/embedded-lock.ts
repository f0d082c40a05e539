/**
 * One process at a time on the embedded database: PGlite keeps its data directory open in memory
 * and does not lock it, so two processes writing it would corrupt it. A lock file holding the
 * owner's pid serializes them; a lock left by a process that is gone is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive } from "../util/process-alive";

const POLL_MS = 100;

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface EmbeddedLock {
  release(): void;
}

/** Waits (up to `timeoutMs`) until this process holds `lockFile`. */
export async function acquireEmbeddedLock(
  lockFile: string,
  description: string,
  timeoutMs = 120_000,
): Promise<EmbeddedLock> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        if (ownerOf(lockFile) === process.pid) rmSync(lockFile, { force: true });
        process.removeListener("exit", release);
      };
      // A crash skips close(): remove the lock on any exit of this process.
      process.on("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(lockFile);
    if (owner === undefined || !isProcessAlive(owner)) {
      // Left behind by a process that is gone (or half-written this instant: retry shortly).
      if (owner !== undefined) rmSync(lockFile, { force: true });
      await sleep(owner === undefined ? POLL_MS : 0);
      continue;
    }
    if (owner === process.pid) {
      throw new Error(
        `${description} is already open in this process: share one Database (openDatabase) instead of opening it twice`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${description} is in use by process ${owner} (lock ${lockFile}); wait for it to finish, or give --database-url`,
      );
    }
    if (!announced) {
      process.stderr.write(`waiting for process ${owner}, which is using ${description}…\n`);
      announced = true;
    }
    await sleep(POLL_MS);
  }
}
