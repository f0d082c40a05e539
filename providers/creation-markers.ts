/**
 * Crash-only creates: every object a provider creates in Twilio (a number it buys, a Messaging
 * Service) carries a marker in its friendly name, `<name> [tm-xxxxxxxx]`, unique to the resource
 * (a hash of project, stack, account and resource: pulumi/account.ts). Before it creates, a
 * provider looks for an object carrying its marker and adopts it instead. So a create may be
 * repeated at any moment: after a Twilio answer that was lost (5xx, timeout, dropped connection)
 * in the same run, or after a `pulumi up` that was killed before the state recorded what it made.
 * The state is then no longer what keeps money safe, which is what lets the project skip Pulumi's
 * per-step checkpoints (docs/benchmarks.md).
 *
 * Twilio cannot search friendly names by part, and a Messaging Service list has no filter at all,
 * so the lookup lists the account's objects of one kind once per provider process (one `pulumi
 * up`), pages of 1,000, and keeps that index current with what the process creates and deletes
 * itself. A request whose outcome is unknown makes the next lookup list again (one new list serves
 * every request that failed before it started). The marker is the lookup key, not the whole name,
 * so a crashed purchase is found even when the YAML's friendly name changed before the re-run.
 */
import { backoffDelayMs, sleep } from "../src/util/backoff";
import {
  describeTwilioFailure,
  isRetryable,
  isTwilioOperationError,
  isTwilioRestError,
  twilioOperationError,
} from "./twilio-errors";

/** `tm-` and 8 hex digits. */
const MARKER_SUFFIX = / \[(tm-[0-9a-f]{8})\]$/;

/** The friendly name an object carries in Twilio: the declared name and the marker. */
export function withMarker(friendlyName: string, marker: string): string {
  return `${friendlyName} [${marker}]`;
}

/** The declared name back from Twilio's friendly name (unchanged when it carries no marker). */
export function withoutMarker(twilioFriendlyName: string): string {
  return twilioFriendlyName.replace(MARKER_SUFFIX, "");
}

export function markerOf(twilioFriendlyName: string | null | undefined): string | undefined {
  return twilioFriendlyName ? MARKER_SUFFIX.exec(twilioFriendlyName)?.[1] : undefined;
}

/** What the index needs of a Twilio object. */
export interface MarkedObject {
  sid: string;
  friendlyName: string;
}

/**
 * The objects of one kind in the Twilio account, by marker: listed on first use, kept current
 * with what this process creates and deletes, listed again after a request whose outcome is
 * unknown.
 */
export class MarkerIndex<T extends MarkedObject> {
  /** A logical clock: listings and failures are ordered by it. */
  private clock = 0;
  private listing?: { startedAt: number; byMarker: Promise<Map<string, T[]>> };
  /** A lookup needs a listing started after this tick. */
  private staleBefore = 0;
  /** Created by this process (a listing running at the time may miss them). */
  private readonly created = new Map<string, T>();
  private readonly deleted = new Set<string>();

  constructor(private readonly listAll: () => Promise<T[]>) {}

  /** The objects carrying `marker`, as Twilio holds them now (as far as this process knows). */
  async lookup(marker: string): Promise<T[]> {
    if (!this.listing || this.listing.startedAt <= this.staleBefore) {
      const startedAt = ++this.clock;
      const byMarker = this.listAll().then(indexByMarker);
      this.listing = { startedAt, byMarker };
      // A failed listing must not stay cached: the next lookup lists again.
      byMarker.catch(() => {
        if (this.listing?.byMarker === byMarker) this.listing = undefined;
      });
    }
    const listed = (await this.listing.byMarker).get(marker) ?? [];
    const found = new Map<string, T>();
    for (const object of listed) found.set(object.sid, object);
    for (const object of this.created.values())
      if (markerOf(object.friendlyName) === marker) found.set(object.sid, object);
    return [...found.values()].filter((object) => !this.deleted.has(object.sid));
  }

  /** A create request failed without telling whether it happened: the next lookup lists again. */
  outcomeUnknown(): void {
    this.staleBefore = ++this.clock;
  }

  /** Records an object this process just created (or adopted and changed). */
  remember(object: T): void {
    this.created.set(object.sid, object);
    this.deleted.delete(object.sid);
  }

  /** Records that this process deleted the object (released a number, deleted a service). */
  forget(sid: string): void {
    this.created.delete(sid);
    this.deleted.add(sid);
  }
}

function indexByMarker<T extends MarkedObject>(objects: T[]): Map<string, T[]> {
  const byMarker = new Map<string, T[]>();
  for (const object of objects) {
    const marker = markerOf(object.friendlyName);
    if (marker) byMarker.set(marker, [...(byMarker.get(marker) ?? []), object]);
  }
  return byMarker;
}

/** How many times a create is tried before its failure is reported. */
export const CREATE_ATTEMPTS = 5;

export interface CreateOnce<T extends MarkedObject> {
  /** What is being done, for error messages: "buy number 'main' of account … in area code 514". */
  action: string;
  /** What the object is, for the "more than one carries the marker" error. */
  what: string;
  marker: string;
  index: MarkerIndex<T>;
  /** Brings an object found by its marker to the declared settings (no call when they match). */
  adopt(existing: T): Promise<T>;
  create(): Promise<T>;
  /** How to name a duplicate in the error (e.g. its phone number); default its SID. */
  label?(object: T): string;
}

/**
 * Creates the object at most once: before every attempt it looks for an object carrying the
 * marker (made by an earlier attempt, or an earlier run that died before recording it) and adopts
 * it. A 429 is retried as is (Twilio did nothing); a 5xx, a timeout or a dropped connection leaves
 * the outcome unknown, so the next attempt's lookup lists Twilio again first. Two objects carrying
 * the marker is an error: the provider never guesses which one is its own.
 */
export async function createOnce<T extends MarkedObject>(spec: CreateOnce<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    try {
      const found = await spec.index.lookup(spec.marker);
      if (found.length > 1) {
        const labels = found.map((object) => spec.label?.(object) ?? object.sid).join(", ");
        throw twilioOperationError(
          `could not ${spec.action}: ${found.length} ${spec.what}s carry its marker ${spec.marker} (${labels}); refusing to guess. Delete or rename the extra one in Twilio, then run again`,
        );
      }
      const object = found[0] ? await spec.adopt(found[0]) : await spec.create();
      spec.index.remember(object);
      return object;
    } catch (error) {
      if (isTwilioOperationError(error)) throw error;
      if (!isRetryable(error)) throw describeTwilioFailure(spec.action, error);
      if (!(isTwilioRestError(error) && error.status === 429)) spec.index.outcomeUnknown();
      lastError = error;
      await sleep(backoffDelayMs(attempt));
    }
  }
  throw describeTwilioFailure(`${spec.action} (after ${CREATE_ATTEMPTS} attempts)`, lastError);
}

/** One index per Twilio client (a provider process has one client per configuration) and kind. */
const indexes = new WeakMap<object, Map<string, MarkerIndex<MarkedObject>>>();

export function markerIndexOf<T extends MarkedObject>(
  client: object,
  kind: string,
  listAll: () => Promise<T[]>,
): MarkerIndex<T> {
  let byKind = indexes.get(client);
  if (!byKind) {
    byKind = new Map();
    indexes.set(client, byKind);
  }
  let index = byKind.get(kind);
  if (!index) {
    index = new MarkerIndex<MarkedObject>(listAll as () => Promise<MarkedObject[]>);
    byKind.set(kind, index);
  }
  return index as unknown as MarkerIndex<T>;
}
