/**
 * Turns what the Twilio SDK throws into errors a person can act on: Twilio's code, message and
 * HTTP status, what we were doing, and a hint (the seed guide's troubleshooting, plus our own).
 * Messages are built from known fields only, so no request detail (credentials) can leak into them.
 */

/**
 * The fields of the SDK's RestException that we read. Only `status` is certain: the SDK copies
 * `message`, `code` and `more_info` from whatever JSON body came back, so an answer that is not
 * Twilio's (a gateway or proxy 502 with `{"error": "Bad Gateway"}`) leaves them undefined. For
 * such an answer the project's HTTP client adds the request it answered (src/twilio/http-client.ts).
 */
interface TwilioRestError {
  status: number;
  code?: number;
  message?: string;
  moreInfo?: string;
  requestMethod?: string;
  requestUrl?: string;
}

/** Twilio's "The requested resource … was not found". */
const TWILIO_NOT_FOUND = 20404;

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

/** An HTTP answer with an error status, from Twilio or from something in front of it. */
export function isTwilioRestError(error: unknown): error is TwilioRestError {
  const status = (error as { status?: unknown } | null)?.status;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof status === "number" &&
    Number.isInteger(status) &&
    status >= 400 &&
    status <= 599
  );
}

/** Twilio's own error body: a numeric code and a message (a proxy's body has neither). */
function isTwilioShaped(error: TwilioRestError): boolean {
  return (
    typeof error.code === "number" && typeof error.message === "string" && error.message !== ""
  );
}

/**
 * Twilio itself says the object does not exist: code 20404 in Twilio's own error body (design.md
 * invariant 9). Only this removes a resource from the state or counts a delete or release as done.
 * Any other 404 (a gateway's, a proxy's HTML page, a base URL that points at the wrong server)
 * says nothing about the object: the caller reports it as an error, with the request it answered.
 */
export function isNotFound(error: unknown): boolean {
  return (
    isTwilioRestError(error) &&
    error.status === 404 &&
    isTwilioShaped(error) &&
    error.code === TWILIO_NOT_FOUND
  );
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

/**
 * Worth trying again: rate limiting (HTTP 429 or Twilio's 20429), any 5xx (Twilio's or a
 * gateway's, whatever its body says), or a dropped connection.
 */
export function isRetryable(error: unknown): boolean {
  if (isTwilioRestError(error))
    return error.status === 429 || error.code === 20429 || error.status >= 500;
  return isNetworkError(error);
}

/**
 * An error we built, with Twilio's code and HTTP status when there was one.
 *
 * A plain Error with fields, not a subclass: a value that crosses into the dynamic provider plugin
 * is easiest to recognise by a field (`twilioOperation`), whichever copy of this module built it.
 * And not `code`/`status`: the dynamic provider hands errors to gRPC, which reads `error.code` as a
 * gRPC status.
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

/** What to do about an HTTP status, whatever body came with it. */
function statusHint(status: number): string | undefined {
  if (status === 429) return HINTS[20429];
  if (status === 401 || status === 403) return HINTS[20003];
  if (status === 404)
    return "only Twilio's own not-found (error 20404) means an object is gone, and this is not it: check TWILIO_BASE_URL / twilioBaseUrl (the state was left as it was)";
  if (status >= 500)
    return "a failure on Twilio's side or on the way there (retryable): run again later, and check TWILIO_BASE_URL / twilioBaseUrl if it persists";
  return undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function httpStatusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? "server error" : "client error");
}

export function isTwilioOperationError(error: unknown): error is TwilioOperationError {
  return (
    error instanceof Error && (error as Partial<TwilioOperationError>).twilioOperation === true
  );
}

/** Twilio's code for a call a restricted API key's policy does not allow. */
const MISSING_PERMISSION = 70051;

/**
 * A restricted key's refusal, reason first: the permission it lacks (Twilio's message names it as
 * "required permission twilio/…/… is missing"; written here with its leading slash, as policies
 * spell it), then what was being done. Twilio answers it before doing anything.
 */
function missingPermissionError(action: string, error: TwilioRestError): TwilioOperationError {
  const named = error.message?.match(/required permission (\S+) is missing/)?.[1];
  const permission = named ? `/${named.replace(/^\//, "")}` : "(not named by Twilio)";
  const parts = [
    `missing Twilio permission ${permission}: the restricted API key in TWILIO_API_KEY does not allow it, so could not ${action} (Twilio error ${MISSING_PERMISSION}, HTTP ${error.status}; Twilio changed nothing)`,
    "hint: a read-only key (the pull-request plan's) cannot deploy; deploy with a key whose policy holds this permission (docs/workflows.md lists each job's)",
    error.moreInfo ? `see ${error.moreInfo}` : undefined,
  ];
  return twilioOperationError(parts.filter(Boolean).join("; "), MISSING_PERMISSION, error.status);
}

/** Wraps a failure of `action` (e.g. "buy a number in area code 514") into an actionable error. */
export function describeTwilioFailure(action: string, error: unknown): TwilioOperationError {
  if (isTwilioRestError(error) && error.code === MISSING_PERMISSION) {
    return missingPermissionError(action, error);
  }
  if (isTwilioRestError(error) && isTwilioShaped(error)) {
    const code = error.code as number;
    const hint = HINTS[code] ?? statusHint(error.status);
    const parts = [
      `could not ${action}: Twilio error ${code} (HTTP ${error.status}): ${error.message}`,
      hint ? `hint: ${hint}` : undefined,
      error.moreInfo ? `see ${error.moreInfo}` : undefined,
    ];
    return twilioOperationError(parts.filter(Boolean).join("; "), code, error.status);
  }
  if (isTwilioRestError(error)) {
    // Not Twilio's error body: say so, with the status and the request it answered (the things
    // that are certain).
    const hint = statusHint(error.status);
    const from = error.requestUrl
      ? ` from ${error.requestMethod ?? "a request to"} ${error.requestUrl}`
      : "";
    return twilioOperationError(
      `could not ${action}: HTTP ${error.status} ${httpStatusText(error.status)}${from}, with an answer that is not a Twilio error (a gateway or proxy in between?)${hint ? `; hint: ${hint}` : ""}`,
      undefined,
      error.status,
    );
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
