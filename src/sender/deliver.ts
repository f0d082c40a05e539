/**
 * Creating a message so that a lost answer does not silently become a second SMS (design.md
 * invariant 7).
 *
 * The shared HTTP client retries a message create only on 429 (Twilio did nothing). When the
 * outcome is unknown (a 5xx: a gateway may answer 502 after Twilio created the message; a
 * timeout; a dropped connection) this module looks in Twilio's message list for a message with
 * the same `To`, Messaging Service and body, created since the first attempt, again and again
 * for the lookup window, and returns it when found. Twilio's list may lag a create (by minutes,
 * undocumented), so "not found" is not "not sent": then the caller's choice decides
 * (`whenOutcomeUnknown`): `"error"` throws SendOutcomeUnknownError and sends nothing more,
 * `"resend"` sends again (up to `attempts` creates), accepting a possible duplicate. If the list
 * cannot be read, it gives up with SendOutcomeUnknownError in both modes.
 */
import twilio from "twilio";
import type {
  MessageInstance,
  MessageListInstanceCreateOptions,
} from "twilio/lib/rest/api/v2010/account/message";
import { smartEncode } from "../sms/segments";
import type { TwilioClient } from "../twilio/client";
import { backoffDelayMs, sleep } from "../util/backoff";
import { SendOutcomeUnknownError, type TwilioFailure, TwilioSendError } from "./errors";
import type { WhenOutcomeUnknown } from "./options";

export interface DeliveryPolicy {
  /** When the message is not in the list after an unknown outcome: throw, or send again. */
  whenOutcomeUnknown: WhenOutcomeUnknown;
  /** With "resend": creates sent in all while outcomes stay unknown (default 3); 429s do not count. */
  attempts: number;
  /** How long to keep looking in the list after an unknown outcome (default 5000 ms; 0: one look). */
  lookupWindowMs: number;
  /**
   * How far before the first attempt to look for its message, for clocks that disagree (Twilio's
   * `date_created` has whole seconds; default 2000 ms).
   */
  clockSkewMs: number;
  /** Pages of the recipient's messages read per look, newest first (default 5 × 50). */
  lookupPages: number;
  /** Wait before each look, by look (default: the shared backoff, 250 ms, 500 ms, 1 s, …). */
  delayMs: (look: number) => number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  whenOutcomeUnknown: "error",
  attempts: 3,
  lookupWindowMs: 5_000,
  clockSkewMs: 2_000,
  lookupPages: 5,
  delayMs: backoffDelayMs,
};

export type ServiceMessage = MessageListInstanceCreateOptions & {
  messagingServiceSid: string;
  to: string;
  body: string;
};

/** Twilio's answer, or the network failure, as data that carries no credential. */
export function failureOf(error: unknown): TwilioFailure {
  if (error instanceof twilio.RestException) {
    return {
      status: error.status,
      detail: error.message,
      ...(error.code !== undefined ? { twilioCode: error.code } : {}),
      ...(error.moreInfo ? { moreInfo: error.moreInfo } : {}),
    };
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const detail = [code, message].filter((part) => typeof part === "string" && part).join(": ");
  return { detail: detail || "request failed" };
}

/** A failure after which Twilio may have created the message. */
function isOutcomeUnknown(failure: TwilioFailure): boolean {
  return failure.status === undefined || failure.status >= 500;
}

/**
 * Sends `message` through its Messaging Service; after an unknown outcome, finds it or follows
 * `policy.whenOutcomeUnknown`. `claimed` holds SIDs this process already returned, so two
 * identical sends do not both adopt the same message.
 */
export async function createMessageOnce(
  client: TwilioClient,
  message: ServiceMessage,
  policy: DeliveryPolicy,
  claimed: ClaimedSids,
): Promise<MessageInstance> {
  const firstAttempt = new Date();
  const since = new Date(Math.floor(firstAttempt.getTime() / 1000) * 1000 - policy.clockSkewMs);
  for (let attempt = 1; ; attempt++) {
    let failure: TwilioFailure;
    try {
      return claimed.add(await client.messages.create(message));
    } catch (error) {
      failure = failureOf(error);
      if (!isOutcomeUnknown(failure)) throw new TwilioSendError(failure);
    }
    let found: MessageInstance | undefined;
    try {
      found = await lookForCreated(client, message, since, policy, claimed);
    } catch {
      throw new SendOutcomeUnknownError(
        failure,
        message.to,
        firstAttempt,
        "list-unreadable",
        attempt,
      );
    }
    if (found) return claimed.add(found);
    // Anything but an explicit "resend" is the safe side: no second create.
    if (policy.whenOutcomeUnknown !== "resend" || attempt >= policy.attempts)
      throw new SendOutcomeUnknownError(failure, message.to, firstAttempt, "not-in-list", attempt);
  }
}

/** Looks for the message until found or the window has passed (at least once); throws if unreadable. */
async function lookForCreated(
  client: TwilioClient,
  message: ServiceMessage,
  since: Date,
  policy: DeliveryPolicy,
  claimed: ClaimedSids,
): Promise<MessageInstance | undefined> {
  const windowEnds = Date.now() + policy.lookupWindowMs;
  for (let look = 1; ; look++) {
    await sleep(Math.max(0, Math.min(policy.delayMs(look), windowEnds - Date.now())));
    const found = await findCreated(client, message, since, policy.lookupPages, claimed);
    if (found || Date.now() >= windowEnds) return found;
  }
}

/** The newest message to `to` through the same service with the same body, created since `since`. */
async function findCreated(
  client: TwilioClient,
  message: ServiceMessage,
  since: Date,
  maxPages: number,
  claimed: ClaimedSids,
): Promise<MessageInstance | undefined> {
  // Twilio may store the Smart-Encoded text (curly quotes made straight).
  const bodies = new Set([message.body, smartEncode(message.body)]);
  let page = await client.messages.page({ to: message.to, pageSize: 50 });
  for (let read = 1; ; read++) {
    for (const candidate of page.instances) {
      if (candidate.dateCreated < since) return undefined; // newest first: the rest are older
      if (
        candidate.messagingServiceSid === message.messagingServiceSid &&
        bodies.has(candidate.body) &&
        !claimed.has(candidate.sid)
      ) {
        return candidate;
      }
    }
    if (read >= maxPages) return undefined;
    const next = await page.nextPage();
    if (!next || next.instances.length === 0) return undefined;
    page = next as typeof page;
  }
}

/** SIDs of messages this sender already returned (the most recent `capacity`). */
export class ClaimedSids {
  private readonly sids = new Set<string>();

  constructor(private readonly capacity = 1_000) {}

  has(sid: string): boolean {
    return this.sids.has(sid);
  }

  add(message: MessageInstance): MessageInstance {
    this.sids.add(message.sid);
    if (this.sids.size > this.capacity) {
      const oldest = this.sids.values().next().value;
      if (oldest !== undefined) this.sids.delete(oldest);
    }
    return message;
  }
}
