/**
 * The HTTP client handed to the `twilio` SDK (its `httpClient` option): the SDK's own
 * RequestClient, wrapped to (1) send Twilio URLs to a base URL (the local emulator) and (2) retry
 * rate limiting and Twilio-side failures with backoff that honours `Retry-After`.
 *
 * Wrapping (not subclassing) keeps this module independent of the SDK's class internals. (It was
 * required while Pulumi serialized the dynamic providers with the code they call; providers are now
 * loaded in the provider process by a stub, providers/implementation.ts, and nothing of this module
 * is serialized.)
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { backoffDelayMs, sleep } from "../util/backoff";

/** The one method of RequestClient that the SDK calls. */
export interface TwilioHttpClient {
  request<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<{ statusCode: number; headers: unknown }>;
}

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  maxRetries: number;
  /** Longest wait honoured from a Retry-After header, in ms (default 30 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, maxRetryAfterMs: 30_000 };

/**
 * Rewrites a Twilio URL (`https://api.twilio.com/…`, `https://messaging.twilio.com/…`, any
 * `*.twilio.com` including regional hosts) onto `baseUrl`, keeping path and query. Other URLs are
 * returned unchanged.
 */
export function rewriteTwilioUrl(uri: string, baseUrl: string): string {
  const url = new URL(uri);
  if (url.hostname !== "twilio.com" && !url.hostname.endsWith(".twilio.com")) return uri;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  return `${base.origin}${prefix}${url.pathname}${url.search}`;
}

/**
 * A purchase (POST …/IncomingPhoneNumbers.json) may have been carried out even when the answer is
 * a 5xx or a dropped connection. Retrying it here could buy a second number, so only the phone
 * number provider retries purchases, after looking for the number it may already have bought.
 */
export function isPurchase(method: string, uri: string): boolean {
  return (
    method.toUpperCase() === "POST" && /\/IncomingPhoneNumbers\.json$/.test(new URL(uri).pathname)
  );
}

/** Should this answer (status) or failure (status undefined: no answer) be retried? */
export function isRetryableExchange(
  method: string,
  uri: string,
  status: number | undefined,
): boolean {
  if (status === 429) return true; // Twilio did not process the request
  if (isPurchase(method, uri)) return false;
  if (status !== undefined) return status >= 500;
  // No answer at all: repeat only what is safe to repeat.
  return ["GET", "DELETE"].includes(method.toUpperCase());
}

/** Wait before the next attempt: Retry-After when Twilio sends it, exponential backoff otherwise. */
export function retryDelayMs(headers: unknown, attempt: number, policy: RetryPolicy): number {
  const raw = (headers as Record<string, unknown> | undefined)?.["retry-after"];
  const seconds = typeof raw === "string" || typeof raw === "number" ? Number(raw) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0)
    return Math.min(seconds * 1000, policy.maxRetryAfterMs);
  return backoffDelayMs(attempt);
}

export interface HttpClientOptions {
  baseUrl?: string;
  retry?: RetryPolicy | false;
  timeout?: number;
}

export function createHttpClient(options: HttpClientOptions): TwilioHttpClient {
  const inner = new twilio.RequestClient(
    options.timeout !== undefined ? { timeout: options.timeout } : {},
  );
  const { baseUrl } = options;
  const policy =
    options.retry === false
      ? { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }
      : (options.retry ?? DEFAULT_RETRY_POLICY);
  return {
    async request(opts) {
      const request = baseUrl ? { ...opts, uri: rewriteTwilioUrl(opts.uri, baseUrl) } : opts;
      const method = String(request.method ?? "GET");
      for (let attempt = 1; ; attempt++) {
        const lastAttempt = attempt > policy.maxRetries;
        try {
          const response = await inner.request(request);
          if (lastAttempt || !isRetryableExchange(method, request.uri, response.statusCode))
            return response;
          await sleep(retryDelayMs(response.headers, attempt, policy));
        } catch (error) {
          if (lastAttempt || !isRetryableExchange(method, request.uri, undefined)) throw error;
          await sleep(retryDelayMs(undefined, attempt, policy));
        }
      }
    },
  };
}
