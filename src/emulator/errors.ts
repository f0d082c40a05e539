/**
 * Twilio's error shape, in one place (the emulator's `exceptions`).
 *
 * Every failure the emulator answers with is a `TwilioError`: the models throw it, the HTTP layer
 * renders it as Twilio does, `{ code, message, more_info, status }`, with the HTTP status from the
 * table below. The codes are Twilio's published ones (https://www.twilio.com/docs/api/errors);
 * `docs/emulator.md` lists which operation answers which code.
 */

/** One row of the table: the HTTP status Twilio answers with and the dictionary title of the code. */
export interface ErrorCodeInfo {
  readonly status: number;
  readonly title: string;
}

/**
 * Twilio error codes the emulator uses. The title is Twilio's dictionary title; a `TwilioError`
 * may carry a more specific message (Twilio's messages often name the offending value).
 */
export const ERROR_CODES = {
  20001: { status: 400, title: "Invalid parameter" },
  20003: { status: 401, title: "Authenticate" },
  20004: { status: 405, title: "Method not allowed" },
  20404: { status: 404, title: "The requested resource was not found" },
  20429: { status: 429, title: "Too Many Requests" },
  20500: { status: 500, title: "Internal Server Error" },
  20503: { status: 503, title: "Service Unavailable" },
  21211: { status: 400, title: "Invalid 'To' Phone Number" },
  21266: { status: 400, title: "'To' and 'From' number cannot be the same" },
  21402: { status: 400, title: "Invalid Url" },
  21403: { status: 400, title: "Invalid Method" },
  21421: { status: 400, title: "Phone Number is invalid" },
  21422: { status: 400, title: "PhoneNumber is not available" },
  21451: { status: 400, title: "Invalid area code" },
  21452: { status: 400, title: "No phone numbers found in area code" },
  21602: { status: 400, title: "Message body is required" },
  21603: {
    status: 400,
    title: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
  },
  21604: { status: 400, title: "A 'To' phone number is required" },
  21606: {
    status: 400,
    title:
      "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account",
  },
  21609: { status: 400, title: "Invalid StatusCallback url" },
  21617: { status: 400, title: "The concatenated message body exceeds the 1600 character limit" },
  21620: { status: 400, title: "Invalid media URL(s)" },
  21624: { status: 400, title: "Invalid validity period value" },
  21701: { status: 400, title: "The Messaging Service does not exist" },
  21704: { status: 400, title: "The Messaging Service contains no phone numbers" },
  21705: { status: 400, title: "The Messaging Service is invalid" },
  21710: { status: 400, title: "Phone Number is already in the Messaging Service" },
  21712: {
    status: 400,
    title: "Phone Number or Short Code is associated with another Messaging Service",
  },
  21713: { status: 400, title: "Messaging Service Use Case is Invalid" },
  21715: {
    status: 400,
    title: "Phone Number Does Not Have Correct Messaging Service Capabilities",
  },
  21717: {
    status: 400,
    title: "Brand Registration SID for US A2P Campaign Use Case is Not Registered or Not Valid",
  },
  // Not an HTTP error: the error_code a message ends with when US carriers would block it.
  30034: { status: 400, title: "US A2P 10DLC - Message from an Unregistered Number" },
  70001: { status: 400, title: "The request has constraint violations" },
  70002: { status: 400, title: "Invalid request" },
  70051: { status: 401, title: "Authorization Failed" },
} as const satisfies Record<number, ErrorCodeInfo>;

export type TwilioErrorCode = keyof typeof ERROR_CODES;

/** The JSON body Twilio sends with every error response. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function moreInfoUrl(code: number): string {
  return `https://www.twilio.com/docs/errors/${code}`;
}

/** An error the emulator answers with; thrown by models, rendered by the HTTP layer. */
export class TwilioError extends Error {
  readonly code: TwilioErrorCode;
  readonly status: number;
  /** Extra response headers (e.g. `Retry-After` on 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: TwilioErrorCode,
    message?: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    const info = ERROR_CODES[code];
    super(message ?? info.title);
    this.name = "TwilioError";
    this.code = code;
    this.status = options.status ?? info.status;
    this.headers = options.headers ?? {};
  }

  toJSON(): TwilioErrorBody {
    return {
      code: this.code,
      message: this.message,
      more_info: moreInfoUrl(this.code),
      status: this.status,
    };
  }
}

/** 20404 for a path or SID that does not exist, with Twilio's message naming the resource path. */
export function notFound(path: string): TwilioError {
  return new TwilioError(20404, `The requested resource ${path} was not found`);
}

/** 20001, Twilio's answer to a missing or malformed parameter that has no more specific code. */
export function invalidParameter(message: string): TwilioError {
  return new TwilioError(20001, message);
}

/** 20003 with the Basic challenge: bad credentials, or credentials for another account. */
export function authenticationError(): TwilioError {
  return new TwilioError(20003, "Authenticate", {
    headers: { "WWW-Authenticate": 'Basic realm="Twilio API"' },
  });
}
