/**
 * pulumi/stack-traces.ts: the SDK's debuggablePromise, as the program runs it, captures no stack
 * (a formatted stack per promise was a sixth of the program's CPU and kept heap per account:
 * docs/benchmarks.md) and still resolves, rejects and tracks leaks as the SDK's own does. Runs the
 * program's module against the installed @pulumi/pulumi, so an SDK upgrade that moves the
 * function or its leak tracking fails here, not silently.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import "../../pulumi/stack-traces";

type Tracked = Promise<unknown> & { _debugStackTrace?: string };
const sdk = createRequire(__filename);
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: (promise: Promise<unknown>, context: unknown) => Promise<unknown>;
};
const state = sdk("@pulumi/pulumi/runtime/state") as {
  getStore: () => { leakCandidates: Set<Promise<unknown>> };
};

describe("the program's cheap SDK promise bookkeeping", () => {
  it("formats no stack for an SDK promise (nor builds an Error for one) and passes its value on", async () => {
    const errors: string[] = [];
    const prepare = Error.prepareStackTrace;
    Error.prepareStackTrace = (error, frames) => {
      errors.push(String(error));
      return prepare ? prepare(error, frames) : String(error);
    };
    try {
      const inner: Tracked = Promise.resolve("value");
      const wrapped = debuggable.debuggablePromise(inner, "transferProperty(test)");
      expect(inner._debugStackTrace).toBeUndefined();
      expect(errors).toEqual([]);
      await expect(wrapped).resolves.toBe("value");
    } finally {
      Error.prepareStackTrace = prepare;
    }
  });

  it("tracks a pending promise as a leak candidate until it settles (the SDK's check at exit)", async () => {
    let resolve: (value: string) => void = () => {};
    const inner = new Promise<string>((r) => {
      resolve = r;
    });
    const wrapped = debuggable.debuggablePromise(inner, "pending");
    expect(state.getStore().leakCandidates.has(inner)).toBe(true);
    resolve("done");
    await expect(wrapped).resolves.toBe("done");
    expect(state.getStore().leakCandidates.has(inner)).toBe(false);
  });

  it("passes a rejection on with the promise on the error, as the SDK does, and stops tracking it", async () => {
    const inner = Promise.reject(new Error("boom"));
    const wrapped = debuggable.debuggablePromise(inner, "rejected");
    const error = (await wrapped.catch((e: unknown) => e)) as Error & { promise?: unknown };
    expect(error.message).toBe("boom");
    expect(error.promise).toBe(inner);
    expect(state.getStore().leakCandidates.has(inner)).toBe(false);
  });

  it("leaves errors a person reads with their frames", () => {
    debuggable.debuggablePromise(Promise.resolve(1), "limit");
    expect(new Error("read by a person").stack?.split("\n").length).toBeGreaterThan(2);
  });
});
