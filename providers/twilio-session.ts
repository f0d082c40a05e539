/**
 * How a provider gets its Twilio client.
 *
 * The secret (auth token, or API key secret) comes from the environment only: TWILIO_AUTH_TOKEN, or
 * TWILIO_API_KEY + TWILIO_API_SECRET. Not from resource inputs, and not from stack config either:
 * Pulumi hands the whole stack config to the dynamic provider as its inputs and stores those in the
 * state (a `--secret` value encrypted, but present; `stack export --show-secrets` prints it). The
 * non-secret settings (account SID, base URL) may come from stack config through `configure`.
 * The provider process loads this module once (through the stub of providers/implementation.ts;
 * nothing of it is serialized into the state) and keeps the client in module state that only that
 * process fills in.
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
  baseUrl: "twilioBaseUrl",
} as const;

/** Stack config keys that would put a secret into the state; the program refuses them. */
export const FORBIDDEN_SECRET_KEYS = ["twilioAuthToken", "twilioApiSecret"] as const;

export interface TwilioSession {
  client: Twilio;
  accountSid: string;
}

/**
 * Mutable state lives in one object, never in reassigned variables. It dates from when providers
 * were serialized with their code (the closure serializer copies a captured variable into each
 * function, but shares a captured object); it stays correct, and cheap, now that they are loaded.
 */
const state: { configured?: TwilioCredentials; session?: TwilioSession } = {};

/**
 * The `configure` of every provider: the secret from the environment, the account SID and base URL
 * from stack config when set there (the environment otherwise).
 */
export async function configureFromStack(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const fromEnv = twilioCredentialsFromEnv({
    ...process.env,
    // Stack config wins over the environment for the non-secret settings.
    ...(req.config.get(CONFIG_KEYS.accountSid)
      ? { TWILIO_ACCOUNT_SID: req.config.get(CONFIG_KEYS.accountSid) }
      : {}),
  });
  const baseUrl = req.config.get(CONFIG_KEYS.baseUrl);
  const configured = baseUrl ? { ...fromEnv, baseUrl } : fromEnv;
  // Each provider type is configured on its first call: the same settings keep the same client,
  // and with it what the client has learnt (creation-markers.ts: the account's marked objects).
  if (JSON.stringify(configured) === JSON.stringify(state.configured)) return;
  state.configured = configured;
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
