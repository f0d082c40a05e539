/*
 * The twilio room (src/twilio/): the one way to build a `twilio` SDK client (this file) and its
 * HTTP client with retries (http-client.ts). Imports only src/validation and src/util; never the
 * emulator (it is pointed at one by URL), the sender, the deploy-time rooms or src/cli.
 */
/**
 * The one way this project builds a `twilio` client. Providers, sync and the sender all call
 * `createTwilioClient`, so pointing the whole project at the local emulator is one setting:
 * a `baseUrl` (or `TWILIO_BASE_URL` in the environment). Without it the client talks to Twilio.
 *
 * The redirection goes through the SDK's own `httpClient` option (http-client.ts: the SDK's
 * RequestClient wrapped so that it rewrites `https://*.twilio.com` to the base URL, keeping path and query), so the SDK builds every
 * request, serialises every parameter and parses every response exactly as it does against Twilio.
 * Both path families (`/2010-04-01/…` on api.twilio.com and `/v1/…` on messaging.twilio.com) land
 * on the same emulator port, and so do the absolute paging URLs Twilio returns.
 *
 * Credentials are an account SID with its auth token, or an API key SID (`SK…`) with its secret.
 * No function here prints, logs or puts a token or secret in an error message.
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { ACCOUNT_SID_PATTERN, API_KEY_SID_PATTERN } from "../validation/sids";
import { createHttpClient, type RetryPolicy } from "./http-client";

export type TwilioClient = twilio.Twilio;

/** Who the client acts as, and where it sends requests. */
export interface TwilioCredentials {
  /** `AC…` — the account the client acts on. */
  accountSid: string;
  /** The account's auth token (or give `apiKey` + `apiSecret`). */
  authToken?: string;
  /** API key SID, `SK…`, used with `apiSecret` instead of the auth token. */
  apiKey?: string;
  apiSecret?: string;
  /**
   * Send every request here instead of Twilio, e.g. `http://127.0.0.1:4010` (the emulator).
   * Defaults to `env.TWILIO_BASE_URL`; when neither is set the client talks to Twilio.
   */
  baseUrl?: string;
}

export interface TwilioClientOptions extends TwilioCredentials {
  /** Retries of 429 and 5xx answers (see http-client.ts); `false` turns them off. */
  retry?: RetryPolicy | false;
  /** Per-request timeout in milliseconds (SDK default 30 000). */
  timeout?: number;
  /** Environment to read `TWILIO_BASE_URL` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

const ACCOUNT_SID = ACCOUNT_SID_PATTERN;
const API_KEY_SID = API_KEY_SID_PATTERN;

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`Twilio base URL is not a URL: '${baseUrl}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`Twilio base URL must be http(s), got '${baseUrl}'`);
  }
  return baseUrl;
}

/**
 * Builds a `twilio` client for an account, routed to `baseUrl` / `TWILIO_BASE_URL` when one is set.
 * Throws (without echoing any secret) when the credentials are incomplete or malformed.
 */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const { accountSid, authToken, apiKey, apiSecret } = options;
  if (!ACCOUNT_SID.test(accountSid)) {
    throw new Error("Twilio account SID must be 'AC' followed by 32 lower-case hex digits");
  }
  let username: string;
  let password: string;
  if (apiKey !== undefined || apiSecret !== undefined) {
    if (!apiKey || !API_KEY_SID.test(apiKey))
      throw new Error("Twilio API key must be 'SK' followed by 32 lower-case hex digits");
    if (!apiSecret) throw new Error("Twilio API key given without its secret");
    username = apiKey;
    password = apiSecret;
  } else if (authToken) {
    username = accountSid;
    password = authToken;
  } else {
    throw new Error("Twilio credentials missing: give an auth token, or an API key and secret");
  }

  const env = options.env ?? process.env;
  const baseUrl = options.baseUrl ?? (env.TWILIO_BASE_URL || undefined);
  const httpClient = createHttpClient({
    baseUrl: baseUrl ? checkBaseUrl(baseUrl) : undefined,
    retry: options.retry,
    timeout: options.timeout,
  });
  // `env: {}` keeps the SDK from reading TWILIO_* variables behind our back (edge, region, log level).
  return twilio(username, password, {
    accountSid,
    httpClient: httpClient as RequestClient,
    env: {},
  });
}

/**
 * Reads Twilio settings from the environment: `TWILIO_ACCOUNT_SID` and either `TWILIO_AUTH_TOKEN`
 * or `TWILIO_API_KEY` + `TWILIO_API_SECRET`, plus optional `TWILIO_BASE_URL`. Errors name the
 * variable that is missing or malformed, never its value when it is a secret.
 */
export function twilioCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioCredentials {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const accountSid = get("TWILIO_ACCOUNT_SID");
  if (!accountSid) throw new Error("TWILIO_ACCOUNT_SID is not set");
  if (!ACCOUNT_SID.test(accountSid)) {
    throw new Error("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 lower-case hex digits");
  }
  const authToken = get("TWILIO_AUTH_TOKEN");
  const apiKey = get("TWILIO_API_KEY");
  const apiSecret = get("TWILIO_API_SECRET");
  const baseUrl = get("TWILIO_BASE_URL");
  if (baseUrl) checkBaseUrl(baseUrl);
  if (apiKey || apiSecret) {
    if (!apiKey) throw new Error("TWILIO_API_SECRET is set but TWILIO_API_KEY is not");
    if (!API_KEY_SID.test(apiKey))
      throw new Error("TWILIO_API_KEY must be 'SK' followed by 32 lower-case hex digits");
    if (!apiSecret) throw new Error("TWILIO_API_KEY is set but TWILIO_API_SECRET is not");
    return { accountSid, apiKey, apiSecret, ...(baseUrl ? { baseUrl } : {}) };
  }
  if (!authToken) {
    throw new Error(
      "Twilio credentials missing: set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET",
    );
  }
  return { accountSid, authToken, ...(baseUrl ? { baseUrl } : {}) };
}

/** `createTwilioClient(twilioCredentialsFromEnv(env))`. */
export function createTwilioClientFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioClient {
  return createTwilioClient({ ...twilioCredentialsFromEnv(env), env });
}
