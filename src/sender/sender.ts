/**
 * `createSmsSender`: what the backend calls to text a patient or alert staff through an account's
 * Messaging Service (never a `From` number).
 *
 * Per message: check recipient and body (no call yet) → the account's Messaging Service SID
 * (cached database lookup) → the account's rate limit → `messages.create`, never repeated blindly
 * (deliver.ts) → the result with segments and estimated cost. One Twilio client per sender,
 * reused for every message; `close()` releases what the sender opened (database pool, Redis).
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
import { InvalidSenderOptionsError } from "./errors";
import {
  type InvalidateScope,
  RouteCache,
  type RouteKey,
  type RouteSource,
  registerCache,
  type SmsRoute,
} from "./lookup";
import { parseSenderOptions, type SmsSenderOptions, type WhenOutcomeUnknown } from "./options";
import { openPostgresRoutes } from "./postgres-routes";
import { prismaRoutes } from "./prisma-routes";
import { type AccountRateLimiter, createAccountRateLimiter } from "./rate-limit";
import { formatStaffAlert } from "./staff-alert";
import { checkBody, checkRecipient, checkUsA2p, checkWhenOutcomeUnknown } from "./validate";

export interface SendSmsInput {
  /** The backend's `Account.id`. */
  accountId: string;
  /** Recipient in E.164 form, e.g. `+15145550123`. */
  to: string;
  body: string;
  /** Twilio posts delivery status changes here (overrides the service's callback). */
  statusCallback?: string;
  /** For this message: not found after an unknown outcome → "error" or "resend" (sender's default). */
  whenOutcomeUnknown?: WhenOutcomeUnknown;
}

export interface SendSmsByVapiPhoneIdInput {
  /** The Vapi phone the call came in on (`VapiPhoneNumber.vapiPhoneId`). */
  vapiPhoneId: string;
  to: string;
  body: string;
  statusCallback?: string;
  whenOutcomeUnknown?: WhenOutcomeUnknown;
}

export interface StaffAlertInput {
  vapiPhoneId: string;
  /** The staff member's number (E.164). */
  to: string;
  reason: string;
  summary: string;
  patientName?: string | null;
  whenOutcomeUnknown?: WhenOutcomeUnknown;
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

export type { SmsSenderOptions, WhenOutcomeUnknown };

type Settings = ReturnType<typeof parseSenderOptions>;

/** One Twilio client for the sender; the base URL from the options only (never the environment). */
function twilioClientOf(settings: Settings): TwilioClient {
  const { twilio } = settings;
  try {
    return createTwilioClient({
      accountSid: twilio.accountSid,
      ...(twilio.authToken !== undefined ? { authToken: twilio.authToken } : {}),
      ...(twilio.apiKey !== undefined ? { apiKey: twilio.apiKey } : {}),
      ...(twilio.apiSecret !== undefined ? { apiSecret: twilio.apiSecret } : {}),
      ...(twilio.baseUrl !== undefined ? { baseUrl: twilio.baseUrl } : {}),
      ...(twilio.timeoutMs !== undefined ? { timeout: twilio.timeoutMs } : {}),
      env: {}, // not TWILIO_BASE_URL from the backend's environment: base-url.ts says why
      retry: {
        maxRetries: settings.retry?.rateLimitRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
        maxRetryAfterMs: settings.retry?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
      },
    });
  } catch (error) {
    // The client's own checks of the credentials (never echoing a secret), as an options error.
    throw new InvalidSenderOptionsError([`twilio: ${(error as Error).message}`]);
  }
}

/** Where routes are read: the backend's Prisma client, or PostgreSQL through `pg`. */
function routeSourceOf(settings: Settings): { source: RouteSource; close(): Promise<void> } {
  if (settings.prisma) return { source: prismaRoutes(settings.prisma), close: async () => {} };
  return openPostgresRoutes(settings.databaseUrl as string);
}

export function createSmsSender(options: SmsSenderOptions): SmsSender {
  const settings = parseSenderOptions(options);
  const client = twilioClientOf(settings);
  const delivery: DeliveryPolicy = {
    ...DEFAULT_DELIVERY_POLICY,
    whenOutcomeUnknown: settings.whenOutcomeUnknown ?? DEFAULT_DELIVERY_POLICY.whenOutcomeUnknown,
    attempts: settings.retry?.attempts ?? DEFAULT_DELIVERY_POLICY.attempts,
    lookupWindowMs: settings.retry?.lookupWindowMs ?? DEFAULT_DELIVERY_POLICY.lookupWindowMs,
  };
  const estimate = {
    ...(settings.pricePerSegmentUsd !== undefined
      ? { pricePerSegmentUsd: settings.pricePerSegmentUsd }
      : {}),
    ...(settings.smartEncoding !== undefined ? { smartEncoding: settings.smartEncoding } : {}),
  };

  const database = routeSourceOf(settings);
  const routes = new RouteCache(database.source, settings.cacheTtlMs ?? 60_000);
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
    {
      statusCallback,
      whenOutcomeUnknown,
    }: Pick<SendSmsInput, "statusCallback" | "whenOutcomeUnknown">,
  ): Promise<SmsResult> {
    if (settings.usA2pGuard !== false) checkUsA2p(route, to);
    await limiter?.take(route.accountId);
    const message = await createMessageOnce(
      client,
      {
        messagingServiceSid: route.messagingServiceSid,
        to,
        body,
        ...(statusCallback ? { statusCallback } : {}),
      },
      whenOutcomeUnknown ? { ...delivery, whenOutcomeUnknown } : delivery,
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
    async sendSms({ accountId, to, body, ...choices }) {
      checkRecipient(to);
      checkBody(body);
      checkWhenOutcomeUnknown(choices.whenOutcomeUnknown);
      return send(await resolve({ accountId }), to, body, choices);
    },

    async sendSmsByVapiPhoneId({ vapiPhoneId, to, body, ...choices }) {
      checkRecipient(to);
      checkBody(body);
      checkWhenOutcomeUnknown(choices.whenOutcomeUnknown);
      return send(await resolve({ vapiPhoneId }), to, body, choices);
    },

    async sendStaffAlert({ vapiPhoneId, to, reason, summary, patientName, whenOutcomeUnknown }) {
      checkRecipient(to);
      checkWhenOutcomeUnknown(whenOutcomeUnknown);
      const route = await resolve({ vapiPhoneId });
      const body = formatStaffAlert({
        accountName: route.accountName,
        reason,
        summary,
        patientName,
      });
      checkBody(body); // fails only for an account name or reason past 1600 characters
      return send(route, to, body, { whenOutcomeUnknown });
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
