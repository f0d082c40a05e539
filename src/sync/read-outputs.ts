/**
 * Where the sync gets the stack outputs: a file holding what `pulumi stack output --json` printed,
 * or the stack itself (the pinned Pulumi CLI, on PULUMI_BACKEND_URL or the local file backend
 * .local/pulumi-state that `npm run pulumi` and `npm start` use).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../../scripts/lib/pulumi";
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
  const args = [
    "stack",
    "output",
    "--json",
    "--show-secrets",
    "--stack",
    stack,
    "--non-interactive",
  ];
  // Like `npm run pulumi`: PULUMI_BACKEND_URL or the local backend, the user's own passphrase.
  const env = userCommandEnvironment(args);
  const { code, stdout, stderr } = await new Promise<{
    code: number;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(join(env.PULUMI_CLI_BIN ?? "", "pulumi"), args, { cwd: repoRoot, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ code: status ?? 1, stdout: out, stderr: err }));
  });
  if (code !== 0) {
    throw new StackOutputsError(
      `cannot read the outputs of stack ${stack}: pulumi stack output exited with ${code}: ${stderr.trim()}`,
    );
  }
  return parseStackOutputs(stdout, `the outputs of stack ${stack}`);
}
