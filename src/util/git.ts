/**
 * What git says about the checkout: the commit it is at (a saved plan records it, and is applied
 * only at the same commit) and the files two commits differ in (a pull request's plan runs only
 * when it changes something a deployment reads).
 */
import { execFileSync } from "node:child_process";
import { repoRoot } from "./repo-root";

function git(args: string[], cwd: string): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The full SHA of HEAD, or null when `cwd` is not a git checkout (or git is missing). */
export function headCommit(cwd: string = repoRoot): string | null {
  try {
    return git(["rev-parse", "--verify", "HEAD"], cwd).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The files a pull request changes: `git diff --name-only base...head` (from their merge base, as
 * GitHub shows a pull request), renames as a deletion plus an addition so a file moved out of a
 * watched folder still counts. Throws, with git's reason, when a commit is missing.
 */
export function changedFiles(base: string, head: string, cwd: string = repoRoot): string[] {
  try {
    return git(["diff", "--name-only", "--no-renames", "-z", `${base}...${head}`], cwd)
      .split("\0")
      .filter((file) => file !== "");
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new Error(
      `git cannot list the files changed between ${base} and ${head}: ${stderr || (error as Error).message}`,
    );
  }
}
