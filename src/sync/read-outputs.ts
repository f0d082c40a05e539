/**
 * Where the sync gets the stack outputs: a file holding what `pulumi stack output --json` printed,
 * or the stack itself (the pinned Pulumi CLI, on PULUMI_BACKEND_URL or the local file backend
 * .local/pulumi-state that `npm run pulumi` and `npm start` use). The one way to read a stack's
 * outputs: `npm run sync` and npm start both read them here.
 */
import { readFile } from "node:fs/promises";
import { stackEnvironment } from "../pulumi/backend";
import { runPulumiIn } from "../pulumi/run";
import { repoRoot } from "../util/repo-root";
import { parseStackOutputs, type StackOutputs, StackOutputsError } from "./contract";

export async function readOutputsFile(path: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "it does not exist" : (error as Error).message;
    throw new StackOutputsError(`cannot read outputs file ${path}: ${why}`);
  }
  return parseStackOutputs(text, `outputs file ${path}`);
}

/**
 * Runs `pulumi stack output --json --show-secrets --stack NAME` and parses what it prints. Like
 * `npm run pulumi`: PULUMI_BACKEND_URL or the local backend, the user's own passphrase; the stack
 * `local` (npm start's) always on the local backend.
 */
export async function readStackOutputs(stack: string): Promise<StackOutputs> {
  const args = ["stack", "output", "--json", "--show-secrets", "--stack", stack];
  const env = stackEnvironment(stack, args);
  const { code, stdout, stderr } = await runPulumiIn(env, repoRoot, args, { check: false });
  if (code !== 0) {
    throw new StackOutputsError(
      `cannot read the outputs of stack ${stack}: pulumi stack output exited with ${code}: ${stderr.trim()}`,
    );
  }
  return parseStackOutputs(stdout, `the outputs of stack ${stack}`);
}
