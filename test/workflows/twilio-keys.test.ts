/**
 * docs/workflows.md's table of the Twilio keys' permissions is the one the tests make the keys
 * with (test/workflows/twilio-keys.ts), and every permission is one the emulator (and Twilio's
 * published lists behind it) knows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATION_PERMISSIONS } from "../../src/emulator/permissions";
import { repoRoot } from "../../src/util/repo-root";
import { DEPLOY_KEY_POLICY, PLAN_KEY_POLICY, RELEASE_KEY_POLICY } from "./twilio-keys";

/** The rows of the "Twilio keys" table: permission, then a ✓ per key (plan, deploy, release). */
function documentedPolicies(): Record<"plan" | "deploy" | "release", string[]> {
  const doc = readFileSync(join(repoRoot, "docs", "workflows.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Twilio keys"), doc.indexOf("## Setup"));
  const policies = { plan: [] as string[], deploy: [] as string[], release: [] as string[] };
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const permission = cells[1]?.match(/^`(\/twilio\/[^`]+)`$/)?.[1];
    if (!permission) continue;
    if (cells[3] === "✓") policies.plan.push(permission);
    if (cells[4] === "✓") policies.deploy.push(permission);
    if (cells[5] === "✓") policies.release.push(permission);
  }
  return policies;
}

describe("the documented Twilio key permissions", () => {
  it("are exactly the keys the job tests run with", () => {
    const documented = documentedPolicies();
    expect(documented.plan.sort()).toEqual([...PLAN_KEY_POLICY].sort());
    expect(documented.deploy.sort()).toEqual([...DEPLOY_KEY_POLICY].sort());
    expect(documented.release.sort()).toEqual([...RELEASE_KEY_POLICY].sort());
  });

  it("are permissions of the operations the providers call, none a delete outside the release key", () => {
    const known = new Set(Object.values(OPERATION_PERMISSIONS).map((p) => p.permission));
    for (const permission of RELEASE_KEY_POLICY) expect(known, permission).toContain(permission);
    for (const permission of [...PLAN_KEY_POLICY, ...DEPLOY_KEY_POLICY]) {
      expect(permission).not.toMatch(/\/delete$/);
    }
    expect(PLAN_KEY_POLICY.every((p) => p.endsWith("/read"))).toBe(true);
  });
});
