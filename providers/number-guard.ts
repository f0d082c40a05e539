/**
 * The number guard: a state-only resource that remembers which numbers the stack manages, so a
 * number removed from the YAML without `release: true` fails the preview with a clear message.
 *
 * Why a resource: the engine hands a provider's `check` the previous inputs next to the new ones,
 * and `check` runs during `pulumi preview`; that is the one place a Pulumi program can see what the
 * YAML used to say. (The numbers are also `protect`ed, but the engine's own message for that tells
 * the reader to unprotect them, which is the wrong advice.) No Twilio call is made here.
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
    const failures = removedWithoutRelease(olds, news).map((number) => ({
      property: "numbers",
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
};

/** One per stack: see the module comment. */
export class NumberGuard extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: NumberGuardInputs, opts?: pulumi.CustomResourceOptions) {
    super(numberGuardProvider, name, inputs, opts, "twilio", "NumberGuard");
  }
}
