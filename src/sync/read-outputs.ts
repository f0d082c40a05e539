/**
 * Where the sync gets the stack outputs: a file holding what `pulumi stack output --json` printed,
 * or the stack itself (the pinned Pulumi CLI, on PULUMI_BACKEND_URL or the local file backend
 * .local/pulumi-state that `npm run pulumi` and `npm start` use).
 */
import { readFile } from "node:fs/promises";
import { repoRoot, runPulumiIn } from "../../scripts/lib/pulumi";
import { userCommandEnvironment } from "../../scripts/lib/pulumi-wrapper";
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

/** Runs `pulumi stack output --json --show-secrets --stack NAME` and parses what it prints. */
export async function readStackOutputs(stack: string): Promise<StackOutputs> {
  const args = ["stack", "output", "--json", "--show-secrets", "--stack", stack];
  // Like `npm run pulumi`: PULUMI_BACKEND_URL or the local backend, the user's own passphrase.
  const env = userCommandEnvironment(args);
  const { code, stdout, stderr } = await runPulumiIn(env, repoRoot, args, { check: false });
  if (code !== 0) {
    throw new StackOutputsError(
      `cannot read the outputs of stack ${stack}: pulumi stack output exited with ${code}: ${stderr.trim()}`,
    );
  }
  return parseStackOutputs(stdout, `the outputs of stack ${stack}`);
}
