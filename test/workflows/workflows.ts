/** The repository's GitHub Actions workflows, read as data. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../src/util/repo-root";

export const WORKFLOW_DIR = join(repoRoot, ".github", "workflows");

export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface WorkflowJob {
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: Record<string, string>;
  /** Absent on a job that calls a reusable workflow (`uses:`). */
  steps?: WorkflowStep[];
  uses?: string;
}

export interface Workflow {
  file: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(WORKFLOW_DIR, name));
}

export function readWorkflow(file: string): Workflow {
  return { ...(parse(readFileSync(file, "utf8")) as Omit<Workflow, "file">), file };
}

/** The steps of every job of a workflow. */
export function stepsOf(workflow: Workflow): WorkflowStep[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
}

/** A job's step by id or name; throws when the workflow has none, so a renamed step fails loudly. */
export function stepOf(workflow: Workflow, job: string, idOrName: string): WorkflowStep {
  const step = workflow.jobs[job]?.steps?.find((s) => s.id === idOrName || s.name === idOrName);
  if (!step) throw new Error(`${workflow.file}: job ${job} has no step '${idOrName}'`);
  return step;
}
