import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PulumiWorkspace } from "../../src/pulumi/environment";
import { runPulumiWithEvents, stepsOf } from "../../src/pulumi/events";
import { initStack, runPulumi } from "../../src/pulumi/run";
import { repoRoot } from "../../src/util/repo-root";

const stack = `smoke-${process.pid}`;
let ws: PulumiWorkspace;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "engine-smoke-state-"));
  ws = { projectDir: join(repoRoot, "test", "fixtures", "engine-smoke"), stateDir };
  const version = await runPulumi(ws, ["version"]);
  // Printed on purpose: the CI log shows which real engine the suite ran.
  console.log(`pulumi version: ${version.stdout.trim()}`);
  await initStack(ws, stack, { plain: { message: "hello from the engine" } });
});

afterAll(async () => {
  await runPulumi(ws, ["stack", "rm", stack, "--yes", "--force"], { check: false });
  rmSync(stateDir, { recursive: true, force: true });
});

describe("the real Pulumi engine", () => {
  it("reports the pinned CLI version", async () => {
    const version = await runPulumi(ws, ["version"]);
    expect(version.stdout.trim()).toBe("v3.248.0");
  });

  it("creates a dynamic resource whose provider is imported from providers/", async () => {
    const up = await runPulumiWithEvents(ws, ["up", "--yes", "--skip-preview", "--stack", stack]);
    expect(stepsOf(up.events).map((s) => [s.op, s.type])).toEqual([
      ["create", "pulumi-nodejs:dynamic/testing:Echo"],
    ]);
    const outputs = JSON.parse(
      (await runPulumi(ws, ["stack", "output", "--json", "--stack", stack])).stdout,
    );
    expect(outputs.message).toBe("hello from the engine");
    // Computed inside the provider plugin process, so it proves the provider really ran.
    expect(outputs.digest).toBe(createHash("sha256").update("hello from the engine").digest("hex"));
  });

  it("changes nothing on a second up with the same program and config", async () => {
    const up = await runPulumiWithEvents(ws, ["up", "--yes", "--skip-preview", "--stack", stack]);
    expect(stepsOf(up.events).map((s) => s.op)).toEqual(["same"]);
  });

  it("updates in place when an input changes", async () => {
    await runPulumi(ws, ["config", "set", "--stack", stack, "message", "changed"]);
    const up = await runPulumiWithEvents(ws, ["up", "--yes", "--skip-preview", "--stack", stack]);
    expect(stepsOf(up.events).map((s) => s.op)).toEqual(["update"]);
  });

  it("destroys the stack's resources", async () => {
    const destroy = await runPulumiWithEvents(ws, ["destroy", "--yes", "--stack", stack]);
    expect(stepsOf(destroy.events).map((s) => s.op)).toEqual(["delete"]);
    const outputs = await runPulumi(ws, ["stack", "output", "--json", "--stack", stack]);
    expect(JSON.parse(outputs.stdout)).toEqual({});
  });
});
