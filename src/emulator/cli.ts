/**
 * The emulator's command line (`npm run emulator -- [options]`, entry point src/cli/emulator.ts):
 * its help text and how the options become `EmulatorOptions`.
 *
 * API keys: `--api-key SK…:secret` declares a standard key with known credentials;
 * `--api-key NAME:TYPE[:permission,…]` has one made (new SID and secret at every start). Their
 * secrets are shown only when asked: `--print-api-keys` (stderr) or `--api-keys-file <path>`
 * (JSON, mode 0600).
 *
 * Tokens are best given in the environment (TWILIO_EMULATOR_AUTH_TOKEN,
 * TWILIO_EMULATOR_ADMIN_TOKEN): `npm run emulator -- --auth-token …` writes the command line, token
 * included, into npm's own debug log.
 */
import { parseArgs } from "node:util";
import { ADMIN_PREFIX } from "./admin";
import { DEFAULT_ACCOUNT_SID } from "./auth";
import type { FaultConfig, FaultMatch } from "./faults";
import { type ApiKeySpec, type ApiKeyType, parsePolicy } from "./models/api-keys";
import type { AutoReviewSetting } from "./runtime-settings";
import type { EmulatorOptions, StartupApiKey } from "./server";

export const DEFAULT_PORT = 4010;

/** Environment variables that carry the tokens, so they stay out of command lines and npm's logs. */
export const AUTH_TOKEN_ENV = "TWILIO_EMULATOR_AUTH_TOKEN";
export const ADMIN_TOKEN_ENV = "TWILIO_EMULATOR_ADMIN_TOKEN";

export const HELP = `Usage: npm run emulator -- [options]

Local Twilio API emulator (2010 API IncomingPhoneNumbers, AvailablePhoneNumbers, Messages;
Messaging v1 Services, their PhoneNumbers and US A2P 10DLC brands and campaigns; IAM v1 Keys;
Trust Hub v1; Addresses). Prints its base URL, then serves until stopped.

Options:
  --port <n>                  TCP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>               interface to listen on (default 127.0.0.1)
  --account-sid <AC…>         account served (default ${DEFAULT_ACCOUNT_SID})
  --auth-token <token>        its auth token (default: $${AUTH_TOKEN_ENV}, else the
                              documented test token); prefer the environment variable:
                              npm logs command lines
  --api-key <SK…:secret>      a standard API key with these credentials (repeatable)
  --api-key <NAME:TYPE[:permission,…]>
                              make an API key at start: TYPE main, standard or restricted
                              (restricted needs its permissions, e.g. NAME:restricted:
                              /twilio/messaging/messages/list,/twilio/messaging/messages/read)
  --print-api-keys            print the made keys' SIDs and secrets on stderr
  --api-keys-file <path>      write the made keys (SIDs, secrets) to this JSON file (mode 0600)
  --state-file <path>         load state from, and save it after every change to, this file
  --numbers-per-area-code <n> numbers for sale per area code (default 20)
  --seed-number <+1…>         a number that already exists in the account (repeatable)
  --public-urls twilio|local  hosts in absolute response URLs (default twilio)
  --message-list-lag <ms>     a new message shows in the Messages list only after this long
                              (fetch by SID works at once; default 0)
  --auto-review <ms>[:approve|reject]
                              decide every US A2P 10DLC submission (profile, trust product,
                              brand, campaign) this long after it is made (default approve;
                              without it the admin API decides: POST ${ADMIN_PREFIX}/compliance/…)
  --admin-token <token>       require X-Emulator-Admin-Token on ${ADMIN_PREFIX}/… calls
                              (default: $${ADMIN_TOKEN_ENV}; none when unset)

Faults (see docs/emulator.md; also settable at runtime via PUT ${ADMIN_PREFIX}/faults):
  --latency <ms>|<min>-<max>  delay every answer (fixed, or uniform in the range)
  --rate-429 <0..1>           answer this fraction of requests 429 (code 20429)
  --retry-after <s>           Retry-After seconds on those 429s (default 1)
  --rate-5xx <0..1>           answer this fraction of requests 5xx
  --status-5xx <code>         status for those (default 500; 503 gives code 20503)
  --fail-nth <n>[:METHOD[:path-regex]]
                              fail the Nth (matching) request with 500 (repeatable)
  --drop-after-purchase <n>   buy the number, then drop the connection, for the next n purchases
  --drop-after-message <n>    accept the message, then drop the connection, for the next n sends
  --fault-seed <n>            seed of the PRNG behind the rates (default 1)

  -h, --help                  show this help

Point the SDK at it: TWILIO_BASE_URL=<printed URL> with src/twilio/client.ts createTwilioClient().`;

