/**
 * Messaging Service (MG…) as a Pulumi dynamic resource: create, update in place, delete.
 *
 * Only the settings the YAML declares are compared and sent; `read` records every setting Twilio
 * holds, so a refresh shows drift and an unchanged service refreshes to no diff. A service deleted
 * outside reads as gone, and the next `up` creates it again.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ServiceInstance } from "twilio/lib/rest/messaging/v1/service";
import type { ResolvedMessagingService } from "../src/config/load";
import { changedDeclaredFields, definedFields, withoutUndefined } from "./declared-fields";
import { providerStub } from "./implementation";
import { describeTwilioFailure, isNotFound, twilioCall } from "./twilio-errors";
import { configureFromStack, twilioSession } from "./twilio-session";
import { webhookFailures } from "./webhook-check";

export type MessagingServiceInputs = ResolvedMessagingService & { accountId: string };

/** The settings the YAML can declare (the schema's keys). */
const DECLARABLE = [
  "friendlyName",
  "inboundRequestUrl",
  "inboundMethod",
  "fallbackUrl",
  "fallbackMethod",
  "statusCallback",
  "stickySender",
  "areaCodeGeomatch",
  "smartEncoding",
  "validityPeriod",
  "useInboundWebhookOnNumber",
] as const satisfies readonly (keyof ResolvedMessagingService)[];

// Compile-time: a key added to the schema's Messaging Service settings must be listed above.
type Undeclarable = Exclude<keyof ResolvedMessagingService, (typeof DECLARABLE)[number]>;
const everySettingIsDeclarable: [Undeclarable] extends [never] ? true : never = true;
void everySettingIsDeclarable;

/** Every setting Twilio reports: the declarable ones and those the YAML leaves to Twilio. */
const SETTINGS = [
  ...DECLARABLE,
  "mmsConverter",
  "fallbackToLongCode",
  "scanMessageContent",
  "synchronousValidation",
  "usecase",
] as const satisfies readonly (keyof ServiceInstance)[];

type Setting = (typeof SETTINGS)[number];
export type MessagingServiceOutputs = MessagingServiceInputs &
  Partial<Pick<ServiceInstance, Setting>> & { sid: string };

function describe(inputs: Pick<MessagingServiceInputs, "accountId" | "friendlyName">): string {
  return `Messaging Service "${inputs.friendlyName}" of account ${inputs.accountId}`;
}

function outputsOf(
  service: ServiceInstance,
  inputs: MessagingServiceInputs,
): MessagingServiceOutputs {
  return {
    ...inputs,
    ...definedFields(service, SETTINGS),
    sid: service.sid,
  } as MessagingServiceOutputs;
}

function declaredParams(
  inputs: MessagingServiceInputs,
  fields: readonly (typeof DECLARABLE)[number][],
) {
  const params: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const value = inputs[field];
    if (value !== undefined) params[field] = value;
  }
  return params;
}

export const messagingServiceProvider: pulumi.dynamic.ResourceProvider<
  MessagingServiceInputs,
  MessagingServiceOutputs
> = {
  configure: configureFromStack,

  async check(_olds, news) {
    const webhooks = ["inboundRequestUrl", "fallbackUrl", "statusCallback"] as const;
    return { inputs: news, failures: webhookFailures(news, webhooks, describe(news)) };
  },

  async diff(_id, olds, news) {
    const changed = changedDeclaredFields(olds, news, DECLARABLE);
    return { changes: changed.length > 0, replaces: [] };
  },

  async create(inputs) {
    const { client } = twilioSession();
    const service = await twilioCall(`create ${describe(inputs)}`, () =>
      client.messaging.v1.services.create({
        friendlyName: inputs.friendlyName,
        ...declaredParams(inputs, DECLARABLE),
      }),
    );
    return { id: service.sid, outs: outputsOf(service, inputs) };
  },

  async read(id, props) {
    const { client } = twilioSession();
    try {
      const service = await client.messaging.v1.services(id).fetch();
      return { id, props: outputsOf(service, props ?? ({} as MessagingServiceInputs)) };
    } catch (error) {
      if (isNotFound(error)) return { id: "", props: {} as MessagingServiceOutputs };
      throw describeTwilioFailure(`read Messaging Service ${id}`, error);
    }
  },

  async update(id, olds, news) {
    const changed = changedDeclaredFields(olds, news, DECLARABLE);
    if (changed.length === 0)
      return { outs: { ...olds, ...withoutUndefined(news) } as MessagingServiceOutputs };
    const { client } = twilioSession();
    const service = await twilioCall(`update ${describe(news)} (${id})`, () =>
      client.messaging.v1.services(id).update(declaredParams(news, changed)),
    );
    return { outs: outputsOf(service, news) };
  },

  async delete(id, props) {
    const { client } = twilioSession();
    try {
      // Twilio frees the service's numbers; the numbers themselves are untouched.
      await client.messaging.v1.services(id).remove();
    } catch (error) {
      if (isNotFound(error)) return;
      throw describeTwilioFailure(`delete ${describe(props)} (${id})`, error);
    }
  },
};

/** A Messaging Service of the Twilio account. */
export class MessagingService extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;

  constructor(name: string, inputs: MessagingServiceInputs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerStub("messagingService"),
      name,
      { ...inputs, sid: undefined },
      opts,
      "twilio",
      "MessagingService",
    );
  }
}
