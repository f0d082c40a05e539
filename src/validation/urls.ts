/**
 * Webhook URL rules, the one copy used by the accounts schema (and so by the JSON Schema generated
 * from it, which carries WEBHOOK_URL_PATTERN verbatim), the providers' `check`, and the emulator.
 *
 * Syntax (the pattern): `http://` or `https://`; a host that is a DNS name in ASCII (write an
 * internationalised name in punycode, `xn--…`) or a dotted IPv4 address; an optional port up to
 * 65535; then path, query and fragment made of RFC 3986 characters, `%` only as `%` and two hex
 * digits. No user:password@ (it would be stored in Pulumi state), no spaces, backslashes, control
 * or non-ASCII characters, no IPv6 literal. At most WEBHOOK_URL_MAX characters.
 *
 * Reachability (unreachableHostReason): Twilio calls webhooks from the internet, so only a public
 * (unicast) address or a public DNS name can receive them: localhost, loopback, private, shared
 * (carrier-grade NAT), link-local, benchmarking, documentation, multicast, broadcast and reserved
 * addresses, single-label names and the names reserved for local networks (`.local`, `.lan`,
 * `.internal`, `.home.arpa`) never do; the accounts schema refuses them unless the account allows
 * local webhooks for a test setup. Addresses are classified by ipaddr.js, which keeps the IANA
 * special-purpose registry, rather than by a hand-kept list of ranges.
 */
import ipaddr from "ipaddr.js";

export const WEBHOOK_URL_MAX = 2048;

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/** The last label of a DNS name starts with a letter, so "999.1.1.1" is not a name. */
const TOP_LABEL = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PORT = "(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}|0)";
const URL_CHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})";

export const WEBHOOK_URL_PATTERN = new RegExp(
  `^https?://(?:(?:${LABEL}\\.)*${TOP_LABEL}|${IPV4})(?::${PORT})?(?:[/?#]${URL_CHAR}*)?$`,
);

/** True when `value` is a webhook URL by the syntax rule above (reachability aside). */
export function isWebhookUrl(value: string): boolean {
  return value.length <= WEBHOOK_URL_MAX && WEBHOOK_URL_PATTERN.test(value);
}

/** Why a syntactically valid URL fails, in words, for error messages. */
export function describeWebhookSyntaxProblem(value: string): string {
  if (value.length > WEBHOOK_URL_MAX) return `longer than ${WEBHOOK_URL_MAX} characters`;
  if (!/^https?:\/\//.test(value)) return "not an absolute http:// or https:// URL";
  if (/^https?:\/\/[^/?#]*@/i.test(value))
    return "it carries user:password@, which would end up in Pulumi state";
  if (/[^\x20-\x7e]/.test(value)) {
    return /\p{Cc}/u.test(value)
      ? "it contains a control character"
      : "it contains non-ASCII characters (write the host in punycode, xn--…, and percent-encode the rest)";
  }
  if (/\s/.test(value)) return "it contains a space (percent-encode it as %20)";
  if (value.includes("\\")) return "it contains a backslash";
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return "a % is not followed by two hex digits";
  return "its host, port or characters are not those of a URL Twilio can call";
}

/** ipaddr.js's range names, in words, for the ranges Twilio cannot call (any but "unicast"). */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'a "this network" address (0.0.0.0/8)',
  broadcast: "the broadcast address",
  multicast: "a multicast address (224.0.0.0/4)",
  linkLocal: "a link-local address (169.254.0.0/16)",
  loopback: "a loopback address (127.0.0.0/8)",
  carrierGradeNat: "a shared (carrier-grade NAT) address (100.64.0.0/10)",
  private: "a private address (10/8, 172.16/12, 192.168/16)",
  reserved:
    "a reserved address (benchmarking 198.18.0.0/15, documentation, protocol assignments or future use)",
  benchmarking: "a benchmarking address (198.18.0.0/15)",
  as112: "an AS112 (DNS sink) address",
  amt: "an AMT relay anycast address",
};

/**
 * Names that resolve only on a local network: `.local` (mDNS), `.home.arpa` (RFC 8375),
 * `.internal` (reserved for private use by ICANN, 2024) and `.lan` (a common router default).
 */
const LOCAL_NETWORK_SUFFIXES = ["local", "lan", "internal", "home.arpa"] as const;

/** The host part of a webhook URL that passed isWebhookUrl. */
function hostOf(url: string): string {
  const rest = url.replace(/^https?:\/\//i, "");
  const end = rest.search(/[:/?#]/);
  return (end < 0 ? rest : rest.slice(0, end)).toLowerCase();
}

/**
 * Why Twilio could not call this (syntactically valid) URL, or undefined when it could: any IPv4
 * address but a public unicast one, localhost, single-label names and local-network names.
 */
export function unreachableHostReason(url: string): string | undefined {
  const host = hostOf(url);
  // The URL pattern admits dotted-decimal IPv4 only, which ipaddr.js parses as such.
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const range = ipaddr.IPv4.parse(host).range();
    return range === "unicast"
      ? undefined
      : `${host} is ${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}, not a public one`;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is this machine`;
  if (!host.includes("."))
    return `${host} is a single-label name that only a local network resolves`;
  const suffix = LOCAL_NETWORK_SUFFIXES.find((name) => host === name || host.endsWith(`.${name}`));
  if (suffix) return `${host} is a .${suffix} name, which only a local network resolves`;
  return undefined;
}
