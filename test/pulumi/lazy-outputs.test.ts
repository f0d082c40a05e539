/**
 * pulumi/lazy-outputs.ts: a resource's properties become the SDK's Outputs when the program reads
 * them, with what the engine answered, and a property never read costs no promise. Runs the
 * program's module against the installed @pulumi/pulumi (its own mock monitor answers the
 * registrations), so an SDK upgrade that moves `transferProperties` fails here, not silently.
 * The real CLI runs the program in test/engine, test/plan and test/accounts.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import "../../pulumi/stack-traces";
import "../../pulumi/lazy-outputs";

const sdk = createRequire(__filename);
const state = sdk("@pulumi/pulumi/runtime/state") as {
  getStore: () => { leakCandidates: Set<Promise<unknown>> };
};

/** The mock engine's answer: the inputs, plus `sid` and a secret `token` made by the "provider". */
beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: { ...args.inputs, sid: `SID-${args.name}`, token: pulumi.secret("t") },
      }),
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
});

class Thing extends pulumi.CustomResource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly label: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;

  constructor(name: string, props: Record<string, pulumi.Input<unknown>>) {
    super("test:index:Thing", name, props);
  }
}

/** Resolves once the mock engine has answered the resource's registration. */
async function registered(resource: pulumi.CustomResource): Promise<void> {
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
}

/** The Output's internals the SDK keeps off its public type (isSecret, the resources it depends on). */
type Internals = { isSecret: Promise<boolean>; resources: () => Set<unknown> };
const internals = (output: pulumi.Output<unknown>) => output as unknown as Internals;

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("the program's lazy resource properties", () => {
  it("makes no Output (and no pending promise) for a property until it is read", () => {
    const before = state.getStore().leakCandidates.size;
    const small = new Thing("small", { label: "a" });
    const afterSmall = state.getStore().leakCandidates.size;
    const props = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, `v${i}`]));
    const large = new Thing("large", { ...props, label: "b", sid: undefined });
    const afterLarge = state.getStore().leakCandidates.size;
    // The SDK's own transfer adds 4 pending promises per property: 22 more for the large one.
    expect(afterLarge - afterSmall).toBe(afterSmall - before);
    expect(Object.getOwnPropertyDescriptor(large, "p3")?.get).toBeTypeOf("function");
    expect(Object.getOwnPropertyDescriptor(small, "label")?.get).toBeTypeOf("function");
  });

  it("gives a property read after the registration what the engine answered", async () => {
    const thing = new Thing("after", { label: "kept", sid: undefined, token: undefined });
    await registered(thing);
    expect(await value(thing.sid)).toBe("SID-after");
    expect(await value(thing.label)).toBe("kept");
    expect(pulumi.Output.isInstance(thing.sid)).toBe(true);
    // From the first read on, the property is that Output.
    expect(thing.sid).toBe(thing.sid);
    expect(Object.getOwnPropertyDescriptor(thing, "sid")?.get).toBeUndefined();
  });

  it("gives a property read before the registration the engine's answer when it comes", async () => {
    const thing = new Thing("before", { label: "early", sid: undefined, token: undefined });
    const sid = thing.sid;
    expect(await value(sid)).toBe("SID-before");
    expect(await value(thing.label)).toBe("early");
  });

  it("keeps what the engine says about a value: secret, and the resource it depends on", async () => {
    const thing = new Thing("secret", { token: undefined, sid: undefined });
    await registered(thing);
    expect(await value(thing.token)).toBe("t");
    expect(await internals(thing.token).isSecret).toBe(true);
    expect(await internals(thing.sid).isSecret).toBe(false);
    expect([...internals(thing.sid).resources()]).toContain(thing);
  });

  it("refuses a property set twice on a resource, as the SDK does", () => {
    const rpc = sdk("@pulumi/pulumi/runtime/rpc") as {
      transferProperties: (onto: object, label: string, props: object) => unknown;
    };
    const onto = { label: "already" };
    expect(() => rpc.transferProperties(onto, "twice", { label: "x" })).toThrow(
      "Property 'label' is already initialized on target 'twice",
    );
  });
});
