/**
 * Injected faults, per emulator instance, so tests can show that callers survive what real Twilio
 * and real networks do: slow answers, rate limiting (429 with `Retry-After`), server errors, a
 * failure on exactly the Nth call, and the lost answer: Twilio carried out a create (bought the
 * number, accepted the message) but the caller never heard back, because the connection dropped
 * or a gateway answered 5xx in Twilio's place.
 *
 * Rates draw from a seeded PRNG (mulberry32), so the same configuration and the same sequence of
 * requests fail the same requests on every run. Order per request: latency first, then (after
 * authentication and routing) fail-Nth, 429, 5xx, which all answer before the operation runs;
 * the lost-answer faults (drop-after-purchase, drop-after-message) run the operation, then destroy
 * the socket (or answer the given 5xx) instead of answering.
 */
import { TwilioError } from "./errors";

/** Which requests a fault applies to; every given field must match (none given = all requests). */
export interface FaultMatch {
  /** HTTP method, e.g. "POST". */
  method?: string;
  /** Regular expression source tested against the path, e.g. "/IncomingPhoneNumbers". */
  path?: string;
  /** Twilio's operationId, e.g. "CreateIncomingPhoneNumber". */
  operationId?: string;
}

export interface FaultConfig {
  /** PRNG seed for the rates (default 1). */
  seed?: number;
  /** Delay before answering: fixed, or uniform in [minMs, maxMs]. */
  latency?: { ms: number } | { minMs: number; maxMs: number };
  /** Answer 429 (code 20429) with `Retry-After` to this fraction (0..1) of matching requests. */
  rateLimit?: { rate: number; retryAfterSeconds?: number; match?: FaultMatch };
  /** Answer a 5xx (default 500, code 20500; 503 gives 20503) to this fraction of matching requests. */
  serverErrors?: { rate: number; status?: number; match?: FaultMatch };
  /**
   * Fail the Nth matching request (1-based, counted from when the fault was set), once each, with
   * `status` (default 500; 429, with `retryAfterSeconds` (default 1), and any 5xx allowed).
   */
  failNth?: { n: number; status?: number; retryAfterSeconds?: number; match?: FaultMatch }[];
  /** Lose the answer to the next purchases (`CreateIncomingPhoneNumber` unless `match` says). */
  dropAfterPurchase?: LostAnswerFault;
  /** Lose the answer to the next message creates (`CreateMessage` unless `match` says). */
  dropAfterMessage?: LostAnswerFault;
}

/**
 * Run the next `count` (default 1) matching requests, then lose the answer: destroy the connection
 * (default), or answer `status` (a 5xx, as a gateway in front of Twilio would) although the
 * operation happened.
 */
export interface LostAnswerFault {
  count?: number;
  match?: FaultMatch;
  status?: number;
}

/** What the server tells the fault controller about a request. */
export interface FaultRequest {
  method: string;
  path: string;
  operationId?: string;
}

export const PURCHASE_MATCH: FaultMatch = {
  method: "POST",
  operationId: "CreateIncomingPhoneNumber",
};

export const MESSAGE_CREATE_MATCH: FaultMatch = { method: "POST", operationId: "CreateMessage" };

/** The lost-answer faults and the requests each matches by default. */
const LOST_ANSWER_DEFAULTS = {
  dropAfterPurchase: PURCHASE_MATCH,
  dropAfterMessage: MESSAGE_CREATE_MATCH,
} as const satisfies Record<string, FaultMatch>;

type LostAnswerKey = keyof typeof LOST_ANSWER_DEFAULTS;
const LOST_ANSWER_KEYS = Object.keys(LOST_ANSWER_DEFAULTS) as LostAnswerKey[];

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(match: FaultMatch | undefined, req: FaultRequest): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== req.method) return false;
  if (match.operationId !== undefined && match.operationId !== req.operationId) return false;
  if (match.path !== undefined && !new RegExp(match.path).test(req.path)) return false;
  return true;
}

/** The Twilio error for an injected failure with this HTTP status (429, 503, or another 5xx). */
function injectedError(status: number, why: string, retryAfterSeconds = 1): TwilioError {
  if (status === 429) {
    const headers = { "Retry-After": String(retryAfterSeconds) };
    return new TwilioError(20429, `Too Many Requests (${why})`, { headers });
  }
  return status === 503
    ? new TwilioError(20503, `Service Unavailable (${why})`, { status })
    : new TwilioError(20500, `Internal Server Error (${why})`, { status });
}

export type FaultKind = "rate-limit" | "server-error" | "fail-nth" | "dropped" | "lost-answer";

/** How to lose the answer to a request that was carried out. */
export type LostAnswer = { kind: "dropped" } | { kind: "lost-answer"; error: TwilioError };

export class FaultController {
  private current: FaultConfig = {};
  private random: () => number = mulberry32(1);
  private nthCounters: number[] = [];
  private lostAnswersLeft: Partial<Record<LostAnswerKey, number>> = {};

  constructor(config: FaultConfig = {}) {
    this.set(config);
  }

  get config(): FaultConfig {
    return structuredClone(this.current);
  }

