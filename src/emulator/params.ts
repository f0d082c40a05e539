/**
 * Request parameters read the way Twilio reads them.
 *
 * Twilio takes `application/x-www-form-urlencoded` bodies (and query strings for GET filters) with
 * PascalCase names; a repeated name is a list (`MediaUrl=a&MediaUrl=b`), booleans are the strings
 * "true"/"false", integers are decimal strings. This module turns raw text into `Params` and gives
 * typed readers that throw Twilio's 20001 on a malformed value, so models never see raw strings
 * they have to second-guess.
 */
import { invalidParameter, TwilioError, type TwilioErrorCode } from "./errors";

/** Parameter name → its value, or its values when the name was repeated. */
export type Params = Record<string, string | string[]>;

/** Parses a form-encoded body or a query string (without the leading `?`). */
export function parseParams(text: string): Params {
  const params: Params = {};
  if (text === "") return params;
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}

/** The last value given for `name` (Twilio keeps the last one when a scalar is repeated). */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Every value given for `name`, in order. */
export function listParam(params: Params, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}

/** "true"/"false" (any case) → boolean; anything else → 20001. */
export function booleanParam(params: Params, name: string): boolean | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw invalidParameter(`Invalid value '${value}' for ${name}: expected true or false`);
}

/** A decimal integer; anything else → the given code (20001 unless the caller names one). */
export function integerParam(
  params: Params,
  name: string,
  code: TwilioErrorCode = 20001,
): number | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) {
    throw new TwilioError(code, `Invalid value '${value}' for ${name}: expected an integer`);
  }
  return Number.parseInt(value, 10);
}

/** E.164 (src/validation/phone-numbers.ts: the one rule the project uses). */
export { isE164 } from "../validation/phone-numbers";
/**
 * An absolute http(s) URL, as Twilio requires for webhooks and media: the project's one URL syntax
 * rule (src/validation/urls.ts). Reachability is not the emulator's business: it calls nothing.
 */
export { isWebhookUrl as isHttpUrl } from "../validation/urls";
