/**
 * The embedded database is one process at a time: PGlite does not lock its data directory, so the
 * factory's lock file makes a second process wait, and a lock left by a dead process is taken over.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { acquireEmbeddedLock } from "../../src/db/embedded-lock";

const dir = mkdtempSync(join(tmpdir(), "embedded-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("waits while another live process holds the lock, then takes it", async () => {
  const lockFile = join(dir, "held.lock");
  // Another process: takes the lock the same way, holds it 1.5 s, exits (releasing it).
  const holder = spawn(
    process.execPath,
    [
      "-r",
      "tsx/cjs",
      "-e",
      `require(${JSON.stringify(join(__dirname, "../../src/db/embedded-lock.ts"))})
        .acquireEmbeddedLock(${JSON.stringify(lockFile)}, "test db")
        .then(() => { console.log("held"); setTimeout(() => process.exit(0), 1500); });`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
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
  const gone = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => gone.on("exit", resolve));
  writeFileSync(lockFile, String(gone.pid));
  const lock = await acquireEmbeddedLock(lockFile, "test db", 1_000);
  expect(Number(readFileSync(lockFile, "utf8"))).toBe(process.pid);
  lock.release();
});

it("gives up after its timeout naming the holder", async () => {
  const lockFile = join(dir, "busy.lock");
  const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"]);
  writeFileSync(lockFile, String(holder.pid));
  try {
    await expect(acquireEmbeddedLock(lockFile, "the embedded database", 300)).rejects.toThrow(
      `the embedded database is in use by process ${holder.pid} (lock ${lockFile}); wait for it to finish, or give --database-url`,
    );
  } finally {
    holder.kill();
  }
});
