/**
 * Where the sender's requests go when the backend redirects them (`twilio.baseUrl`: the emulator,
 * a test double). Only the options say so, never the process environment: a stray
 * `TWILIO_BASE_URL` in a production container must not send messages, and the credentials with
 * them, somewhere else. Plain `http://` is allowed only to this machine (loopback), where no
 * network carries the auth token in clear text.
 */
import { isIP } from "node:net";
import { InsecureBaseUrlError, InvalidSenderOptionsError } from "./errors";

/** 127.0.0.0/8, ::1 and the name `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** The base URL as given, or a typed error: not a URL, not http(s), or plain http off loopback. */
export function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidSenderOptionsError([`twilio.baseUrl: not a URL: ${JSON.stringify(baseUrl)}`]);
  }
  if (url.protocol === "https:") return baseUrl;
  if (url.protocol !== "http:")
    throw new InvalidSenderOptionsError([`twilio.baseUrl: must be https:// (got ${url.protocol})`]);
  if (!isLoopbackHost(url.hostname)) throw new InsecureBaseUrlError(url.hostname);
  return baseUrl;
}
