/*
 * The emulator room (src/emulator/): the local Twilio emulator, a test double of Twilio's API
 * (models/ the state and rules, render.ts the wire format, routes.ts the URLs, this file the
 * server). Imports only src/validation, src/sms and src/util. Only the entry points (src/cli),
 * tests and benchmarks import it: never the deploy-time rooms, the sender, providers/ or pulumi/.
 */
/**
 * The local Twilio emulator: a real HTTP server (node:http) that the official `twilio` SDK talks to
 * exactly as it talks to Twilio, for the 2010 API (`/2010-04-01/…`), Messaging v1, IAM v1 and
 * Trust Hub v1 (`/v1/…`) on one port.
 *
 * Per request: read the form body → (latency fault) → authenticate (20003) → route (20404/20004) →
 * path account check → authorize the API key (20003/70051) → injected faults (fail-Nth, 429, 5xx)
 * → model operation → render JSON →
 * (or lose the answer to a create: drop the connection, or answer a 5xx) → request log. Models
 * hold the state and Twilio's rules (`models/`), `render.ts` holds the wire format, `routes.ts` the
 * URL table (one file per family under `routes/`), `errors.ts` the error shape, `auth.ts` and
 * `permissions.ts` who may call what. `/__emulator/…` is the admin API (`admin.ts`).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isSid } from "../validation/sids";
import { ADMIN_PREFIX, handleAdmin } from "./admin";
import {
  type ApiKeyCredential,
  authenticate,
  authorize,
  type Caller,
  checkPathAccount,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
} from "./auth";
import { TwilioError } from "./errors";
import { type FaultConfig, FaultController, type FaultKind } from "./faults";
import type { ApiKeyPolicy, ApiKeyType } from "./models/api-keys";
import type { SeedPhoneNumber } from "./models/phone-numbers";
import { EmulatorState } from "./models/state";
import { parseParams } from "./params";
import { type RenderContext, TWILIO_ORIGINS } from "./render";
import { RequestLog, type RequestLogEntry } from "./request-log";
import { type ApiResponse, type MatchedOperation, matchOperation } from "./routes";
import { type AutoReviewSetting, applyRuntimeSettings } from "./runtime-settings";
import { loadStateFile, saveStateFile } from "./state-file";

export type { ApiKeyCredential } from "./auth";
export { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "./auth";

/** Largest request body accepted (Twilio's own limits are far below this for these resources). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the emulator is for this machine only). */
  host?: string;
  /** Account served (default `DEFAULT_ACCOUNT_SID`). */
  accountSid?: string;
  /** Its auth token (default `DEFAULT_AUTH_TOKEN`). */
  authToken?: string;
  /**
   * API keys that exist from the start: `{ sid, secret }` for a standard key with known
   * credentials, or `{ friendlyName, type, policy }` to have the SID and secret generated (they
   * are in `RunningEmulator.apiKeys`). Types: `standard` (default), `main`, `restricted` (needs
   * `policy`, an allow list of permissions).
   */
  apiKeys?: readonly ApiKeyCredential[];
  /** Persist the state here after every mutation, and load it at start. */
  stateFile?: string;
  /** Numbers for sale per area code (default 20). Ignored when a state file is loaded. */
  numbersPerAreaCode?: number;
  /** Numbers that already exist in the account at start (not applied over a loaded state file). */
  seedPhoneNumbers?: readonly SeedPhoneNumber[];
  /** Faults active from the start (CLI flags end up here). */
  faults?: FaultConfig;
  /**
   * Absolute URLs in responses (Messaging v1 `url`, `links`, `meta.*_url`): Twilio's hosts
   * (default, as Twilio answers; the SDK helper routes them back here) or this emulator's base URL
   * (for raw HTTP clients that follow links).
   */
  publicUrls?: "twilio" | "local";
  /** When set, admin calls must send it in the `X-Emulator-Admin-Token` header. */
  adminToken?: string;
  /**
   * Milliseconds a new message stays out of the Messages list (default 0), as Twilio's list may
   * lag the create; fetch by SID works at once. Changeable at runtime: `PATCH /__emulator/settings`.
   */
  messageListLagMs?: number;
  /**
   * Decide every US A2P 10DLC submission automatically this long after it was made (approve
   * unless `outcome: "reject"`); without it reviews wait for the admin API. Changeable at runtime.
   */
  autoReview?: AutoReviewSetting | null;
  /** Request log entries kept (default 10 000; mutation counts stay exact). */
  requestLogLimit?: number;
  /** Clock for resource dates (tests may pin it). */
  now?: () => Date;
  /** Called with every logged exchange (test suites collect them to validate against the spec). */
  onExchange?: (entry: RequestLogEntry) => void;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: give it to `createTwilioClient({ baseUrl })` or `TWILIO_BASE_URL`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly accountSid: string;
  readonly state: EmulatorState;
  readonly requestLog: RequestLog;
  readonly faults: FaultController;
  /** The keys made from `options.apiKeys`, with their secrets (the only place they are known). */
  readonly apiKeys: readonly StartupApiKey[];
  close(): Promise<void>;
}

export interface StartupApiKey {
  sid: string;
  secret: string;
  friendlyName: string | null;
  type: ApiKeyType;
  policy: ApiKeyPolicy | null;
}