  /** Replaces the configuration; counters and the PRNG start afresh. */
  set(config: FaultConfig): void {
    validate(config);
    this.current = structuredClone(config);
    this.random = mulberry32(config.seed ?? 1);
    this.nthCounters = (config.failNth ?? []).map(() => 0);
    this.lostAnswersLeft = {};
    for (const key of LOST_ANSWER_KEYS) {
      const fault = config[key];
      if (fault) this.lostAnswersLeft[key] = fault.count ?? 1;
    }
  }

  /** Changes the given kinds of fault, keeping the others (their counters restart too). */
  update(partial: FaultConfig): void {
    this.set({ ...this.current, ...partial });
  }

  clear(): void {
    this.set({});
  }

  /** Milliseconds to wait before handling this request. */
  latencyMs(): number {
    const latency = this.current.latency;
    if (!latency) return 0;
    if ("ms" in latency) return latency.ms;
    return latency.minMs + this.random() * (latency.maxMs - latency.minMs);
  }

  /** An error to answer instead of running the operation, or undefined to run it. */
  beforeExecute(req: FaultRequest): { error: TwilioError; kind: FaultKind } | undefined {
    const { failNth, rateLimit, serverErrors } = this.current;
    let nthHit: { status?: number; retryAfterSeconds?: number } | undefined;
    (failNth ?? []).forEach((fault, i) => {
      if (!matches(fault.match, req)) return;
      const count = (this.nthCounters[i] ?? 0) + 1;
      this.nthCounters[i] = count;
      if (count === fault.n && !nthHit) nthHit = fault;
    });
    if (nthHit)
      return {
        error: injectedError(nthHit.status ?? 500, "injected: Nth call", nthHit.retryAfterSeconds),
        kind: "fail-nth",
      };
    if (rateLimit && matches(rateLimit.match, req) && this.random() < rateLimit.rate) {
      const retryAfter = String(rateLimit.retryAfterSeconds ?? 1);
      return {
        error: new TwilioError(20429, "Too Many Requests", {
          headers: { "Retry-After": retryAfter },
        }),
        kind: "rate-limit",
      };
    }
    if (serverErrors && matches(serverErrors.match, req) && this.random() < serverErrors.rate) {
      return { error: injectedError(serverErrors.status ?? 500, "injected"), kind: "server-error" };
    }
    return undefined;
  }

  /** How to lose the answer to this request, already carried out; undefined to answer normally. */
  afterExecute(req: FaultRequest): LostAnswer | undefined {
    for (const key of LOST_ANSWER_KEYS) {
      const fault = this.current[key];
      const left = this.lostAnswersLeft[key] ?? 0;
      if (!fault || left <= 0 || !matches(fault.match ?? LOST_ANSWER_DEFAULTS[key], req)) continue;
      this.lostAnswersLeft[key] = left - 1;
      if (fault.status === undefined) return { kind: "dropped" };
      return { kind: "lost-answer", error: injectedError(fault.status, "injected: answer lost") };
    }
    return undefined;
  }
}

function validate(config: FaultConfig): void {
  const rate = (name: string, value: number) => {
    if (!(value >= 0 && value <= 1))
      throw new Error(`${name} must be between 0 and 1, got ${value}`);
  };
  if (config.rateLimit) rate("rateLimit.rate", config.rateLimit.rate);
  if (config.serverErrors) {
    rate("serverErrors.rate", config.serverErrors.rate);
    const status = config.serverErrors.status ?? 500;
    if (status < 500 || status > 599)
      throw new Error(`serverErrors.status must be 5xx, got ${status}`);
  }
  for (const fault of config.failNth ?? []) {
    if (!Number.isInteger(fault.n) || fault.n < 1)
      throw new Error(`failNth.n must be a positive integer, got ${fault.n}`);
    const status = fault.status ?? 500;
    if (status !== 429 && (status < 500 || status > 599))
      throw new Error(`failNth.status must be 429 or 5xx, got ${status}`);
  }
  const latency = config.latency;
  if (latency && "minMs" in latency && !(latency.minMs >= 0 && latency.maxMs >= latency.minMs)) {
    throw new Error("latency needs 0 <= minMs <= maxMs");
  }
  if (latency && "ms" in latency && !(latency.ms >= 0)) throw new Error("latency.ms must be >= 0");
  for (const key of LOST_ANSWER_KEYS) {
    const fault = config[key];
    if (fault?.count !== undefined && !(Number.isInteger(fault.count) && fault.count >= 0))
      throw new Error(`${key}.count must be a non-negative integer, got ${fault.count}`);
    if (fault?.status !== undefined && !(fault.status >= 500 && fault.status <= 599))
      throw new Error(`${key}.status must be 5xx, got ${fault.status}`);
  }
  const allMatches = [
    config.rateLimit?.match,
    config.serverErrors?.match,
    ...LOST_ANSWER_KEYS.map((key) => config[key]?.match),
    ...(config.failNth ?? []).map((f) => f.match),
  ];
  for (const m of allMatches) {
    if (m?.path !== undefined) new RegExp(m.path);
  }
}
