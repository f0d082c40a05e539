/**
 * `createSmsSender`: what the backend calls to text a patient or alert staff through an account's
 * Messaging Service (never a `From` number).
 *
 * Per message: check recipient and body (no call yet) → the account's Messaging Service SID
 * (cached database lookup) → the account's rate limit → `messages.create` at most once
 * (deliver.ts) → the result with segments and estimated cost. One Twilio client per sender,
 * reused for every message; `close()` releases what the sender opened (database, Redis).
 */
import { estimateSms, type SmsEstimate } from "../sms/cost";
import { createTwilioClient, type TwilioClient } from "../twilio/client";
import { DEFAULT_RETRY_POLICY } from "../twilio/http-client";
import {
  ClaimedSids,
  createMessageOnce,
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
} from "./deliver";
import { type LazyDatabase, openOnFirstUse } from "./lazy-database";
import {
  type InvalidateScope,
  RouteCache,
  type RouteKey,
  registerCache,
  type SmsRoute,
} from "./lookup";
import { parseSenderOptions, type SmsSenderOptions } from "./options";
import { type AccountRateLimiter, createAccountRateLimiter } from "./rate-limit";
import { formatStaffAlert } from "./staff-alert";
import { checkBody, checkRecipient } from "./validate";

export interface SendSmsInput {
  /** The backend's `Account.id`. */
  accountId: string;
  /** Recipient in E.164 form, e.g. `+15145550123`. */
  to: string;
  body: string;
  /** Twilio posts delivery status changes here (overrides the service's callback). */
  statusCallback?: string;
}

export interface SendSmsByVapiPhoneIdInput {
  /** The Vapi phone the call came in on (`VapiPhoneNumber.vapiPhoneId`). */
  vapiPhoneId: string;
  to: string;
  body: string;
  statusCallback?: string;
}

export interface StaffAlertInput {
  vapiPhoneId: string;
  /** The staff member's number (E.164). */
  to: string;
  reason: string;
  summary: string;
  patientName?: string | null;
}

export interface SmsResult extends SmsEstimate {
  /** Twilio's message SID, `SM…`. */
  sid: string;
  /** Twilio's status: `accepted` when the service picks the sender, then `queued`, `sent`, … */
  status: string;
  messagingServiceSid: string;
}

export interface SmsSender {
  sendSms(input: SendSmsInput): Promise<SmsResult>;
  sendSmsByVapiPhoneId(input: SendSmsByVapiPhoneIdInput): Promise<SmsResult>;
  /** The seed's call-transfer alert, same text, through the Vapi phone's account service. */
  sendStaffAlert(input: StaffAlertInput): Promise<SmsResult>;
  /** Forget cached Messaging Service SIDs: all, or an account's / a Vapi phone's. */
  invalidate(scope?: InvalidateScope): void;
  /** Release the database and Redis connections this sender opened (not a Prisma client given). */
  close(): Promise<void>;
}

export type { SmsSenderOptions };

export function createSmsSender(options: SmsSenderOptions): SmsSender {
  const settings = parseSenderOptions(options);
  const client: TwilioClient = createTwilioClient({
    accountSid: settings.twilio.accountSid,
    ...(settings.twilio.authToken !== undefined ? { authToken: settings.twilio.authToken } : {}),
    ...(settings.twilio.apiKey !== undefined ? { apiKey: settings.twilio.apiKey } : {}),
    ...(settings.twilio.apiSecret !== undefined ? { apiSecret: settings.twilio.apiSecret } : {}),
    ...(settings.twilio.baseUrl !== undefined ? { baseUrl: settings.twilio.baseUrl } : {}),
    ...(settings.twilio.timeoutMs !== undefined ? { timeout: settings.twilio.timeoutMs } : {}),
    retry: {
      maxRetries: settings.retry?.rateLimitRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
      maxRetryAfterMs: settings.retry?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    },
  });
  const delivery: DeliveryPolicy = {
    ...DEFAULT_DELIVERY_POLICY,
    attempts: settings.retry?.attempts ?? DEFAULT_DELIVERY_POLICY.attempts,
  };
  const estimate = {
    ...(settings.pricePerSegmentUsd !== undefined
      ? { pricePerSegmentUsd: settings.pricePerSegmentUsd }
      : {}),
    ...(settings.smartEncoding !== undefined ? { smartEncoding: settings.smartEncoding } : {}),
  };

  // The database: the backend's client, or PostgreSQL opened on first use from databaseUrl (the
  // lean opener: the package never loads the embedded database).
  const database: LazyDatabase = settings.prisma
    ? { prisma: settings.prisma, close: async () => {} }
    : openOnFirstUse(() =>
        import("../db/connection").then((db) => db.openPostgres(settings.databaseUrl as string)),
      );
  const routes = new RouteCache(database.prisma, settings.cacheTtlMs ?? 60_000);
  const unregister = registerCache(routes);
  const limiter: AccountRateLimiter | undefined = settings.rateLimit
    ? createAccountRateLimiter(settings.rateLimit, settings.redisUrl)
    : undefined;
  const claimed = new ClaimedSids();
  let closed = false;

  async function send(
    route: SmsRoute,
    to: string,
    body: string,
    statusCallback: string | undefined,
  ): Promise<SmsResult> {
    await limiter?.take(route.accountId);
    const message = await createMessageOnce(
      client,
      {
        messagingServiceSid: route.messagingServiceSid,
        to,
        body,
        ...(statusCallback ? { statusCallback } : {}),
      },
      delivery,
      claimed,
    );
    return {
      sid: message.sid,
      status: message.status,
      messagingServiceSid: route.messagingServiceSid,
      ...estimateSms(body, estimate),
    };
  }

  function resolve(key: RouteKey): Promise<SmsRoute> {
    if (closed) throw new Error("SMS sender is closed");
    return routes.resolve(key);
  }

  return {
    async sendSms({ accountId, to, body, statusCallback }) {
      checkRecipient(to);
      checkBody(body);
      return send(await resolve({ accountId }), to, body, statusCallback);
    },

    async sendSmsByVapiPhoneId({ vapiPhoneId, to, body, statusCallback }) {
      checkRecipient(to);
      checkBody(body);
      return send(await resolve({ vapiPhoneId }), to, body, statusCallback);
    },

    async sendStaffAlert({ vapiPhoneId, to, reason, summary, patientName }) {
      checkRecipient(to);
      const route = await resolve({ vapiPhoneId });
      const body = formatStaffAlert({
        accountName: route.accountName,
        reason,
        summary,
        patientName,
      });
      checkBody(body); // fails only for an account name or reason past 1600 characters
      return send(route, to, body, undefined);
    },

    invalidate(scope) {
      routes.invalidate(scope);
    },

    async close() {
      if (closed) return;
      closed = true;
      unregister();
      await limiter?.close();
      await database.close();
    },
  };
}