function number(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got '${value}'`);
  return n;
}

function milliseconds(name: string, value: string): number {
  const n = number(name, value);
  if (n < 0) throw new Error(`--${name} expects milliseconds >= 0, got '${value}'`);
  return n;
}

/** Turns command-line arguments into emulator options (exported for tests). */
export function parseCliArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
):
  | { help: true }
  | { help: false; options: EmulatorOptions; printApiKeys: boolean; apiKeysFile?: string } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      port: { type: "string" },
      host: { type: "string" },
      "account-sid": { type: "string" },
      "auth-token": { type: "string" },
      "api-key": { type: "string", multiple: true },
      "print-api-keys": { type: "boolean" },
      "api-keys-file": { type: "string" },
      "state-file": { type: "string" },
      "numbers-per-area-code": { type: "string" },
      "seed-number": { type: "string", multiple: true },
      "public-urls": { type: "string" },
      "message-list-lag": { type: "string" },
      "auto-review": { type: "string" },
      "admin-token": { type: "string" },
      latency: { type: "string" },
      "rate-429": { type: "string" },
      "retry-after": { type: "string" },
      "rate-5xx": { type: "string" },
      "status-5xx": { type: "string" },
      "fail-nth": { type: "string", multiple: true },
      "drop-after-purchase": { type: "string" },
      "drop-after-message": { type: "string" },
      "fault-seed": { type: "string" },
    },
  });
  if (values.help) return { help: true };

  const faults: FaultConfig = {};
  if (values["fault-seed"] !== undefined) faults.seed = number("fault-seed", values["fault-seed"]);
  if (values.latency !== undefined) {
    const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(values.latency);
    faults.latency = range
      ? { minMs: Number(range[1]), maxMs: Number(range[2]) }
      : { ms: number("latency", values.latency) };
  }
  if (values["rate-429"] !== undefined) {
    faults.rateLimit = {
      rate: number("rate-429", values["rate-429"]),
      retryAfterSeconds:
        values["retry-after"] !== undefined ? number("retry-after", values["retry-after"]) : 1,
    };
  }
  if (values["rate-5xx"] !== undefined) {
    faults.serverErrors = {
      rate: number("rate-5xx", values["rate-5xx"]),
      status: values["status-5xx"] !== undefined ? number("status-5xx", values["status-5xx"]) : 500,
    };
  }
  if (values["fail-nth"]) {
    faults.failNth = values["fail-nth"].map((spec) => {
      const [n = "", method, ...pathParts] = spec.split(":");
      const match: FaultMatch = {};
      if (method) match.method = method.toUpperCase();
      if (pathParts.length > 0) match.path = pathParts.join(":");
      return { n: number("fail-nth", n), ...(Object.keys(match).length > 0 ? { match } : {}) };
    });
  }
  if (values["drop-after-purchase"] !== undefined) {
    faults.dropAfterPurchase = {
      count: number("drop-after-purchase", values["drop-after-purchase"]),
    };
  }
  if (values["drop-after-message"] !== undefined) {
    faults.dropAfterMessage = {
      count: number("drop-after-message", values["drop-after-message"]),
    };
  }

  // The command line wins over the environment; an empty variable counts as unset.
  const authToken = values["auth-token"] ?? (env[AUTH_TOKEN_ENV] || undefined);
  const adminToken = values["admin-token"] ?? (env[ADMIN_TOKEN_ENV] || undefined);
  const publicUrls = values["public-urls"];
  if (publicUrls !== undefined && publicUrls !== "twilio" && publicUrls !== "local") {
    throw new Error(`--public-urls must be twilio or local, got '${publicUrls}'`);
  }
  const options: EmulatorOptions = {
    port: values.port !== undefined ? number("port", values.port) : DEFAULT_PORT,
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values["account-sid"] !== undefined ? { accountSid: values["account-sid"] } : {}),
    ...(authToken !== undefined ? { authToken } : {}),
    ...(values["state-file"] !== undefined ? { stateFile: values["state-file"] } : {}),
    ...(values["numbers-per-area-code"] !== undefined
      ? { numbersPerAreaCode: number("numbers-per-area-code", values["numbers-per-area-code"]) }
      : {}),
    ...(publicUrls !== undefined ? { publicUrls } : {}),
    ...(values["auto-review"] !== undefined
      ? { autoReview: parseAutoReview(values["auto-review"]) }
      : {}),
    ...(values["message-list-lag"] !== undefined
      ? { messageListLagMs: milliseconds("message-list-lag", values["message-list-lag"]) }
      : {}),
    ...(adminToken !== undefined ? { adminToken } : {}),
    apiKeys: (values["api-key"] ?? []).map(parseApiKey),
    seedPhoneNumbers: (values["seed-number"] ?? []).map((phoneNumber) => ({ phoneNumber })),
    faults,
  };
  return {
    help: false,
    options,
    printApiKeys: values["print-api-keys"] === true,
    ...(values["api-keys-file"] !== undefined ? { apiKeysFile: values["api-keys-file"] } : {}),
  };
}

/** `--auto-review <ms>[:approve|reject]`. */
function parseAutoReview(spec: string): AutoReviewSetting {
  const match = /^(\d+(?:\.\d+)?)(?::(approve|reject))?$/.exec(spec);
  if (!match) throw new Error(`--auto-review expects <ms>[:approve|reject], got '${spec}'`);
  return { afterMs: Number(match[1]), outcome: (match[2] ?? "approve") as "approve" | "reject" };
}

const API_KEY_TYPES: readonly ApiKeyType[] = ["main", "standard", "restricted"];

/** `SK…:secret` (a standard key with those credentials) or `NAME:TYPE[:permission,…]`. */
export function parseApiKey(spec: string): ApiKeySpec {
  const explicit = /^(SK[0-9a-fA-F]{32}):(.+)$/.exec(spec);
  if (explicit) return { sid: explicit[1] as string, secret: explicit[2] as string };
  const [name = "", type = "", permissions, ...rest] = spec.split(":");
  const usage = "--api-key expects SK…:secret or NAME:TYPE[:permission,…]";
  if (name === "" || rest.length > 0) throw new Error(usage);
  if (!API_KEY_TYPES.includes(type as ApiKeyType)) {
    throw new Error(`${usage}; TYPE is main, standard or restricted, got '${type}'`);
  }
  if ((type === "restricted") !== (permissions !== undefined && permissions !== "")) {
    throw new Error(`${usage}; a restricted key needs its permissions, and only it has them`);
  }
  const policy = permissions ? permissions.split(",").filter((p) => p !== "") : undefined;
  if (policy) {
    try {
      parsePolicy(policy);
    } catch (error) {
      throw new Error(`--api-key ${name}: ${(error as Error).message}`);
    }
  }
  return { friendlyName: name, type: type as ApiKeyType, ...(policy ? { policy } : {}) };
}

/** What the console says about the keys made at start (secrets only when asked). */
export function describeStartupKeys(
  keys: readonly StartupApiKey[],
  showSecrets: boolean,
): string[] {
  return keys.map((key) => {
    const name = key.friendlyName ?? "(unnamed)";
    const secret = showSecrets ? ` secret ${key.secret}` : "";
    return `[emulator] API key ${name} (${key.type}): ${key.sid}${secret}`;
  });
}