const JSON_TYPE = "application/json; charset=utf-8";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const requestId = `RQ${randomBytes(16).toString("hex")}`;
  if (status === 204 || body === null) {
    res.writeHead(status, { "Twilio-Request-Id": requestId, ...headers });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(text),
    "Twilio-Request-Id": requestId,
    ...headers,
  });
  res.end(text);
}

function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof TwilioError)
    return { status: error.status, body: { ...error.toJSON() }, headers: { ...error.headers } };
  // A bug in the emulator: answer like Twilio's 500, and say so on stderr.
  console.error("[emulator] internal error:", error);
  const internal = new TwilioError(20500, `Internal Server Error: ${(error as Error).message}`);
  return { status: 500, body: { ...internal.toJSON() } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const accountSid = options.accountSid ?? DEFAULT_ACCOUNT_SID;
  if (!isSid(accountSid, "AC"))
    throw new Error(`accountSid must be AC followed by 32 lower-case hex digits`);

  const saved = options.stateFile ? loadStateFile(options.stateFile) : undefined;
  const state = new EmulatorState({
    accountSid,
    numbersPerAreaCode: saved?.numbersPerAreaCode ?? options.numbersPerAreaCode,
    ...(options.now ? { now: options.now } : {}),
  });
  applyRuntimeSettings(state, {
    ...(options.messageListLagMs !== undefined
      ? { messageListLagMs: options.messageListLagMs }
      : {}),
    ...(options.autoReview !== undefined ? { autoReview: options.autoReview } : {}),
  });
  if (saved) state.restore(saved);
  else for (const seed of options.seedPhoneNumbers ?? []) state.phoneNumbers.seed(seed);
  const apiKeys = (options.apiKeys ?? []).map((spec): StartupApiKey => {
    const { record, secret } = state.apiKeys.add(spec);
    const { sid, friendlyName, type, policy } = record;
    return { sid, secret, friendlyName, type, policy };
  });
  const credentials = {
    accountSid,
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    apiKeys: state.apiKeys,
  };
  const stateFile = options.stateFile;
  if (stateFile) {
    saveStateFile(stateFile, state.snapshot());
    state.onChange(() => saveStateFile(stateFile, state.snapshot()));
  }

  const requestLog = new RequestLog(options.requestLogLimit, options.onExchange);
  const faults = new FaultController(options.faults);
  const render: RenderContext = { ...TWILIO_ORIGINS };
  let baseUrl = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const time = new Date().toISOString();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const rawBody = await readBody(req);
    // Reviews decided by time (automatic review) are applied before anything reads the state.
    state.compliance.tick();

    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      const admin = handleAdmin(
        {
          state,
          requestLog,
          faults,
          baseUrl,
          ...(options.adminToken ? { adminToken: options.adminToken } : {}),
        },
        method,
        url.pathname,
        url.searchParams,
        rawBody,
        req.headers,
      );
      send(res, admin.status, admin.body);
      return;
    }

    const latency = faults.latencyMs();
    if (latency > 0) await sleep(latency);

    const isForm = (req.headers["content-type"] ?? "").startsWith(
      "application/x-www-form-urlencoded",
    );
    const apiRequest = {
      method,
      path: url.pathname,
      query: parseParams(url.search.slice(1)),
      params: isForm ? parseParams(rawBody) : {},
    };
    let caller: Caller | undefined;
    let operation: MatchedOperation | undefined;
    let fault: FaultKind | undefined;
    let response: ApiResponse;
    try {
      caller = authenticate(req.headers.authorization, credentials);
      operation = matchOperation(apiRequest);
      if (operation.pathAccountSid !== undefined)
        checkPathAccount(operation.pathAccountSid, accountSid, url.pathname);
      authorize(caller, operation);
      const faultRequest = { method, path: url.pathname, operationId: operation.operationId };
      const injected = faults.beforeExecute(faultRequest);
      if (injected) {
        fault = injected.kind;
        throw injected.error;
      }
      response = operation.run({ state, render });
      const lost = faults.afterExecute(faultRequest);
      if (lost?.kind === "dropped") {
        // The crash case: the operation happened, the caller never hears about it.
        req.socket.destroy();
        log(null, null, "dropped");
        return;
      }
      if (lost) {
        fault = lost.kind;
        throw lost.error;
      }
    } catch (error) {
      response = toErrorResponse(error);
    }
    send(res, response.status, response.body, response.headers);
    log(response.status, response.body, fault);

    function log(status: number | null, body: unknown, kind: FaultKind | undefined): void {
      requestLog.add({
        time,
        method,
        path: url.pathname,
        query: apiRequest.query,
        params: apiRequest.params,
        ...(operation ? { operationId: operation.operationId, family: operation.family } : {}),
        auth: caller?.kind ?? "rejected",
        ...(caller?.kind === "api-key" ? { apiKeySid: caller.key.sid } : {}),
        status,
        responseBody: body,
        durationMs: performance.now() - started,
        ...(kind ? { fault: kind } : {}),
        ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
      });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 400, { error: (error as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  if (options.publicUrls === "local") {
    render.messagingOrigin = baseUrl;
    render.iamOrigin = baseUrl;
    render.trustHubOrigin = baseUrl;
  }

  return {
    baseUrl,
    port: address.port,
    accountSid,
    state,
    requestLog,
    faults,
    apiKeys,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
