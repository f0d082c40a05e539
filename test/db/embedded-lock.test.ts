/**
 * The embedded database is one process at a time: PGlite does not lock its data directory, so the
 * factory's lock file makes a second process wait, a lock left by a dead process is taken over by
 * exactly one waiter, and a lock file that names no process cannot make anyone wait past the
 * deadline.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { acquireEmbeddedLock } from "../../src/db/embedded-lock";

const dir = mkdtempSync(join(tmpdir(), "embedded-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOCK_MODULE = JSON.stringify(join(__dirname, "../../src/db/embedded-lock.ts"));

/**
 * Another process that takes the lock the same way, prints "held", writes `heldFile` (if given),
 * holds the lock `holdMs`, writes `releasedFile` (if given), then exits (releasing it).
 */
function lockHolder(
  lockFile: string,
  holdMs: number,
  files: { held?: string; released?: string } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    [
      "-r",
      "tsx/cjs",
      "-e",
      `const fs = require("node:fs");
       require(${LOCK_MODULE})
        .acquireEmbeddedLock(${JSON.stringify(lockFile)}, "test db")
        .then((lock) => {
          ${files.held ? `fs.writeFileSync(${JSON.stringify(files.held)}, "");` : ""}
          console.log("held");
          setTimeout(() => {
            ${files.released ? `fs.writeFileSync(${JSON.stringify(files.released)}, "");` : ""}
            lock.release();
            process.exit(0);
          }, ${holdMs});
        });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => gone.on("exit", resolve));
  return gone.pid ?? 0;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

it("waits while another live process holds the lock, then takes it", async () => {
  const lockFile = join(dir, "held.lock");
  const holder = lockHolder(lockFile, 1_500);
  await new Promise<void>((resolve) => holder.stdout?.once("data", () => resolve()));
  expect(Number(readFileSync(lockFile, "utf8"))).toBe(holder.pid);
  const waitedFrom = Date.now();
  const lock = await acquireEmbeddedLock(lockFile, "test db");
  expect(Date.now() - waitedFrom).toBeGreaterThan(500);
  expect(Number(readFileSync(lockFile, "utf8"))).toBe(process.pid);
  lock.release();
  expect(existsSync(lockFile)).toBe(false);
});

it("takes over a lock left by a process that is gone", async () => {
  const lockFile = join(dir, "stale.lock");
  writeFileSync(lockFile, String(await deadPid()));
  const lock = await acquireEmbeddedLock(lockFile, "test db", { timeoutMs: 1_000 });
  expect(Number(readFileSync(lockFile, "utf8"))).toBe(process.pid);
  lock.release();
});

it("lets only one of two waiters that both saw the owner dead take the lock", async () => {
  const lockFile = join(dir, "contended.lock");
  const otherHeld = join(dir, "other-held");
  const otherReleased = join(dir, "other-released");
  writeFileSync(lockFile, String(await deadPid()));
  let other: ChildProcess | undefined;
  // This process is the slow waiter: it has seen the dead owner, and is held right there while
  // another process sees the same dead owner, takes the lock over and holds it.
  const lock = await acquireEmbeddedLock(lockFile, "test db", {
    timeoutMs: 10_000,
    beforeTakeover: async () => {
      if (other) return;
      other = lockHolder(lockFile, 1_500, { held: otherHeld, released: otherReleased });
      await until(() => existsSync(otherHeld));
    },
  });
  try {
    // Had this waiter removed the lock it saw dead, it would hold it now, next to the other one.
    expect(existsSync(otherReleased), "both processes held the lock at once").toBe(true);
    expect(Number(readFileSync(lockFile, "utf8"))).toBe(process.pid);
  } finally {
    lock.release();
    other?.kill();
  }
});

it.each([
  ["empty", ""],
  ["not a number", "not-a-pid\n"],
])(
  "gives up at its deadline on a lock file that is %s, naming the file",
  async (_kind, content) => {
    const lockFile = join(dir, `unreadable-${content.length}.lock`);
    writeFileSync(lockFile, content);
    await expect(
      acquireEmbeddedLock(lockFile, "the embedded database", { timeoutMs: 300 }),
    ).rejects.toThrow(
      `the embedded database is locked by ${lockFile}, which ${content === "" ? "is empty" : 'holds "not-a-pid\\n"'} instead of a process id; if no process is using the database, remove that file`,
    );
    // Never removed by a waiter: what wrote it is unknown.
    expect(readFileSync(lockFile, "utf8")).toBe(content);
  },
  // A waiter that ignored its deadline would hang here: fail in 10 s, not at the 5-minute default.
  10_000,
);

it("gives up after its timeout naming the holder", async () => {
  const lockFile = join(dir, "busy.lock");
  const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"]);
  writeFileSync(lockFile, String(holder.pid));
  try {
    await expect(
      acquireEmbeddedLock(lockFile, "the embedded database", { timeoutMs: 300 }),
    ).rejects.toThrow(
      `the embedded database is in use by process ${holder.pid} (lock ${lockFile}); wait for it to finish, or give --database-url`,
    );
  } finally {
    holder.kill();
  }
});
