/** The repository's GitHub Actions workflows, read as data. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../src/util/repo-root";

export const WORKFLOW_DIR = join(repoRoot, ".github", "workflows");

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Workflow {
  file: string;
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(WORKFLOW_DIR, name));
}

export function readWorkflow(file: string): Workflow {
  return { ...(parse(readFileSync(file, "utf8")) as Omit<Workflow, "file">), file };
}
