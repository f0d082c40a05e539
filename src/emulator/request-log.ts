/**
 * Every Twilio API exchange the emulator had: method, path, parameters, status, response body and
 * timing, for tests to assert on ("the second run made no mutating call", "the retry sent the same
 * body") and to validate against the OpenAPI description. Admin calls are not logged. The only
 * header recorded is the User-Agent (which names the SDK and Node.js version that called), so no
 * credential ever lands here.
 *
 * Entries are capped (oldest dropped first) so a long-running emulator does not grow without bound;
 * the mutation counters are kept separately and are exact until `clear()`.
 */
import type { FaultKind } from "./faults";
import type { Params } from "./params";
import type { ResourceFamily } from "./routes";

export interface RequestLogEntry {
  /** Increasing number of the exchange since the emulator started. */
  id: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  method: string;
  path: string;
  query: Params;
  /** The form-encoded body's parameters (empty for GET and DELETE). */
  params: Params;
  /** Twilio's operationId when the path and method are known, e.g. "CreateMessage". */
  operationId?: string;
  family?: ResourceFamily;
  /** How the caller authenticated; "rejected" when the credentials were not accepted. */
  auth: "account" | "api-key" | "rejected";
  /** The API key's SID when one authenticated (never its secret). */
  apiKeySid?: string;
  /** HTTP status sent, or null when the connection was dropped without an answer. */
  status: number | null;
  /** The JSON body sent (null for 204 and dropped connections). */
  responseBody: unknown;
  durationMs: number;
  /** Set when an injected fault decided the outcome. */
  fault?: FaultKind;
  /** The caller's User-Agent, e.g. "twilio-node/6.2.0 (linux x64) node/v22.23.5". */
  userAgent?: string;
}

/** Families for mutation counts, plus "other" for unknown paths. */
export type MutationFamily = ResourceFamily | "other";

const MUTATING = new Set(["POST", "DELETE"]);

export class RequestLog {
  private log: RequestLogEntry[] = [];
  private counts = new Map<MutationFamily, number>();
  private nextId = 1;

  constructor(
    private readonly limit = 10_000,
    private readonly onEntry?: (entry: RequestLogEntry) => void,
  ) {}

  /** Records an exchange (the server calls this once per API request). */
  add(entry: Omit<RequestLogEntry, "id">): RequestLogEntry {
    const full: RequestLogEntry = { id: this.nextId++, ...entry };
    this.log.push(full);
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
    if (MUTATING.has(full.method)) {
      const family = full.family ?? "other";
      this.counts.set(family, (this.counts.get(family) ?? 0) + 1);
    }
    this.onEntry?.(full);
    return full;
  }

  entries(): readonly RequestLogEntry[] {
    return this.log;
  }

  clear(): void {
    this.log = [];
    this.counts = new Map();
  }

  /**
   * POST/DELETE calls since the last clear, whatever their outcome (a rejected or failed mutation
   * still counts: the caller tried to change something).
   */
  countMutations(family?: MutationFamily): number {
    if (family !== undefined) return this.counts.get(family) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  /** Mutation counts per family, e.g. `{ "incoming-phone-numbers": 2, "messaging-services": 1 }`. */
  mutationCounts(): Partial<Record<MutationFamily, number>> {
    return Object.fromEntries(this.counts);
  }
}
