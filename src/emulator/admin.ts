/**
 * The emulator's own control API, under the reserved prefix `/__emulator` (no Twilio path starts
 * with it). It needs no Twilio credentials — the emulator listens on loopback — unless the emulator
 * was started with an admin token, in which case every admin call must send it in the
 * `X-Emulator-Admin-Token` header. Admin calls are neither logged nor subject to faults.
 *
 *   GET    /__emulator/health                    → { status, account_sid, base_url }
 *   GET    /__emulator/requests                  → { requests: [...] }   (?since=<id> for newer ones)
 *   DELETE /__emulator/requests                  → 204, clears the log and the mutation counts
 *   GET    /__emulator/requests/mutations        → { total, by_family }
 *   GET    /__emulator/faults                    → the fault configuration
 *   PUT    /__emulator/faults                    → replace it (JSON FaultConfig)
 *   PATCH  /__emulator/faults                    → change the given kinds only
 *   DELETE /__emulator/faults                    → 204, no faults
 *   POST   /__emulator/incoming-phone-numbers    → 201, seed a number that "already exists"
 *   GET    /__emulator/api-keys                  → { api_keys: [...] } (no secrets)
 *   POST   /__emulator/api-keys                  → 201, a key of any type: { sid, secret, … }
 *   GET    /__emulator/settings                  → { messageListLagMs, autoReview } (runtime-settings.ts)
 *   PATCH  /__emulator/settings                  → change the given settings
 *   GET    /__emulator/state                     → the state snapshot (what --state-file holds)
 *   DELETE /__emulator/state                     → 204, empty account, full inventory
 *
 * US A2P 10DLC reviews (admin-compliance.ts): GET /__emulator/compliance, POST
 * /__emulator/compliance/{SID}/(review|approve|reject), POST
 * /__emulator/messaging-services/{MG}/verified-campaign.
 */
import { timingSafeEqual } from "node:crypto";
import { handleComplianceAdmin } from "./admin-compliance";
import { TwilioError } from "./errors";
import type { FaultConfig, FaultController } from "./faults";
import type { ApiKeyRecord, ApiKeySpec } from "./models/api-keys";
import type { SeedPhoneNumber } from "./models/phone-numbers";
import type { EmulatorState } from "./models/state";
import { renderIncomingPhoneNumber } from "./render";
import type { RequestLog } from "./request-log";
import {
  applyRuntimeSettings,
  type RuntimeSettingsInput,
  readRuntimeSettings,
} from "./runtime-settings";

export const ADMIN_PREFIX = "/__emulator";
export const ADMIN_TOKEN_HEADER = "x-emulator-admin-token";

export interface AdminContext {
  state: EmulatorState;
  requestLog: RequestLog;
  faults: FaultController;
  baseUrl: string;
  adminToken?: string;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An API key as the admin API shows it: never the secret, which only the create answers. */
function describeKey(key: ApiKeyRecord) {
  return {
    sid: key.sid,
    friendly_name: key.friendlyName,
    type: key.type,
    policy: key.policy,
    date_created: key.dateCreated,
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  return JSON.parse(text);
}

/** Handles one admin request; `path` has the prefix, `rawBody` is the request body text. */
export function handleAdmin(
  ctx: AdminContext,
  method: string,
  path: string,
  query: URLSearchParams,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): AdminResponse {
  if (ctx.adminToken !== undefined && !tokenMatches(headers[ADMIN_TOKEN_HEADER], ctx.adminToken)) {
    return { status: 401, body: { error: `missing or wrong ${ADMIN_TOKEN_HEADER} header` } };
  }
  const route = `${method} ${path.slice(ADMIN_PREFIX.length) || "/"}`;
  try {
    switch (route) {
      case "GET /health":
        return {
          status: 200,
          body: { status: "ok", account_sid: ctx.state.accountSid, base_url: ctx.baseUrl },
        };
      case "GET /requests": {
        const since = Number(query.get("since") ?? "0");
        return {
          status: 200,
          body: { requests: ctx.requestLog.entries().filter((e) => e.id > since) },
        };
      }
      case "DELETE /requests":
        ctx.requestLog.clear();
        return { status: 204, body: null };
      case "GET /requests/mutations":
        return {
          status: 200,
          body: {
            total: ctx.requestLog.countMutations(),
            by_family: ctx.requestLog.mutationCounts(),
          },
        };
      case "GET /faults":
        return { status: 200, body: ctx.faults.config };
      case "PUT /faults":
        ctx.faults.set(parseJson(rawBody) as FaultConfig);
        return { status: 200, body: ctx.faults.config };
      case "PATCH /faults":
        ctx.faults.update(parseJson(rawBody) as FaultConfig);
        return { status: 200, body: ctx.faults.config };
      case "DELETE /faults":
        ctx.faults.clear();
        return { status: 204, body: null };
      case "POST /incoming-phone-numbers": {
        const seeded = ctx.state.phoneNumbers.seed(parseJson(rawBody) as SeedPhoneNumber);
        return { status: 201, body: renderIncomingPhoneNumber(seeded) };
      }
      case "GET /api-keys":
        return { status: 200, body: { api_keys: ctx.state.apiKeys.list().map(describeKey) } };
      case "POST /api-keys": {
        const { record, secret } = ctx.state.apiKeys.add(parseJson(rawBody) as ApiKeySpec);
        return { status: 201, body: { ...describeKey(record), secret } };
      }
      case "GET /settings":
        return { status: 200, body: readRuntimeSettings(ctx.state) };
      case "PATCH /settings":
        applyRuntimeSettings(ctx.state, parseJson(rawBody) as RuntimeSettingsInput);
        return { status: 200, body: readRuntimeSettings(ctx.state) };
      case "GET /state":
        return { status: 200, body: ctx.state.snapshot() };
      case "DELETE /state":
        ctx.state.reset();
        return { status: 204, body: null };
      default:
        return (
          handleComplianceAdmin(ctx.state, method, path.slice(ADMIN_PREFIX.length), () =>
            parseJson(rawBody),
          ) ?? { status: 404, body: { error: `no admin route ${route}` } }
        );
    }
  } catch (error) {
    if (error instanceof TwilioError) return { status: error.status, body: error.toJSON() };
    return { status: 400, body: { error: (error as Error).message } };
  }
}
