/**
 * The options of `createSmsSender`: one zod schema, from which the TypeScript types come and which
 * checks a JavaScript caller's options with errors that name the option. Unknown keys are refused
 * (a misspelt option must not be silently ignored).
 */
import { z } from "zod";
import { checkBaseUrl } from "./base-url";
import { InvalidSenderOptionsError } from "./errors";
import { isPrismaLike, type SenderPrismaClient } from "./prisma-routes";

/**
 * After an unknown outcome the sender always looks in Twilio's message list first; when the
 * message is not found there within `retry.lookupWindowMs`: `"error"` throws
 * SendOutcomeUnknownError and never sends it again (no duplicate, but maybe no message),
 * `"resend"` sends it again (a message goes out, but the recipient may get it twice when the
 * list lagged behind the first create).
 */
export const whenOutcomeUnknownSchema = z.enum(["error", "resend"]);
export type WhenOutcomeUnknown = z.infer<typeof whenOutcomeUnknownSchema>;

export const smsSenderOptionsSchema = z
  .strictObject({
    /** The backend's Prisma client (its schema has the seed's `VapiPhoneNumber` and `Account`). */
    prisma: z
      .custom<SenderPrismaClient>(isPrismaLike, {
        message: "must be a Prisma client with the VapiPhoneNumber model",
      })
      .optional(),
    /** Or a PostgreSQL URL, read with `pg` (an optional peer dependency to install then). */
    databaseUrl: z.string().min(1).optional(),
    twilio: z.strictObject({
      /** `AC…`, the account the messages are sent from. */
      accountSid: z.string(),
      authToken: z.string().optional(),
      /** `SK…` API key, with `apiSecret`, instead of the auth token. */
      apiKey: z.string().optional(),
      apiSecret: z.string().optional(),
      /**
       * Send requests here instead of Twilio (the emulator). Only from here, never from the
       * environment; plain `http://` only to loopback.
       */
      baseUrl: z.string().optional(),
      /** Per-request timeout in ms (SDK default 30 000); a timeout is an unknown outcome. */
      timeoutMs: z.number().int().positive().optional(),
    }),
    /** Messages per account per window; no limit when absent. */
    rateLimit: z
      .strictObject({
        messages: z.number().int().positive(),
        windowSeconds: z.number().int().positive(),
        whenLimited: z.enum(["error", "wait"]).optional(),
        maxWaitMs: z.number().int().nonnegative().optional(),
        keyPrefix: z.string().min(1).optional(),
      })
      .optional(),
    /** Share the rate limit across processes through this Redis (`redis://127.0.0.1:6379`). */
    redisUrl: z.string().min(1).optional(),
    /** How long a looked-up Messaging Service SID is reused, in ms (default 60 000; 0: never). */
    cacheTtlMs: z.number().int().nonnegative().optional(),
    /** Price of one SMS segment for `estimatedCostUsd` (default the seed's $0.0075). */
    pricePerSegmentUsd: z.number().nonnegative().optional(),
    /** Estimate segments after Smart Encoding, as a Messaging Service does by default (true). */
    smartEncoding: z.boolean().optional(),
    /**
     * Refuse to text a US number through an account whose US A2P 10DLC campaign is not VERIFIED
     * (UsA2pNotVerifiedError, before any Twilio call): US carriers would block it (default true).
     */
    usA2pGuard: z.boolean().optional(),
    /** Default for every send: see whenOutcomeUnknownSchema (default "error"). */
    whenOutcomeUnknown: whenOutcomeUnknownSchema.optional(),
    retry: z
      .strictObject({
        /** With `whenOutcomeUnknown: "resend"`: creates sent in all while outcomes stay unknown (default 3). */
        attempts: z.number().int().min(1).optional(),
        /** How long to keep looking in Twilio's message list after an unknown outcome (default 5000 ms). */
        lookupWindowMs: z.number().int().nonnegative().optional(),
        /** Retries of Twilio's 429, honouring Retry-After (default 4). */
        rateLimitRetries: z.number().int().nonnegative().optional(),
        /** Longest Retry-After honoured, in ms (default 30 000). */
        maxRetryAfterMs: z.number().int().nonnegative().optional(),
      })
      .optional(),
  })
  .refine((options) => options.prisma !== undefined || options.databaseUrl !== undefined, {
    message: "give prisma (the backend's Prisma client) or databaseUrl",
    path: ["prisma"],
  })
  .refine((options) => options.prisma === undefined || options.databaseUrl === undefined, {
    message: "give prisma or databaseUrl, not both",
    path: ["databaseUrl"],
  })
  .refine((options) => options.redisUrl === undefined || options.rateLimit !== undefined, {
    message: "redisUrl shares a rate limit: give rateLimit too",
    path: ["redisUrl"],
  });

export type SmsSenderOptions = z.input<typeof smsSenderOptionsSchema>;

/**
 * Options checked, or InvalidSenderOptionsError listing every problem as `path: message`
 * (InsecureBaseUrlError for plain http off loopback).
 */
export function parseSenderOptions(options: unknown): z.output<typeof smsSenderOptionsSchema> {
  const result = smsSenderOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new InvalidSenderOptionsError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`),
    );
  }
  if (result.data.twilio.baseUrl !== undefined) checkBaseUrl(result.data.twilio.baseUrl);
  return result.data;
}
