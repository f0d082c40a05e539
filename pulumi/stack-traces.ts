/**
 * Cheap stack traces for the Pulumi SDK's own bookkeeping, imported first by the program.
 *
 * The SDK captures `new Error().stack` for every resource (the source position it sends to the
 * engine) and for every output property (the debug context of its promises): about 15 captures
 * per resource. ts-node's source-map support maps every frame of every capture through the
 * TypeScript source maps, which made stack formatting the largest per-resource cost of the program
 * (a fifth of a no-op preview's CPU: docs/benchmarks.md). Those captures are errors without a
 * message: they get V8's plain formatting (positions in the transpiled JavaScript). An error with
 * a message, one a person may read, keeps the source-mapped TypeScript positions.
 */
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error && error.message === ""
      ? [error.name, ...frames.map((frame) => `    at ${frame}`)].join("\n")
      : mapped(error, frames);
}
