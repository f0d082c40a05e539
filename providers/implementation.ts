/**
 * What a resource stores as its provider: a stub that loads the real provider code (this
 * directory) inside the provider process, instead of a serialized copy of it.
 *
 * Why: Pulumi stores a dynamic resource's serialized provider code in the state twice (inputs and
 * outputs) and sends it with every step. Serialized, our providers and the Twilio client they call
 * are 20–35 kB each. The stub is one small function (about 1 kB serialized, against 3.7 kB for the previous stub); the code it loads
 * is always the checkout's current code, which is what the next `pulumi up` runs anyway.
 *
 * How: the provider process (pulumi-resource-pulumi-nodejs) deserializes a provider once per
 * distinct text and calls its `configure` before any other method. The stub has only `configure`:
 * it loads providers/runtime.ts (once per process: ts-node, transpile only, `npm test`
 * type-checks), copies the real provider's methods onto itself, and configures the real provider.
 * From then on the engine calls the real methods directly. The provider process runs in the
 * program's directory (pulumi/); the project root is the nearest directory above it holding
 * providers/runtime.ts.
 *
 * One stub object per provider type: Pulumi caches a provider's serialized text per object
 * (a WeakMap), so sharing the object means the closure is serialized once per type and run, not
 * once per resource.
 */
import type * as pulumi from "@pulumi/pulumi";

export type ProviderName = "phoneNumber" | "messagingService" | "serviceNumber";

// biome-ignore lint/suspicious/noExplicitAny: the stub forwards whatever the engine passes.
type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>;

/**
 * The stub's only method. Serialized into the state: keep it short, self-contained (it may use
 * only `name`, `require` and globals) and without comments inside the body.
 */
function stubFor(name: ProviderName): AnyProvider {
  const stub: Pick<AnyProvider, "configure"> = {
    configure(this: AnyProvider, request: pulumi.dynamic.ConfigureRequest) {
      const g = globalThis as { __twilioProviders?: Record<string, AnyProvider> };
      if (!g.__twilioProviders) {
        const { existsSync } = require("node:fs");
        const { dirname } = require("node:path");
        let root = process.cwd();
        while (!existsSync(`${root}/providers/runtime.ts`)) {
          if (dirname(root) === root) throw new Error(`no providers/ above ${process.cwd()}`);
          root = dirname(root);
        }
        const paths = [root, `${root}/node_modules/@pulumi/pulumi`];
        const tsNode = require(require.resolve("ts-node", { paths }));
        tsNode.register({ transpileOnly: true, project: `${root}/tsconfig.json` });
        g.__twilioProviders = require(`${root}/providers/runtime.ts`).providers;
      }
      const real = g.__twilioProviders?.[name] as AnyProvider;
      Object.assign(this, real);
      return real.configure?.(request) as Promise<void>;
    },
  };
  // `create` and the rest arrive with `configure`, which the engine always calls first.
  return stub as AnyProvider;
}

const stubs: Record<ProviderName, AnyProvider> = {
  phoneNumber: stubFor("phoneNumber"),
  messagingService: stubFor("messagingService"),
  serviceNumber: stubFor("serviceNumber"),
};

/** The stub of the named provider (the same object for every resource of the type). */
export function providerStub(name: ProviderName): AnyProvider {
  return stubs[name];
}
