/**
 * pulumi/stack-traces.ts: the SDK's debuggablePromise captures no stack (a formatted stack per
 * promise was a third of the program's CPU and heap per account: docs/benchmarks.md), and still
 * resolves, rejects and tracks leaks as the SDK's own does. Runs the program's module against the
 * installed @pulumi/pulumi, so an SDK upgrade that moves the function fails here, not silently.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import "../../pulumi/stack-traces";

type Tracked = Promise<unknown> & { _debugStackTrace?: string; _debugCtx?: unknown };
const sdk = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: (promise: Promise<unknown>, context: unknown) => Promise<unknown>;
};
const state = createRequire(__filename)("@pulumi/pulumi/runtime/state") as {
  getStore: () => { leakCandidates: Set<Promise<unknown>> };
};

describe("the program's cheap SDK promise bookkeeping", () => {
  it("captures no stack frames for an SDK promise, and keeps its context for the leak message", async () => {
    const inner: Tracked = Promise.resolve("value");
    const wrapped = sdk.debuggablePromise(inner, "transferProperty(test)");
    expect(inner._debugStackTrace).toBe("Error");
    expect(inner._debugCtx).toBe("transferProperty(test)");
    await expect(wrapped).resolves.toBe("value");
  });

  it("still tracks a pending promise as a leak candidate until it settles, and passes a rejection on", async () => {
    let reject: (error: Error) => void = () => {};
    const inner: Tracked = new Promise((_, r) => {
      reject = r;
    });
    const wrapped = sdk.debuggablePromise(inner, "pending");
    expect(state.getStore().leakCandidates.has(inner)).toBe(true);
    reject(new Error("boom"));
    await expect(wrapped).rejects.toThrow("boom");
    expect(state.getStore().leakCandidates.has(inner)).toBe(false);
  });

  it("leaves the stack limit as it was, so errors a person reads keep their frames", () => {
    const before = Error.stackTraceLimit;
    sdk.debuggablePromise(Promise.resolve(1), "limit");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("read by a person").stack?.split("\n").length).toBeGreaterThan(2);
  });
});
