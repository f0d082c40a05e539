/**
 * A dynamic provider with no outside effects: it stores its inputs and hands back an id.
 *
 * It exists to prove the engine end to end (test/engine): a real `pulumi up` that serializes a
 * provider imported from providers/ the way the Twilio providers are, runs it in the
 * pulumi-resource-pulumi-nodejs plugin, and round-trips state. Keep it free of Twilio concerns.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface EchoInputs {
  message: string;
}

export interface EchoOutputs extends EchoInputs {
  /** A digest of the message, computed inside the provider process. */
  digest: string;
}

export const echoProvider: pulumi.dynamic.ResourceProvider<EchoInputs, EchoOutputs> = {
  async create(inputs) {
    const outs = { message: inputs.message, digest: digestOf(inputs.message) };
    return { id: `echo-${outs.digest.slice(0, 12)}`, outs };
  },
  async diff(_id, olds, news) {
    const changed = olds.message !== news.message;
    return { changes: changed, replaces: [] };
  },
  async update(_id, _olds, news) {
    return { outs: { message: news.message, digest: digestOf(news.message) } };
  },
};

function digestOf(message: string): string {
  return createHash("sha256").update(message).digest("hex");
}

export class Echo extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string>;

  constructor(
    name: string,
    args: { message: pulumi.Input<string> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(echoProvider, name, { ...args, digest: undefined }, opts, "testing", "Echo");
  }
}
