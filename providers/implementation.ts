/**
 * What a resource stores as its provider: a stub that loads the real provider code (this
 * directory) inside the provider process, instead of a serialized copy of it.
 *
 * Why: Pulumi stores a dynamic resource's serialized provider code in the state twice (inputs and
 * outputs) and sends it with every step. Serialized, our providers and the Twilio client they call
 * are 20–35 kB each; the stub is about 850 bytes. The code it loads is always the checkout's
 * current code, which is what the next `pulumi up` runs anyway.
 *
 * How: the provider process (pulumi-resource-pulumi-nodejs) deserializes a provider once per
 * distinct text and calls its `configure` before any other method. The stub has only `configure`:
 * it finds the project root (the nearest directory at or above the process's working directory,
 * the program's pulumi/, holding providers/load-providers.cjs), requires that file (which loads
 * the TypeScript providers once per process), copies the real provider's methods onto itself and
 * configures the real provider. From then on the engine calls the real methods directly.
 *
 * One stub object per provider type: Pulumi caches a provider's serialized text per object
 * (a WeakMap), so sharing the object means the closure is serialized once per type and run, not
 * once per resource.
 */
import type * as pulumi from "@pulumi/pulumi";

export type ProviderName =
  | "phoneNumber"
  | "messagingService"
  | "serviceNumber"
  | "usA2pRegistration";

// biome-ignore lint/suspicious/noExplicitAny: the stub forwards whatever the engine passes.
type AnyProvider = pulumi.dynamic.ResourceProvider<any, any>;

type Stub = Pick<AnyProvider, "configure"> & { provider: ProviderName };

/**
 * The stub's only method, shared by the three stubs (which provider it loads is the stub's
 * `provider` field). Serialized into the state: keep it short, self-contained (`require` and
 * globals only: no captured variable) and without comments inside the body.
 */
function configure(this: Stub, request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  let root = process.cwd();
  while (!require("node:fs").existsSync(`${root}/providers/load-providers.cjs`) && root !== "/")
    root = require("node:path").dirname(root);
  const real: AnyProvider = require(`${root}/providers/load-providers.cjs`)[this.provider];
  Object.assign(this, real);
  return real.configure?.(request) as Promise<void>;
}

// `create` and the rest arrive with `configure`, which the engine always calls first.
const stubs = {
  phoneNumber: { provider: "phoneNumber", configure },
  messagingService: { provider: "messagingService", configure },
  serviceNumber: { provider: "serviceNumber", configure },
  usA2pRegistration: { provider: "usA2pRegistration", configure },
} as Record<ProviderName, Stub> as unknown as Record<ProviderName, AnyProvider>;

/** The stub of the named provider (the same object for every resource of the type). */
export function providerStub(name: ProviderName): AnyProvider {
  return stubs[name];
}
