/**
 * Test harness for the emulator suites.
 *
 * `useEmulator()` starts an emulator on a free port for the enclosing `describe` (or file), hands
 * out SDK clients built by the project's own helper, and — after the tests — validates EVERY
 * exchange the emulator had against Twilio's official OpenAPI description: a response that breaks
 * the spec, or an accepted request that breaks it, fails the suite.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../../src/emulator/auth";
import { twilioSpecValidator } from "../../src/emulator/openapi";
import type { RequestLogEntry } from "../../src/emulator/request-log";
import {
  type EmulatorOptions,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/server";
import {
  createTwilioClient,
  type TwilioClient,
  type TwilioClientOptions,
} from "../../src/twilio/client";

export { DEFAULT_ACCOUNT_SID as ACCOUNT_SID, DEFAULT_AUTH_TOKEN as AUTH_TOKEN };

export interface TestEmulator {
  readonly emulator: RunningEmulator;
  readonly baseUrl: string;
  /** Every exchange so far (kept even when a test clears the emulator's own log). */
  readonly exchanges: RequestLogEntry[];
  /** An SDK client for the emulator's account, built by `createTwilioClient`. */
  client(overrides?: Partial<TwilioClientOptions>): TwilioClient;
  /** A raw HTTP call, for what the SDK cannot send (missing parameters, bad auth, headers). */
  raw(method: string, path: string, options?: RawOptions): Promise<RawResponse>;
  /** `/2010-04-01/Accounts/<account>` */
  readonly accountPath: string;
}

export interface RawOptions {
  form?: Record<string, string | string[]>;
  /** Basic credentials; defaults to the account's; null sends none. */
  auth?: { username: string; password: string } | null;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: RawOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const auth =
    options.auth === undefined
      ? { username: DEFAULT_ACCOUNT_SID, password: DEFAULT_AUTH_TOKEN }
      : options.auth;
  if (auth)
    headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  let body = options.body;
  if (options.form) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
    }
    body = form.toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? null : JSON.parse(text),
  };
}

/** Fails unless every exchange conforms to Twilio's OpenAPI description (see openapi.ts). */
export function expectConformingExchanges(exchanges: readonly RequestLogEntry[]): void {
  const validator = twilioSpecValidator();
  const violations = exchanges.flatMap((entry) => validator.validateExchange(entry));
  expect(violations, "every exchange conforms to Twilio's OpenAPI description").toEqual([]);
}

export function useEmulator(options: EmulatorOptions = {}): TestEmulator {
  const exchanges: RequestLogEntry[] = [];
  let running: RunningEmulator | undefined;

  beforeAll(async () => {
    running = await startEmulator({
      ...options,
      onExchange: (entry) => {
        exchanges.push(entry);
        options.onExchange?.(entry);
      },
    });
  });

  afterAll(async () => {
    await running?.close();
    expectConformingExchanges(exchanges);
  });

  const emulator = () => {
    if (!running) throw new Error("emulator not started (use inside a test)");
    return running;
  };

  return {
    get emulator() {
      return emulator();
    },
    get baseUrl() {
      return emulator().baseUrl;
    },
    exchanges,
    get accountPath() {
      return `/2010-04-01/Accounts/${emulator().accountSid}`;
    },
    client: (overrides = {}) =>
      createTwilioClient({
        accountSid: emulator().accountSid,
        authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
        baseUrl: emulator().baseUrl,
        ...overrides,
      }),
    raw: (method, path, rawOptions) => rawRequest(emulator().baseUrl, method, path, rawOptions),
  };
}

/** The Twilio error the SDK rejected with (status, code, message), for `expect(...).toMatchObject`. */
export async function twilioErrorOf(
  promise: Promise<unknown>,
): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; code: number; message: string };
    return { status: e.status, code: e.code, message: e.message };
  }
  throw new Error("expected the Twilio call to fail");
}
