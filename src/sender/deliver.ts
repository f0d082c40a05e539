/**
 * Creating a message so that it is never sent twice (design.md invariant 7).
 *
 * The shared HTTP client retries a message create only on 429 (Twilio did nothing). When the
 * outcome is unknown (a 5xx: a gateway may answer 502 after Twilio created the message; a
 * timeout; a dropped connection) this module looks in Twilio's message list for a message with
 * the same `To`, Messaging Service and body, created since the first attempt, and returns it when
 * found; only when none is there does it send again. If the list cannot be read either, it gives
 * up with SendOutcomeUnknownError rather than risk a second SMS.
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

export interface DeliveryPolicy {
  /** Sends tried when outcomes stay unknown (default 3); 429s do not count (the client waits). */
  attempts: number;
  /**
   * How far before the first attempt to look for its message, for clocks that disagree (Twilio's
   * `date_created` has whole seconds; default 2000 ms).
   */
  clockSkewMs: number;
  /** Pages of the recipient's messages read per lookup, newest first (default 5 × 50). */
  lookupPages: number;
  /** Wait before looking for the message, by attempt (default: the shared backoff, 250 ms…). */
  delayMs: (attempt: number) => number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  attempts: 3,
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
 * Sends `message` through its Messaging Service at most once. `claimed` holds SIDs this process
 * already returned, so two identical concurrent sends do not both adopt the same message.
 */
export async function createMessageOnce(
  client: TwilioClient,
  message: ServiceMessage,
  policy: DeliveryPolicy,
  claimed: ClaimedSids,
): Promise<MessageInstance> {
  const firstAttempt = Date.now();
  const since = new Date(Math.floor(firstAttempt / 1000) * 1000 - policy.clockSkewMs);
  let failure: TwilioFailure | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return claimed.add(await client.messages.create(message));
    } catch (error) {
      failure = failureOf(error);
      if (!isOutcomeUnknown(failure)) throw new TwilioSendError(failure);
    }
    await sleep(policy.delayMs(attempt));
    let found: MessageInstance | undefined;
    try {
      found = await findCreated(client, message, since, policy.lookupPages, claimed);
    } catch {
      throw new SendOutcomeUnknownError(failure, message.to, new Date(firstAttempt));
    }
    if (found) return claimed.add(found);
  }
  throw new TwilioSendError(
    failure ?? { detail: "no attempt made" },
    `Twilio did not send the message after ${policy.attempts} attempts; none is in Twilio's message list`,
  );
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
