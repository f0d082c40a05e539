/**
 * Which Messaging Service sends for an account or a Vapi phone, cached: the rule on the rows the
 * sync writes, whatever reads them (the backend's Prisma client: prisma-routes.ts; or PostgreSQL
 * through `pg` from `databaseUrl`: postgres-routes.ts).
 *
 * The rule is the seed's: for an account, its active `VapiPhoneNumber` row that has a Messaging
 * Service SID (the oldest, so the choice is stable); for a Vapi phone id, that row (the call
 * transfer path, which in the seed does not look at `isActive`; the sync clears the SIDs of a
 * released number, so a released row has no service). Found routes are cached for `ttlMs`;
 * misses are not, so a row the sync has just written is seen on the next send. `invalidate()`
 * drops entries at once, and `invalidateSenderCaches()` does it for every sender in the process
 * (the sync calls it when it runs in the backend's process).
 */
import { NoMessagingServiceError, UnknownVapiPhoneIdError } from "./errors";

/** Where a message for an account goes. */
export interface SmsRoute {
  accountId: string;
  accountName: string;
  vapiPhoneId: string;
  messagingServiceSid: string;
  /**
   * The account's US A2P 10DLC campaign status as the sync recorded it (`accounts.
   * us_a2p_campaign_status`): null when the account has no US local number.
   */
  usA2pCampaignStatus: string | null;
}

/** Which route to look up. */
export type RouteKey = { accountId: string } | { vapiPhoneId: string };

/** The row a route source found for a key (by the rule above), or undefined. */
export interface RouteRow {
  accountId: string;
  vapiPhoneId: string;
  twilioMessagingServiceSid: string | null;
  accountName: string | null;
  usA2pCampaignStatus: string | null;
}

/** Reads the row for a key: the one query a source makes. */
export type RouteSource = (key: RouteKey) => Promise<RouteRow | undefined>;

/** The route in a found row, or the typed error that says why there is none. */
export function routeFromRow(key: RouteKey, row: RouteRow | undefined): SmsRoute {
  if (row === undefined) {
    if ("accountId" in key) throw new NoMessagingServiceError(key.accountId);
    throw new UnknownVapiPhoneIdError(key.vapiPhoneId);
  }
  if (!row.twilioMessagingServiceSid)
    throw new NoMessagingServiceError(row.accountId, row.vapiPhoneId);
  return {
    accountId: row.accountId,
    accountName: row.accountName ?? "",
    vapiPhoneId: row.vapiPhoneId,
    messagingServiceSid: row.twilioMessagingServiceSid,
    usA2pCampaignStatus: row.usA2pCampaignStatus ?? null,
  };
}

/** What to drop from the cache: everything, or what concerns an account or a Vapi phone. */
export interface InvalidateScope {
  accountId?: string;
  vapiPhoneId?: string;
}

const cacheKey = (key: RouteKey) =>
  "accountId" in key ? `account:${key.accountId}` : `vapi:${key.vapiPhoneId}`;

export class RouteCache {
  private readonly entries = new Map<string, { route: SmsRoute; expiresAt: number }>();
  /** Lookups in flight, so concurrent sends for one account make one query. */
  private readonly pending = new Map<string, Promise<SmsRoute>>();
  private generation = 0;

  constructor(
    private readonly source: RouteSource,
    private readonly ttlMs: number,
  ) {}

  async resolve(key: RouteKey): Promise<SmsRoute> {
    const id = cacheKey(key);
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > Date.now()) return hit.route;
    const inFlight = this.pending.get(id);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const lookup = this.source(key)
      .then((row) => routeFromRow(key, row))
      .finally(() => this.pending.delete(id));
    this.pending.set(id, lookup);
    const route = await lookup;
    // An invalidation during the query means the row may have changed since: do not keep it.
    if (this.ttlMs > 0 && generation === this.generation)
      this.entries.set(id, { route, expiresAt: Date.now() + this.ttlMs });
    return route;
  }

  invalidate(scope?: InvalidateScope): void {
    this.generation++;
    if (!scope || (scope.accountId === undefined && scope.vapiPhoneId === undefined)) {
      this.entries.clear();
      return;
    }
    for (const [id, { route }] of this.entries) {
      if (
        (scope.accountId !== undefined && route.accountId === scope.accountId) ||
        (scope.vapiPhoneId !== undefined && route.vapiPhoneId === scope.vapiPhoneId)
      ) {
        this.entries.delete(id);
      }
    }
  }
}

/** The caches of every open sender in this process. */
const liveCaches = new Set<RouteCache>();

export function registerCache(cache: RouteCache): () => void {
  liveCaches.add(cache);
  return () => liveCaches.delete(cache);
}

/**
 * Drops cached routes in every sender of this process: all of them, or those of an account or a
 * Vapi phone. The sync calls it after it changed rows, so the next send reads them again.
 */
export function invalidateSenderCaches(scope?: InvalidateScope): void {
  for (const cache of liveCaches) cache.invalidate(scope);
}
