/**
 * Turns what the Twilio SDK throws into errors a person can act on: Twilio's code, message and
 * HTTP status, what we were doing, and a hint (the seed guide's troubleshooting, plus our own).
 * Messages are built from known fields only, so no request detail (credentials) can leak into them.
 */

/** The fields of the SDK's RestException that we read. */
interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
  moreInfo?: string;
}

const HINTS: Record<number, string> = {
  20003:
    "check the credentials: TWILIO_AUTH_TOKEN (or TWILIO_API_KEY / TWILIO_API_SECRET) in the environment, and the account SID (stack config twilioAccountSid or TWILIO_ACCOUNT_SID)",
  20404:
    "the object no longer exists in Twilio (deleted outside?); `pulumi refresh` updates the state",
  20429:
    "Twilio is rate limiting this account; retries with backoff were exhausted, run again later",
  21421:
    "the phone number or its SID is not valid: a SID starts with PN and the number must be E.164",
  21422: "the number is no longer available to buy; buy by area code instead",
  21452: "no numbers left in that area code: choose another areaCode or adopt an existing number",
  21631: "the number is not an SMS-capable number of this account",
  21704: "add at least one phone number to the Messaging Service before sending through it",
  21710:
    "a phone number can only belong to one Messaging Service: remove it from the other service first",
  21712:
    "a phone number can only belong to one Messaging Service: remove it from the other service first",
};

export function isTwilioRestError(error: unknown): error is TwilioRestError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status === "number" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

export function isNotFound(error: unknown): boolean {
  return isTwilioRestError(error) && error.status === 404;
}

/** Socket-level failures: the request may or may not have been carried out by Twilio. */
export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === "string" &&
      [
        "ECONNRESET",
        "ECONNREFUSED",
        "ETIMEDOUT",
        "EPIPE",
        "ECONNABORTED",
        "ERR_SOCKET_CLOSED",
      ].includes(code)) ||
    /socket hang up/i.test(String((error as { message?: unknown } | null)?.message ?? ""))
  );
}

/** Worth trying again: rate limiting, a Twilio-side failure, or a dropped connection. */
export function isRetryable(error: unknown): boolean {
  if (isTwilioRestError(error)) return error.status === 429 || error.status >= 500;
  return isNetworkError(error);
}

/**
 * An error we built, with Twilio's code and HTTP status when there was one.
 *
 * A plain Error with fields, not a subclass: the closure serializer rewrites `class … extends
 * Error` so that `super(message)` no longer sets the message. And not `code`/`status`: the dynamic
 * provider hands errors to gRPC, which reads `error.code` as a gRPC status.
 */
export type TwilioOperationError = Error & {
  twilioOperation: true;
  twilioCode?: number;
  httpStatus?: number;
};

export function twilioOperationError(
  message: string,
  twilioCode?: number,
  httpStatus?: number,
): TwilioOperationError {
  return Object.assign(new Error(message), {
    twilioOperation: true as const,
    twilioCode,
    httpStatus,
  });
}

export function isTwilioOperationError(error: unknown): error is TwilioOperationError {
  return (
    error instanceof Error && (error as Partial<TwilioOperationError>).twilioOperation === true
  );
}

/** Wraps a failure of `action` (e.g. "buy a number in area code 514") into an actionable error. */
export function describeTwilioFailure(action: string, error: unknown): TwilioOperationError {
  if (isTwilioRestError(error)) {
    const hint = error.code !== undefined ? HINTS[error.code] : undefined;
    const parts = [
      `could not ${action}: Twilio error ${error.code ?? "?"} (HTTP ${error.status}): ${error.message}`,
      hint ? `hint: ${hint}` : undefined,
      error.moreInfo ? `see ${error.moreInfo}` : undefined,
    ];
    return twilioOperationError(parts.filter(Boolean).join("; "), error.code, error.status);
  }
  if (isNetworkError(error)) {
    const code = (error as { code?: string }).code ?? "connection closed";
    return twilioOperationError(
      `could not ${action}: the connection to Twilio failed (${code}); hint: check TWILIO_BASE_URL / twilioBaseUrl and the network, then run again`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return twilioOperationError(`could not ${action}: ${message}`);
}

/** Runs `call`, turning any failure into a TwilioOperationError for `action`. */
export async function twilioCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeTwilioFailure(action, error);
  }
}
