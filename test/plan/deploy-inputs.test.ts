/**
 * What a deployment reads (src/plan/deploy-inputs.ts): the one list behind "nothing to plan" on a
 * pull request and deploy.yml's `paths:` on main.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY_INPUTS, deployInputsAmong } from "../../src/plan/deploy-inputs";
import { readWorkflow, WORKFLOW_DIR } from "../workflows/workflows";

describe("deploy inputs", () => {
  it("are the accounts files, the code and the dependencies a deployment runs", () => {
    const changed = [
      "README.md",
      "docs/workflows.md",
      "config/accounts.yaml",
      "src/plan/model.ts",
      "providers/phone-number.ts",
      "package-lock.json",
      "tools/pulumi-cli/go.mod",
      "Pulumi.yaml",
      "scripts/ci-deploy.sh",
      ".github/workflows/plan.yml",
      "test/plan/approval.test.ts",
      "accounts/extra.yaml",
      "srcx/file.ts",
      "Pulumi.yaml.bak",
    ];
    expect(deployInputsAmong(changed, ["./accounts/extra.yaml"])).toEqual([
      "config/accounts.yaml",
      "src/plan/model.ts",
      "providers/phone-number.ts",
      "package-lock.json",
      "tools/pulumi-cli/go.mod",
      "Pulumi.yaml",
      "scripts/ci-deploy.sh",
      ".github/workflows/plan.yml",
      "accounts/extra.yaml",
    ]);
    expect(deployInputsAmong(["README.md", "docs/plan.md", "test/x.test.ts"])).toEqual([]);
  });

  it("are exactly the paths that start a deploy on main", () => {
    const deploy = readWorkflow(join(WORKFLOW_DIR, "deploy.yml")) as unknown as {
      on: { push: { paths: string[] } };
    };
    expect(deploy.on.push.paths).toEqual([...DEPLOY_INPUTS]);
  });
});
