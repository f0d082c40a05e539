/**
 * `npm run plan:needed -- --base SHA --head SHA [--accounts FILE…]`: the files a pull request
 * changes that a deployment reads (src/plan/deploy-inputs.ts), one per line; none means nothing to
 * plan. The commits come from the pull request's event (base and head), and git compares them: the
 * branch's own files cannot say "nothing changed" for it. Exit codes: 0 listed (possibly none),
 * 1 git could not compare the commits, 2 usage.
 */
import { deployInputsAmong } from "../plan/deploy-inputs";
import { changedFiles } from "../util/git";
import { defineCommand, EXIT, main, UsageError } from "./command";

const USAGE = `Usage: npm run plan:needed -- --base <sha> --head <sha> [--accounts <file>…]

Prints the files changed between the two commits (git diff --name-only base...head, as GitHub
shows a pull request) that a deployment reads: the accounts files, config/, providers/, pulumi/,
src/, Pulumi.yaml, package.json, package-lock.json, tools/, scripts/, .github/. Prints nothing
when there are none: nothing to plan.

Options:
  --base <sha>         the pull request's base commit
  --head <sha>         the pull request's head commit
  --accounts <file>…   accounts files the workflow deploys (paths from the repository root)
  -h, --help           show this help

Exit codes: 0 listed (possibly nothing), 1 git could not compare the commits (never "nothing to
plan" then), 2 usage.`;

const SHA = /^[0-9a-f]{7,64}$/;

export const planNeededCommand = defineCommand({
  script: "plan:needed",
  usage: USAGE,
  options: {
    base: { type: "string" },
    head: { type: "string" },
    accounts: { type: "string", multiple: true },
  },
  positionals: true,
  run({ values, positionals }, io) {
    for (const name of ["base", "head"] as const) {
      const sha = values[name];
      if (!sha) throw new UsageError(`--${name} is required`);
      if (!SHA.test(sha)) throw new UsageError(`--${name} expects a commit SHA, got '${sha}'`);
    }
    if (positionals.length > 0 && !values.accounts) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`);
    }
    const accounts = [...(values.accounts ?? []), ...positionals];
    let changed: string[];
    try {
      changed = changedFiles(values.base as string, values.head as string, io.cwd);
    } catch (error) {
      io.err(`error: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    const inputs = deployInputsAmong(changed, accounts);
    for (const file of inputs) io.out(`${file}\n`);
    io.err(
      inputs.length > 0
        ? `[plan:needed] ${inputs.length} of ${changed.length} changed file(s) are deploy inputs\n`
        : `[plan:needed] nothing to plan: none of the ${changed.length} changed file(s) is an accounts file or deploy code\n`,
    );
    return EXIT.ok;
  },
});

if (require.main === module) main(planNeededCommand);
