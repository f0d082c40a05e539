/**
 * Cheap stack traces for the Pulumi SDK's own bookkeeping, imported first by the program.
 *
 * The SDK captures `new Error().stack` for every resource (the source position it sends to the
 * engine) and for every promise it makes through its internal `debuggablePromise`: four per
 * property of every resource (value, known, secret, dependencies), about 60 per number. Each
 * capture formats a stack of 10 frames into a string of about 1 kB that the promise keeps as
 * long as the resource lives: a sixth of the program's CPU after start-up, and heap per account
 * (docs/benchmarks.md, "Where the memory goes"). Those strings are read only to explain a promise
 * left pending at exit, and only with PULUMI_DEBUG_PROMISE_LEAKS set.
 *
 * 1. Unless PULUMI_DEBUG_PROMISE_LEAKS is set, `debuggablePromise` keeps the SDK's leak check
 *    (a promise still pending at exit fails the run, with the SDK's message) but captures no
 *    stack and makes one promise where the SDK makes two.
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

/** The SDK's internal modules (@pulumi/pulumi 3.248), their CommonJS exports as far as used here. */
type Tracked = Promise<unknown>;
const sdk = createRequire(__filename);
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable") as {
  debugPromiseLeaks?: boolean;
  debuggablePromise?: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
};
const state = sdk("@pulumi/pulumi/runtime/state") as {
  getStore?: () => { leakCandidates?: Set<Tracked> };
};

const sdkDebuggablePromise = debuggable.debuggablePromise;
// The SDK calls it as a property of the module's exports (`debuggable_1.debuggablePromise(…)`), so
// replacing the property reaches every caller. test/pulumi/stack-traces.test.ts checks this
// against the installed SDK: an upgrade that moves it fails there, not silently here.
if (
  typeof sdkDebuggablePromise === "function" &&
  typeof state.getStore === "function" &&
  !debuggable.debugPromiseLeaks
) {
  const getStore = state.getStore;
  // One call of the SDK's own function schedules its leak check at exit (it does so on first use).
  sdkDebuggablePromise(Promise.resolve(), "schedules the leak check");
  // The SDK's function without what only PULUMI_DEBUG_PROMISE_LEAKS reads (an id, the context and
  // a formatted stack defined on the promise) and with one `then` where it chains `then` and
  // `catch`: the same leak tracking (a promise is a candidate until it settles), the same value,
  // the same rejection (with `promise` set on the error, as the SDK does).
  debuggable.debuggablePromise = <T>(promise: Promise<T>) => {
    const store = getStore();
    store.leakCandidates?.add(promise);
    return promise.then(
      (value) => {
        store.leakCandidates?.delete(promise);
        return value;
      },
      (error) => {
        store.leakCandidates?.delete(promise);
        error.promise = promise;
        throw error;
      },
    );
  };
}
