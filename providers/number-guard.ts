/**
 * The number guard: a state-only resource that remembers which numbers the stack manages, so a
 * number removed from the YAML without `release: true` fails the preview with a clear message.
 *
 * Why a resource: the engine hands a provider's `check` the previous inputs next to the new ones,
 * and `check` runs during `pulumi preview`; that is the one place a Pulumi program can see what the
 * YAML used to say. (The numbers are also `protect`ed, but the engine's own message for that tells
 * the reader to unprotect them, which is the wrong advice.) No Twilio call is made here.
 *
 * The program makes the guard depend on every account resource, so `pulumi destroy` deletes the
 * guard first; its `delete` refuses while any number is active, and the engine then deletes
 * nothing else (no service or attachment is torn down around protected numbers).
 */
import * as pulumi from "@pulumi/pulumi";

export interface GuardedNumber {
  accountId: string;
  accountName: string;
  numberName: string;
  /** The YAML marks the number release: true (from then on its entry may be removed). */
  release: boolean;
}

export interface NumberGuardInputs {
  /** Keyed by `<account id>/<number name>`. */
  numbers: Record<string, GuardedNumber>;
}

export function guardKey(accountId: string, numberName: string): string {
  return `${accountId}/${numberName}`;
}

/** Numbers present before, not released, and missing now. */
export function removedWithoutRelease(
  olds: Partial<NumberGuardInputs>,
  news: NumberGuardInputs,
): GuardedNumber[] {
  return Object.entries(olds.numbers ?? {})
    .filter(([key, number]) => !number.release && news.numbers[key] === undefined)
    .map(([, number]) => number);
}

export const numberGuardProvider: pulumi.dynamic.ResourceProvider<
  NumberGuardInputs,
  NumberGuardInputs
> = {
  async check(olds, news) {
    // No `property`: with one, the engine prints the property's whole value (every guarded number,
    // in Go map syntax) before the reason. Without, the reason follows the resource name directly.
    const failures = removedWithoutRelease(olds, news).map((number) => ({
      property: "",
      reason:
        `number '${number.numberName}' of account ${number.accountId} (${number.accountName}) was removed from the YAML ` +
        "without release: true. Numbers are protected and never released by accident: put the entry back, " +
        "or set release: true on it (or on its account), run pulumi up to release it, then remove it.",
    }));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    return { changes: JSON.stringify(olds.numbers) !== JSON.stringify(news.numbers), replaces: [] };
  },

  async create(inputs) {
    return { id: "number-guard", outs: inputs };
  },

  async update(_id, _olds, news) {
    return { outs: news };
  },

  async delete(_id, props) {
    const active = Object.values(props.numbers ?? {}).filter((number) => !number.release);
    if (active.length === 0) return;
    const list = active
      .map((n) => `'${n.numberName}' of account ${n.accountId} (${n.accountName})`)
      .join(", ");
    throw new Error(
      `refusing to tear down the stack: ${active.length} active number(s) are managed here: ${list}. ` +
        "pulumi destroy never releases numbers; mark them release: true and run pulumi up first.",
    );
  },
};

/** One per stack: see the module comment. */
export class NumberGuard extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: NumberGuardInputs, opts?: pulumi.CustomResourceOptions) {
    super(numberGuardProvider, name, inputs, opts, "twilio", "NumberGuard");
  }
}
