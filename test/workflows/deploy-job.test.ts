/**
 * The deploy job's script (.github/workflows/deploy.yml → scripts/ci-deploy.sh), as far as it can
 * run here without the sync command: the workflow hands it what it needs, and it refuses to deploy
 * without a database to sync into, before touching anything.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { readWorkflow, WORKFLOW_DIR } from "./workflows";

const workflow = readWorkflow(join(WORKFLOW_DIR, "deploy.yml"));
const step = workflow.jobs.deploy?.steps.find((s) => s.run?.includes("ci-deploy.sh"));

describe("the deploy job", () => {
  it("runs scripts/ci-deploy.sh with the stack, its accounts files, credentials and the database", () => {
    expect(step?.run?.trim()).toBe("bash scripts/ci-deploy.sh");
    expect(Object.keys(step?.env ?? {}).sort()).toEqual([
      "ACCOUNTS_FILES",
      "DATABASE_URL",
      "PULUMI_BACKEND_URL",
      "PULUMI_CONFIG_PASSPHRASE",
      "STACK",
      "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN",
    ]);
  });

  it("refuses to deploy without DATABASE_URL, before validating or calling Pulumi", () => {
    const result = spawnSync("bash", ["-e", "-c", step?.run ?? ""], {
      cwd: repoRoot,
      env: {
        ...process.env,
        STACK: "prod",
        ACCOUNTS_FILES: "config/accounts.example.yaml",
        DATABASE_URL: "",
      },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      "::error::DATABASE_URL is not set: the sync would write into an embedded database and the backend would never see the SIDs\n",
    );
    expect(result.stderr).toBe("");
  });
});
