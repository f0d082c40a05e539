/**
 * Messaging Service (MG…) as a Pulumi dynamic resource: create, update in place, delete.
 *
 * Only the settings the YAML declares are compared and sent; `read` records every setting Twilio
 * holds, so a refresh shows drift and an unchanged service refreshes to no diff. A service deleted
 * outside reads as gone, and the next `up` creates it again.
 *
 * Creating is repeatable (creation-markers.ts): the service is created with a marker in its
 * friendly name, and `create` adopts a service carrying its marker instead of making a second one.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ServiceInstance } from "twilio/lib/rest/messaging/v1/service";
import type { ResolvedMessagingService } from "../src/config/load";
import {
  createOnce,
  type MarkerIndex,
  markerIndexOf,
  withMarker,
  withoutMarker,
} from "./creation-markers";
import { changedDeclaredFields, definedFields, withoutUndefined } from "./declared-fields";
import { providerStub } from "./implementation";
import { describeTwilioFailure, isNotFound, twilioCall } from "./twilio-errors";
import { configureFromStack, twilioSession } from "./twilio-session";
import { webhookFailures } from "./webhook-check";

export type MessagingServiceInputs = ResolvedMessagingService & {
  accountId: string;
  /** Ties the service to this resource across crashes: `tm-` and 8 hex digits. */
  marker: string;
};

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
    friendlyName: withoutMarker(service.friendlyName),
    sid: service.sid,
  } as MessagingServiceOutputs;
}

/** Create/update parameters for the given declared fields; the friendly name carries the marker. */
function declaredParams(
  inputs: MessagingServiceInputs,
  fields: readonly (typeof DECLARABLE)[number][],
) {
  const params: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const value = inputs[field];
    if (value !== undefined) params[field] = value;
  }
  if (params.friendlyName !== undefined && inputs.marker)
    params.friendlyName = withMarker(inputs.friendlyName, inputs.marker);
  return params;
}

/** The account's Messaging Services by marker (one list per provider process). */
function servicesByMarker(): MarkerIndex<ServiceInstance> {
  const { client } = twilioSession();
  return markerIndexOf(client, "messaging services", () =>
    client.messaging.v1.services.list({ pageSize: 1000 }),
  );
}

/** Brings a service found by its marker to the declared settings (no call when they match). */
async function adoptService(
  service: ServiceInstance,
  inputs: MessagingServiceInputs,
): Promise<ServiceInstance> {
  const current = {
    ...definedFields(service, SETTINGS),
    friendlyName: withoutMarker(service.friendlyName),
  };
  const changed = changedDeclaredFields(current, inputs, DECLARABLE);
  if (changed.length === 0) return service;
  const { client } = twilioSession();
  // An update is repeatable as it is; the HTTP client retries it on a 5xx.
  return client.messaging.v1.services(service.sid).update(declaredParams(inputs, changed));
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
    const service = await createOnce({
      action: `create ${describe(inputs)}`,
      what: "Messaging Service",
      marker: inputs.marker,
      index: servicesByMarker(),
      adopt: (earlier) => adoptService(earlier, inputs),
      create: () =>
        client.messaging.v1.services.create({
          friendlyName: withMarker(inputs.friendlyName, inputs.marker),
          ...declaredParams(inputs, DECLARABLE),
        }),
    });
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
      // Already gone (e.g. deleted by a run that died before recording it): done.
      if (!isNotFound(error))
        throw describeTwilioFailure(`delete ${describe(props)} (${id})`, error);
    }
    servicesByMarker().forget(id);
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
