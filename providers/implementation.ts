/**
 * What a resource stores as its provider: a stub that loads the real provider code (this
 * directory) inside the provider process, instead of a serialized copy of it.
 *
 * Why: Pulumi stores a dynamic resource's serialized provider code in the state twice (inputs and
 * outputs). Serialized, our providers and the Twilio client they call are 20–35 kB each, so 100
 * accounts made a 17 MB state that Pulumi rewrote after every step (docs/benchmarks.md). The stub
 * is a few hundred bytes; the code it loads is always the checkout's current code, which is what
 * the next `pulumi up` runs anyway.
 *
 * The provider process (pulumi-resource-pulumi-nodejs) runs plain Node in the program directory;
 * the stub finds the project root from there (the directory with Pulumi.yaml), registers ts-node
 * (TypeScript, transpile only: `npm test` type-checks), and requires providers/runtime.ts once.
 */
import type * as pulumi from "@pulumi/pulumi";

export type ProviderName = "phoneNumber" | "messagingService" | "serviceNumber";

// biome-ignore lint/suspicious/noExplicitAny: the stub forwards whatever the engine passes.
type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>;

/** Loads providers/runtime.ts in this process (once) and returns its providers. */
function loadProviders(): Record<ProviderName, AnyProvider> {
  const cache = globalThis as { __twilioMessagingProviders?: Record<ProviderName, AnyProvider> };
  if (cache.__twilioMessagingProviders) return cache.__twilioMessagingProviders;
  const path = require("node:path") as typeof import("node:path");
  const fs = require("node:fs") as typeof import("node:fs");
  let root = process.cwd();
  while (
    !fs.existsSync(path.join(root, "Pulumi.yaml")) ||
    !fs.existsSync(path.join(root, "providers"))
  ) {
    const parent = path.dirname(root);
    if (parent === root)
      throw new Error(
        `cannot find the project (Pulumi.yaml and providers/) above ${process.cwd()}`,
      );
    root = parent;
  }
  // ts-node comes with @pulumi/pulumi (which runs the program through it too).
  const pulumiDir = path.join(root, "node_modules", "@pulumi", "pulumi");
  const tsNode = require(require.resolve("ts-node", { paths: [root, pulumiDir] }));
  tsNode.register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  cache.__twilioMessagingProviders = require(path.join(root, "providers", "runtime.ts")).providers;
  return cache.__twilioMessagingProviders as Record<ProviderName, AnyProvider>;
}

/** A provider that forwards every call to the named provider of providers/runtime.ts. */
export function providerStub(name: ProviderName): AnyProvider {
  const target = () => loadProviders()[name];
  return {
    configure: (req) => target().configure?.(req) ?? Promise.resolve(),
    check: (olds, news) => target().check?.(olds, news) ?? Promise.resolve({ inputs: news }),
    diff: (id, olds, news) => target().diff?.(id, olds, news) ?? Promise.resolve({}),
    create: (inputs) => target().create(inputs),
    read: (id, props) => target().read?.(id, props) ?? Promise.resolve({ id, props }),
    update: (id, olds, news) =>
      target().update?.(id, olds, news) ?? Promise.resolve({ outs: news }),
    delete: (id, props) => target().delete?.(id, props) ?? Promise.resolve(),
  };
}
