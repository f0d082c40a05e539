/**
 * The owners of the gate (.github/CODEOWNERS, GitHub's convention): every file a pull request could
 * change to switch the gate off for itself, and once merged for every deploy, needs a maintainer's
 * review. Paths are matched as GitHub does for these patterns: a leading `/` anchors at the root,
 * a trailing `/` owns the folder, `*` stays inside one folder.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";

const rules = readFileSync(join(repoRoot, ".github", "CODEOWNERS"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => {
    const [pattern = "", ...owners] = line.trim().split(/\s+/);
    return { pattern, owners };
  });

function ownersOf(file: string): string[] {
  let owners: string[] = [];
  for (const { pattern, owners: these } of rules) {
    const anchored = pattern.replace(/^\//, "");
    const source = anchored
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\/$/, "/.*");
    if (new RegExp(`^${source}$`).test(file)) owners = these; // the last match wins, as on GitHub
  }
  return owners;
}

describe("CODEOWNERS", () => {
  it("puts the gate's code under the maintainers' review", () => {
    for (const file of [
      ".github/CODEOWNERS",
      ".github/workflows/plan.yml",
      ".github/workflows/deploy-stack.yml",
      ".github/scripts/plan-comment.cjs",
      "scripts/ci-plan.sh",
      "scripts/ci-plan-needed.sh",
      "scripts/ci-deploy.sh",
      "providers/phone-number.ts",
      "pulumi/account.ts",
      "src/plan/approval.ts",
      "src/plan/apply.ts",
      "src/pulumi/run.ts",
      "src/cli/plan.ts",
      "src/cli/plan-approval.ts",
      "src/cli/plan-needed.ts",
      "src/cli/apply.ts",
      "src/cli/plan-merge.ts",
      "src/cli/shard-touched.ts",
      "src/cli/shard-move.ts",
      "src/shards/touched.ts",
      "scripts/ci-plan-merge.sh",
      "package.json",
    ]) {
      expect(ownersOf(file), file).toEqual(["@your-org/maintainers"]);
    }
  });

  it("leaves the rest to the ordinary review", () => {
    for (const file of [
      "README.md",
      "config/accounts.yaml",
      "src/sender/index.ts",
      "scripts/ensure-redis.sh",
    ]) {
      expect(ownersOf(file), file).toEqual([]);
    }
  });
});
