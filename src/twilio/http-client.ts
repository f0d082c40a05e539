/**
 * The HTTP client handed to the `twilio` SDK (its `httpClient` option): the SDK's own
 * RequestClient, wrapped to (1) send Twilio URLs to a base URL (the local emulator), (2) retry
 * rate limiting and Twilio-side failures with backoff that honours `Retry-After`, never repeating
 * a create whose outcome is unknown (design.md invariant 7, `isRetryableExchange`), and (3) name
 * the request (method and URL) in the error for an answer that is not Twilio's (a gateway's or a
 * proxy's), which says nothing about the object asked for (`answeredByOtherThanTwilio`).
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

/** The last path segment of an existing resource: a SID (`PN…`, `MG…`, `SM…`), 2 letters + 32 hex. */
const RESOURCE_SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/**
 * Does this request create something? Every POST to a collection URL does (a number purchase
 * `…/IncomingPhoneNumbers.json`, a message `…/Messages.json`, a Messaging Service `/v1/Services`,
 * an attachment `/v1/Services/MG…/PhoneNumbers`). A POST to an existing resource (`…/PN….json`,
 * `/v1/Services/MG…`) updates it. Anything not recognisably an update counts as a create: the
 * safe side.
 */
export function isCreate(method: string, uri: string): boolean {
  if (method.toUpperCase() !== "POST") return false;
  const last = new URL(uri).pathname.replace(/\/+$/, "").split("/").pop() ?? "";
  return !RESOURCE_SID.test(last.replace(/\.json$/, ""));
}

/**
 * Should this answer (status) or failure (status undefined: no answer) be retried as is?
 *
 * Invariant 7: a create whose outcome is unknown (5xx, timeout, dropped connection) may have been
 * carried out, so repeating it here could buy a second number or send an SMS twice. Only a 429
 * (Twilio did nothing) is retried for a create; the caller that owns the create looks for what the
 * first attempt may have made before trying again (the phone number provider's `buyOnce`, the
 * Messaging Service create, the sender's message lookup). Reads, deletes and updates of an existing
 * resource give the same result when repeated, so they are retried on 5xx and on no answer too.
 */
export function isRetryableExchange(
  method: string,
  uri: string,
  status: number | undefined,
): boolean {
  if (status === 429) return true;
  if (isCreate(method, uri)) return false;
  if (status !== undefined) return status >= 500;
  return ["GET", "DELETE", "POST"].includes(method.toUpperCase());
}

/** Wait before the next attempt: Retry-After when Twilio sends it, exponential backoff otherwise. */
export function retryDelayMs(headers: unknown, attempt: number, policy: RetryPolicy): number {
  const raw = (headers as Record<string, unknown> | undefined)?.["retry-after"];
  const seconds = typeof raw === "string" || typeof raw === "number" ? Number(raw) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0)
    return Math.min(seconds * 1000, policy.maxRetryAfterMs);
  return backoffDelayMs(attempt);
}

/**
 * Is this error answer's body Twilio's own? Twilio answers every error with JSON carrying a numeric
 * `code` (its classic body, or RFC 9457 problem details); a gateway, a proxy or a misrouted base URL
 * answers with HTML, plain text, or JSON without one.
 */
export function isTwilioErrorBody(body: unknown): boolean {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
  }
  return (
    typeof parsed === "object" &&
    parsed !== null &&
    typeof (parsed as { code?: unknown }).code === "number"
  );
}

/** The fields an error for an answer that is not Twilio's carries, besides the SDK's own. */
export interface AnsweredRequest {
  /** HTTP method and full URL (query included) of the request; never a credential. */
  requestMethod: string;
  requestUrl: string;
}

/**
 * The SDK's own exception for an error answer that is not Twilio's (the one it would throw: such a
 * body is never RFC 9457, which needs a numeric `code`), with the request it answered attached: the
 * SDK's exception names neither, and without them "HTTP 404" cannot be told from Twilio's own
 * "not found" by a reader. The URL carries no credential (they travel in the Authorization
 * header, and a base URL's user:password is dropped by rewriteTwilioUrl).
 */
function answeredByOtherThanTwilio(
  response: { statusCode: number; body?: unknown; headers: unknown },
  method: string,
  uri: string,
  params: unknown,
): Error & AnsweredRequest {
  const query =
    params && typeof params === "object"
      ? new URLSearchParams(
          Object.entries(params as Record<string, unknown>).map(([k, v]): [string, string] => [
            k,
            String(v),
          ]),
        ).toString()
      : "";
  const requestUrl = query ? `${uri}${uri.includes("?") ? "&" : "?"}${query}` : uri;
  return Object.assign(new twilio.RestException(response), {
    requestMethod: method.toUpperCase(),
    requestUrl,
  });
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
        let response: Awaited<ReturnType<typeof inner.request>>;
        try {
          response = await inner.request(request);
        } catch (error) {
          if (lastAttempt || !isRetryableExchange(method, request.uri, undefined)) throw error;
          await sleep(retryDelayMs(undefined, attempt, policy));
          continue;
        }
        if (lastAttempt || !isRetryableExchange(method, request.uri, response.statusCode)) {
          if (response.statusCode >= 400 && !isTwilioErrorBody(response.body))
            throw answeredByOtherThanTwilio(response, method, request.uri, request.params);
          return response;
        }
        await sleep(retryDelayMs(response.headers, attempt, policy));
      }
    },
  };
}
