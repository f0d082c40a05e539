/**
 * Peak memory (resident set size) and CPU time of the processes a Pulumi run starts, by role,
 * sampled from /proc every 100 ms while the run lasts:
 * - `cli`: the `pulumi` binary (the engine, the file backend, the state in memory);
 * - `program`: the language host and the node process running pulumi/ (the resource graph);
 * - `provider`: the dynamic provider process (pulumi-resource-pulumi-nodejs, our providers).
 * A role's memory is the largest sum over its processes at one sample; its CPU time is the sum
 * over its processes of the last user + system time seen (a lower bound: up to 100 ms of a
 * process's last moments is missed). Linux only; elsewhere the figures are absent.
 */
import { readFileSync } from "node:fs";
import { descendants } from "../src/pulumi/process-tree";

export type Role = "cli" | "program" | "provider";
export type PeakMemory = Partial<Record<Role, number>>;
export type CpuSeconds = Partial<Record<Role, number>>;
export interface ProcessUsage {
  memory: PeakMemory;
  cpuSeconds: CpuSeconds;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command: state(0) ppid(1) … utime(11) stime(12).
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

function roleOf(pid: number): Role | undefined {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return undefined;
  }
  const command = argv.join(" ");
  if (/dynamic-provider|pulumi-resource-pulumi-nodejs/.test(command)) return "provider";
  if (/pulumi-language-nodejs|@pulumi[/]pulumi[/]cmd[/]run/.test(command)) return "program";
  if (/(^|\/)pulumi$/.test(argv[0] ?? "")) return "cli";
  return undefined;
}

function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts sampling the processes below this one; the returned function stops and gives the figures. */
export function sampleProcesses(intervalMs = 100): () => ProcessUsage {
  const peaks: PeakMemory = {};
  const ticks = new Map<number, { role: Role; ticks: number }>();
  const sample = () => {
    const sums: PeakMemory = {};
    try {
      for (const entry of descendants(process.pid)) {
        const role = ticks.get(entry.pid)?.role ?? roleOf(entry.pid);
        if (!role) continue;
        sums[role] = (sums[role] ?? 0) + residentBytes(entry.pid);
        const used = cpuTicks(entry.pid);
        if (Number.isFinite(used)) ticks.set(entry.pid, { role, ticks: used });
      }
    } catch {
      return; // no /proc
    }
    for (const [role, bytes] of Object.entries(sums) as [Role, number][])
      peaks[role] = Math.max(peaks[role] ?? 0, bytes);
  };
  const timer = setInterval(sample, intervalMs);
  return () => {
    clearInterval(timer);
    sample();
    const cpuSeconds: CpuSeconds = {};
    for (const { role, ticks: used } of ticks.values())
      cpuSeconds[role] = (cpuSeconds[role] ?? 0) + used / TICKS_PER_SECOND;
    return { memory: peaks, cpuSeconds };
  };
}
