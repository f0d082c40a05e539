/**
 * Persisting the emulated account across restarts (`--state-file <path>`).
 *
 * The file is rewritten after every mutation, atomically: the JSON goes to a temporary file in the
 * same directory, which is then renamed over the target, so a crash mid-write leaves either the old
 * or the new state, never half a file. No credential is written.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { StateSnapshot } from "./models/state";

let tmpCounter = 0;

/** The saved state, or undefined when the file does not exist yet. */
export function loadStateFile(path: string): StateSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as StateSnapshot;
  if (parsed.version !== 1)
    throw new Error(`${path}: unsupported emulator state version ${String(parsed.version)}`);
  return parsed;
}

export function saveStateFile(path: string, snapshot: StateSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
