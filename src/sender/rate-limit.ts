/**
 * Messages per account per window (the seed's "future enhancement" 3), through
 * rate-limiter-flexible: in this process's memory by default, or in Redis (ioredis) so that every
 * backend instance shares one count per account.
 *
 * When Redis cannot be reached, each process falls back to its own in-memory count (the library's
 * insurance limiter) instead of blocking every message: a staff alert must not wait on a cache.
 */
import { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { sleep } from "../util/backoff";
import { RateLimitedError } from "./errors";

export interface RateLimitOptions {
  /** Messages each account may send per window. */
  messages: number;
  /** Window length in seconds (fixed windows, starting at an account's first message). */
  windowSeconds: number;
  /** Over the limit: throw RateLimitedError (default), or wait for the window to allow it. */
  whenLimited?: "error" | "wait";
  /** With `wait`: longest total wait before throwing RateLimitedError anyway (default 60 000). */
  maxWaitMs?: number;
  /** Prefix of the counters' keys (default `twilio-messaging-iac:sms`); share it to share limits. */
  keyPrefix?: string;
}

export interface AccountRateLimiter {
  /** Counts one message for the account, waiting or throwing RateLimitedError over the limit. */
  take(accountId: string): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_KEY_PREFIX = "twilio-messaging-iac:sms";
export const REDIS_CONNECTION_NAME = "twilio-messaging-iac-sender";

export function createAccountRateLimiter(
  options: RateLimitOptions,
  redisUrl?: string,
): AccountRateLimiter {
  const base = {
    points: options.messages,
    duration: options.windowSeconds,
    keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
  };
  let redis: Redis | undefined;
  let limiter: RateLimiterAbstract;
  if (redisUrl) {
    // Commands wait for the connection (the first ones are sent as soon as it is up), but fail
    // after one reconnection attempt or 2 s of connecting: then the insurance limiter counts.
    redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      connectionName: REDIS_CONNECTION_NAME, // how the connection shows in CLIENT LIST
    });
    redis.on("error", () => {
      // Reported through rejected commands (and the insurance limiter); an unhandled 'error'
      // event would crash the backend.
    });
    limiter = new RateLimiterRedis({
      ...base,
      storeClient: redis,
      insuranceLimiter: new RateLimiterMemory(base),
    });
  } else {
    limiter = new RateLimiterMemory(base);
  }
  const maxWaitMs = options.maxWaitMs ?? 60_000;

  return {
    async take(accountId) {
      const deadline = Date.now() + maxWaitMs;
      for (;;) {
        try {
          await limiter.consume(accountId);
          return;
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const waitMs = rejection.msBeforeNext;
          if (options.whenLimited !== "wait" || Date.now() + waitMs > deadline) {
            throw new RateLimitedError(accountId, options.messages, options.windowSeconds, waitMs);
          }
          await sleep(waitMs);
        }
      }
    },
    async close() {
      if (redis && redis.status !== "end") await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
