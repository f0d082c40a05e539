/**
 * How a provider gets its Twilio client.
 *
 * Credentials come from the stack's config (set by `pulumi config set --secret twilioAuthToken`)
 * through the provider's `configure`, or from the environment; never from resource inputs, so they
 * never land in Pulumi state, outputs or the serialized provider (which is stored in state too).
 * This module is serialized with each provider: it holds the client in a variable that only the
 * provider process fills in, after deserialization.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Twilio } from "twilio";
import {
  createTwilioClient,
  type TwilioCredentials,
  twilioCredentialsFromEnv,
} from "../src/twilio/client";

/** Stack config keys (namespace: the project, `twilio-messaging`). */
export const CONFIG_KEYS = {
  accountSid: "twilioAccountSid",
  authToken: "twilioAuthToken",
  baseUrl: "twilioBaseUrl",
} as const;

export interface TwilioSession {
  client: Twilio;
  accountSid: string;
}

/**
 * Mutable state lives in one object, never in reassigned variables: the closure serializer copies
 * captured variables into each function separately, but keeps one shared copy of a captured object.
 */
const state: { configured?: TwilioCredentials; session?: TwilioSession } = {};

/** The `configure` of every provider: remembers credentials from stack config, if given there. */
export async function configureFromStack(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const accountSid = req.config.get(CONFIG_KEYS.accountSid);
  const authToken = req.config.get(CONFIG_KEYS.authToken);
  const baseUrl = req.config.get(CONFIG_KEYS.baseUrl);
  if (accountSid && authToken) {
    state.configured = { accountSid, authToken, baseUrl: baseUrl || undefined };
  } else if (baseUrl) {
    state.configured = { ...twilioCredentialsFromEnv(), baseUrl };
  }
  state.session = undefined;
}

/** The client for this provider process, created on first use. */
export function twilioSession(): TwilioSession {
  if (!state.session) {
    const credentials = state.configured ?? twilioCredentialsFromEnv();
    state.session = { client: createTwilioClient(credentials), accountSid: credentials.accountSid };
  }
  return state.session;
}
