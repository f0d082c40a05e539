/**
 * The engine's machine-readable events (`--event-log`): which steps (create, update, replace,
 * delete) a preview planned or an `up` took. Tests and benchmarks assert on them.
 */
import { readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PulumiWorkspace, pulumiEnvironment } from "./environment";
import { PulumiCommandError, type PulumiResult, type RunOptions, runPulumiIn } from "./run";

/** One engine event of `--event-log` (the subset our callers read). */
export interface EngineEvent {
  sequence: number;
  resourcePreEvent?: { metadata: StepMetadata };
  resOutputsEvent?: { metadata: StepMetadata };
  diagnosticEvent?: { message: string; severity: string; urn?: string };
  summaryEvent?: { resourceChanges: Record<string, number> };
}

export interface StepMetadata {
  op: string;
  urn: string;
  type: string;
  diffs?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }>;
}

/**
 * Runs a Pulumi operation with `--event-log` and returns its events along with the output, so
 * callers can assert which steps (create/update/replace/delete) the engine took.
 */
export function runPulumiWithEvents(
  ws: PulumiWorkspace,
  args: string[],
  options: RunOptions = {},
): Promise<PulumiResult & { events: EngineEvent[] }> {
  return runPulumiInWithEvents(pulumiEnvironment(ws), ws.projectDir, args, options);
}

/** runPulumiWithEvents with an environment made by the caller (backend.ts's, for a person's stack). */
export async function runPulumiInWithEvents(
  env: NodeJS.ProcessEnv,
  projectDir: string,
  args: string[],
  options: RunOptions = {},
): Promise<PulumiResult & { events: EngineEvent[] }> {
  const dir = await mkdtemp(join(tmpdir(), "pulumi-events-"));
  const eventLog = join(dir, "events.jsonl");
  try {
    const result = await runPulumiIn(env, projectDir, [...args, "--event-log", eventLog], options);
    return { ...result, events: readEventLog(eventLog) };
  } catch (error) {
    if (error instanceof PulumiCommandError) {
      Object.assign(error.result, { events: readEventLog(eventLog) });
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readEventLog(file: string): EngineEvent[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EngineEvent);
}

/** The steps the engine planned or took on resources (not the stack itself, nor provider instances). */
export function stepsOf(events: EngineEvent[]): StepMetadata[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter(
      (m): m is StepMetadata =>
        m !== undefined &&
        m.type !== "pulumi:pulumi:Stack" &&
        !m.type.startsWith("pulumi:providers:"),
    );
}
