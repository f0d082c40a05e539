/**
 * A resource's properties become Outputs when the program reads them, not when it declares the
 * resource. Imported by the program right after stack-traces.ts.
 *
 * Why: the SDK turns every property of a resource (each input, each declared output and the
 * dynamic provider's `__provider`) into an Output as the resource is constructed: four pending
 * promises with their resolvers, a `then` on each (debuggablePromise), and the Output's own
 * promises and Proxy, about 20 promises and 25 closures per property, all alive until the engine
 * answers the registration. A number has 17 properties; the program reads two of them (`sid`,
 * `phoneNumber`, for the stack output) and of an attachment or the number guard none. That
 * bookkeeping was most of the program's heap per account (docs/benchmarks.md, "Where the memory
 * goes").
 *
 * What changes: the SDK's `transferProperties` (runtime/rpc) puts a getter on the resource for
 * each property instead of an Output. The engine's answer for the property is kept as the
 * arguments of its resolver (the value as the engine sent it). The first read of the property
 * makes the SDK's own Output (the SDK's function, for that one property) and hands it what was
 * kept, or what arrives later; from then on the property is that Output. What is registered,
 * what the engine answers and what a read Output holds are the SDK's: only when the Output is
 * made changes. A property never read costs a getter, its resolver and the kept answer; it also
 * leaves no promise for the SDK's leak check at exit (a registration the engine never answered
 * still fails the run, through the resource's URN and id, which the SDK makes as before).
 *
 * With PULUMI_DEBUG_PROMISE_LEAKS set (the SDK's switch for debugging leaks, and how
 * `bench:provisioning --baseline` measures the SDK's own behaviour) nothing is replaced.
 * test/pulumi/lazy-outputs.test.ts checks this against the installed SDK.
 */
import { createRequire } from "node:module";

/** A property's resolver as the SDK calls it: (value, isKnown, isSecret, deps, error). */
type Resolver = (...args: unknown[]) => void;
type Transfer = (
  onto: object,
  label: string,
  props: Record<string, unknown>,
) => Record<string, Resolver>;

/** The SDK's internal modules (@pulumi/pulumi 3.248), their CommonJS exports as far as used here. */
const sdk = createRequire(__filename);
const rpc = sdk("@pulumi/pulumi/runtime/rpc") as { transferProperties?: Transfer };
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable") as { debugPromiseLeaks?: boolean };

const sdkTransfer = rpc.transferProperties;

/** One property of one resource: what the engine answered until the Output exists, then its resolver. */
interface Slot {
  answer?: unknown[];
  resolve?: Resolver;
}

// The SDK calls it as a property of the module's exports (`rpc_1.transferProperties(…)`), so
// replacing the property reaches its caller (runtime/resource.js, prepareResource).
if (typeof sdkTransfer === "function" && !debuggable.debugPromiseLeaks) {
  rpc.transferProperties = (onto, label, props) => {
    const resolvers: Record<string, Resolver> = {};
    for (const key of Object.keys(props)) {
      // The SDK handles these two itself, and refuses a property set twice: the same checks.
      if (key === "id" || key === "urn") continue;
      if (Object.hasOwn(onto, key)) {
        throw new Error(`Property '${key}' is already initialized on target '${label}`);
      }
      const slot: Slot = {};
      resolvers[key] = (...answer) => {
        if (slot.resolve) slot.resolve(...answer);
        else slot.answer = answer;
      };
      Object.defineProperty(onto, key, {
        configurable: true,
        enumerable: true,
        get() {
          // The SDK's own Output for this property (it refers to the resource, for dependencies):
          // the getter goes, and the SDK's function sets the property as it would have.
          delete (onto as Record<string, unknown>)[key];
          const resolve = sdkTransfer(onto, label, { [key]: props[key] })[key] as Resolver;
          slot.resolve = resolve;
          if (slot.answer) resolve(...slot.answer);
          slot.answer = undefined;
          return (onto as Record<string, unknown>)[key];
        },
      });
    }
    return resolvers;
  };
}
