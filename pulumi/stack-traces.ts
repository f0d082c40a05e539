/**
 * Cheap stack traces for the Pulumi SDK's own bookkeeping, imported first by the program.
 *
 * The SDK captures `new Error().stack` for every resource (the source position it sends to the
 * engine) and for every promise it makes through its internal `debuggablePromise`: four per
 * property of every resource (value, known, secret, dependencies), about 60 per number. Each
 * capture formats a stack of 10 frames into a string of about 1 kB that the promise keeps as
 * long as the resource lives: a third of the program's CPU after start-up and tens of kB of heap
 * per account (docs/benchmarks.md, "Where the memory goes"). Those strings are read only to
 * explain a promise left pending at exit, and only with PULUMI_DEBUG_PROMISE_LEAKS set.
 *
 * 1. `debuggablePromise` captures no frames (Error.stackTraceLimit 0 around the SDK's own
 *    function: the leak check and its message stay) unless PULUMI_DEBUG_PROMISE_LEAKS is set.
 * 2. The remaining message-less captures (the resource's source position) get V8's plain
 *    formatting instead of ts-node's source-mapped one (positions in the transpiled JavaScript);
 *    an error with a message, one a person may read, keeps the TypeScript positions.
 */
import { createRequire } from "node:module";

const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error && error.message === ""
      ? [error.name, ...frames.map((frame) => `    at ${frame}`)].join("\n")
      : mapped(error, frames);
}

/**
 * The SDK's internal module (@pulumi/pulumi 3.248, runtime/debuggable.js), as far as used here:
 * its CommonJS exports object itself (an `import *` may be a read-only copy).
 */
const internals = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as {
  debugPromiseLeaks?: boolean;
  debuggablePromise?: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
};
const debuggablePromise = internals.debuggablePromise;
// The SDK calls it as a property of the module's exports, so replacing the property reaches every
// caller. Checked by test/pulumi/stack-traces.test.ts against the installed SDK.
if (typeof debuggablePromise === "function" && !internals.debugPromiseLeaks) {
  internals.debuggablePromise = (promise, context) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return debuggablePromise(promise, context);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}
