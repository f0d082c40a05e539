/**
 * The local Twilio emulator: a real HTTP server (node:http) that the official `twilio` SDK talks to
 * exactly as it talks to Twilio, for the 2010 API (`/2010-04-01/…`) and Messaging v1 (`/v1/…`) on
 * one port.
 *
 * Per request: read the form body → (latency fault) → authenticate (20003) → route (20404/20004) →
 * path account check → injected faults (fail-Nth, 429, 5xx) → model operation → render JSON →
 * (or lose the answer to a create: drop the connection, or answer a 5xx) → request log. Models
 * hold the state and Twilio's rules (`models/`), `render.ts` holds the wire format, `routes.ts` the
 * URL table, `errors.ts` the error shape. `/__emulator/…` is the admin API (`admin.ts`).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isSid } from "../validation/sids";
import { ADMIN_PREFIX, handleAdmin } from "./admin";
import {
  type ApiKeyCredential,
  authenticate,
  checkPathAccount,
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
} from "./auth";
import { TwilioError } from "./errors";
import { type FaultConfig, FaultController, type FaultKind } from "./faults";
import type { SeedPhoneNumber } from "./models/phone-numbers";
import { EmulatorState } from "./models/state";
import { parseParams } from "./params";
import type { RenderContext } from "./render";
import { RequestLog, type RequestLogEntry } from "./request-log";
import { type ApiResponse, type MatchedOperation, matchOperation } from "./routes";
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
  /** API keys (`SK…` + secret) that may authenticate for the account. */
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
  close(): Promise<void>;
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
  const credentials = {
    accountSid,
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    apiKeys: options.apiKeys ?? [],
  };
  if (!isSid(accountSid, "AC"))
    throw new Error(`accountSid must be AC followed by 32 lower-case hex digits`);
  for (const key of credentials.apiKeys) {
    if (!isSid(key.sid, "SK"))
      throw new Error(`API key SID must be SK followed by 32 lower-case hex digits`);
  }

  const saved = options.stateFile ? loadStateFile(options.stateFile) : undefined;
  const state = new EmulatorState({
    accountSid,
    numbersPerAreaCode: saved?.numbersPerAreaCode ?? options.numbersPerAreaCode,
    ...(options.now ? { now: options.now } : {}),
  });
  if (saved) state.restore(saved);
  else for (const seed of options.seedPhoneNumbers ?? []) state.phoneNumbers.seed(seed);
  const stateFile = options.stateFile;
  if (stateFile) {
    saveStateFile(stateFile, state.snapshot());
    state.onChange(() => saveStateFile(stateFile, state.snapshot()));
  }

  const requestLog = new RequestLog(options.requestLogLimit, options.onExchange);
  const faults = new FaultController(options.faults);
  const render: RenderContext = { messagingOrigin: "https://messaging.twilio.com" };
  let baseUrl = "";

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const time = new Date().toISOString();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const rawBody = await readBody(req);

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
    let auth: RequestLogEntry["auth"] = "rejected";
    let operation: MatchedOperation | undefined;
    let fault: FaultKind | undefined;
    let response: ApiResponse;
    try {
      auth = authenticate(req.headers.authorization, credentials).kind;
      operation = matchOperation(apiRequest);
      if (operation.pathAccountSid !== undefined)
        checkPathAccount(operation.pathAccountSid, accountSid, url.pathname);
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
        auth,
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
  if (options.publicUrls === "local") render.messagingOrigin = baseUrl;

  return {
    baseUrl,
    port: address.port,
    accountSid,
    state,
    requestLog,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
