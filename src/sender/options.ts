/**
 * The options of `createSmsSender`: one zod schema, from which the TypeScript types come and which
 * checks a JavaScript caller's options with errors that name the option.
 */
import { z } from "zod";
import type { SenderPrismaClient } from "./lookup";

const isPrismaLike = (value: unknown): value is SenderPrismaClient =>
  typeof (value as SenderPrismaClient | undefined)?.vapiPhoneNumber?.findFirst === "function";

export const smsSenderOptionsSchema = z
  .object({
    /** The backend's Prisma client (its schema has the seed's `VapiPhoneNumber` and `Account`). */
    prisma: z
      .custom<SenderPrismaClient>(isPrismaLike, {
        message: "must be a Prisma client with the VapiPhoneNumber model",
      })
      .optional(),
    /** Or a PostgreSQL URL: the sender opens it through the project's database factory. */
    databaseUrl: z.string().min(1).optional(),
    twilio: z.object({
      /** `AC…`, the account the messages are sent from. */
      accountSid: z.string(),
      authToken: z.string().optional(),
      /** `SK…` API key, with `apiSecret`, instead of the auth token. */
      apiKey: z.string().optional(),
      apiSecret: z.string().optional(),
      /** Send requests here instead of Twilio (the emulator); default `TWILIO_BASE_URL`. */
      baseUrl: z.string().optional(),
      /** Per-request timeout in ms (SDK default 30 000); a timeout is an unknown outcome. */
      timeoutMs: z.number().int().positive().optional(),
    }),
    /** Messages per account per window; no limit when absent. */
    rateLimit: z
      .object({
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
    retry: z
      .object({
        /** Sends tried while the outcome stays unknown (5xx, timeout, dropped; default 3). */
        attempts: z.number().int().min(1).optional(),
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
  .refine((options) => options.redisUrl === undefined || options.rateLimit !== undefined, {
    message: "redisUrl shares a rate limit: give rateLimit too",
    path: ["redisUrl"],
  });

export type SmsSenderOptions = z.input<typeof smsSenderOptionsSchema>;

/** Options checked, or an Error that lists every problem as `path: message`. */
export function parseSenderOptions(options: unknown): z.output<typeof smsSenderOptionsSchema> {
  const result = smsSenderOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "options"}: ${issue.message}`,
  );
  throw new Error(`Invalid SMS sender options: ${problems.join("; ")}`);
}
