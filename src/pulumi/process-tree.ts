/**
 * Killing a process with everything it started, including children that moved to process groups
 * of their own. The Pulumi CLI starts each plugin (the language host, the dynamic provider) with
 * its own process group, so killing the CLI's group leaves them running: a crash test that "kills
 * Pulumi" would otherwise leave a provider finishing its Twilio calls behind the test's back.
 *
 * Linux only (it reads /proc), which is where the project's tests and CI run; elsewhere it falls
 * back to the root's process group.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

/** `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so split after the last ')'. */
function readStat(pid: string): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid: Number(pid), ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

function processTable(): ProcessEntry[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(readStat)
    .filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** The root and every process below it, parents first. */
export function descendants(root: number): ProcessEntry[] {
  const table = processTable();
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
  const found: ProcessEntry[] = [];
  const rootEntry = table.find((entry) => entry.pid === root);
  const queue = rootEntry ? [rootEntry] : [];
  for (let entry = queue.shift(); entry; entry = queue.shift()) {
    found.push(entry);
    queue.push(...(children.get(entry.pid) ?? []));
  }
  return found;
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // Already gone.
  }
}

/**
 * SIGKILLs `root`, its descendants and their process groups. The tree is frozen first (SIGSTOP,
 * parents first, twice to catch a child started meanwhile) so that nothing escapes by being
 * re-parented or started between the look and the kill. The caller's own process group is never
 * signalled.
 */
export function killProcessTree(root: number): void {
  const ownGroup = readStat("self")?.pgid;
  let tree: ProcessEntry[] = [];
  try {
    for (let pass = 0; pass < 2; pass++) {
      tree = descendants(root);
      for (const entry of tree) signal(entry.pid, "SIGSTOP");
    }
  } catch {
    // No /proc: the root's group is all we can reach.
  }
  const groups = new Set([root, ...tree.map((entry) => entry.pgid)]);
  for (const group of groups) if (group > 1 && group !== ownGroup) signal(-group, "SIGKILL");
  for (const entry of tree) signal(entry.pid, "SIGKILL");
}
