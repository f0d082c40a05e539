/**
 * The sender's errors: one class per reason, each `instanceof`-checkable (also through the base
 * `SmsSenderError`) with a stable `code` a caller can switch on, and a message that puts the
 * reason first. None carries a credential: network failures from the SDK (axios errors, whose
 * request config holds the Authorization header) are never attached; only their code is kept.
 */

export type SmsSenderErrorCode =
  | "INVALID_OPTIONS"
  | "INSECURE_BASE_URL"
  | "MISSING_PEER_DEPENDENCY"
  | "NO_MESSAGING_SERVICE"
  | "UNKNOWN_VAPI_PHONE_ID"
  | "INVALID_RECIPIENT"
  | "EMPTY_BODY"
  | "BODY_TOO_LONG"
  | "RATE_LIMITED"
  | "TWILIO_ERROR"
  | "OUTCOME_UNKNOWN"
  | "US_A2P_NOT_VERIFIED";

export abstract class SmsSenderError extends Error {
  abstract readonly code: SmsSenderErrorCode;

  constructor(message: string) {
    super(message);
    // The subclass's name, e.g. "NoMessagingServiceError", in stack traces and logs.
    this.name = new.target.name;
  }
}

/** `createSmsSender` was given options it cannot work with (each problem named by its path). */
export class InvalidSenderOptionsError extends SmsSenderError {
  readonly code = "INVALID_OPTIONS";

  constructor(readonly problems: string[]) {
    super(`Invalid SMS sender options: ${problems.join("; ")}`);
  }
}

/**
 * `twilio.baseUrl` is plain `http://` to a host that is not this machine: the auth token would
 * cross the network in clear text. Plain HTTP is for an emulator on loopback only.
 */
export class InsecureBaseUrlError extends SmsSenderError {
  readonly code = "INSECURE_BASE_URL";

  constructor(readonly host: string) {
    super(
      `Insecure Twilio base URL: plain http:// is allowed only to loopback (127.0.0.1, ::1, localhost), not to ${host}; use https://, or reach the emulator through a loopback address`,
    );
  }
}

/** An optional peer dependency the chosen option needs is not installed in the backend. */
export class MissingPeerDependencyError extends SmsSenderError {
  readonly code = "MISSING_PEER_DEPENDENCY";

  constructor(
    readonly packageName: string,
    neededFor: string,
    alternative: string,
  ) {
    super(
      `Missing peer dependency ${packageName}: ${neededFor} needs it; install it in the backend (npm install ${packageName}), or ${alternative}`,
    );
  }
}

/**
 * A US recipient, through the Messaging Service of an account whose US A2P 10DLC campaign is not
 * `VERIFIED` (as the sync last recorded it): US carriers would block the message (Twilio error
 * 30034), so it is not sent. Nothing was sent to Twilio. `usA2pGuard: false` turns the check off.
 */
export class UsA2pNotVerifiedError extends SmsSenderError {
  readonly code = "US_A2P_NOT_VERIFIED";

  constructor(
    readonly accountId: string,
    readonly campaignStatus: string,
  ) {
    super(
      `US A2P 10DLC campaign not verified (status ${campaignStatus}) for account ${accountId}: US carriers block its messages to US numbers (Twilio error 30034), so none was sent; register the account's brand and campaign (compliance.usA2p), deploy and run the sync`,
    );
  }
}

/** The account has no active phone number with a Messaging Service SID (the seed's message). */
export class NoMessagingServiceError extends SmsSenderError {
  readonly code = "NO_MESSAGING_SERVICE";

  constructor(
    readonly accountId: string,
    readonly vapiPhoneId?: string,
  ) {
    super(
      vapiPhoneId === undefined
        ? `No Messaging Service configured for this account (account ${accountId}): no active VapiPhoneNumber row has a twilioMessagingServiceSid; deploy the account and run the sync`
        : `No Messaging Service configured for this account (account ${accountId}, Vapi phone ${vapiPhoneId}): the row has no twilioMessagingServiceSid; deploy the account and run the sync`,
    );
  }
}

/** No `VapiPhoneNumber` row has this `vapiPhoneId`. */
export class UnknownVapiPhoneIdError extends SmsSenderError {
  readonly code = "UNKNOWN_VAPI_PHONE_ID";

  constructor(readonly vapiPhoneId: string) {
    super(`Unknown Vapi phone id ${JSON.stringify(vapiPhoneId)}: no VapiPhoneNumber row has it`);
  }
}

/** `to` is not a valid phone number in E.164 form. */
export class InvalidRecipientError extends SmsSenderError {
  readonly code = "INVALID_RECIPIENT";

  constructor(
    readonly to: string,
    reason: string,
  ) {
    super(`Invalid recipient ${JSON.stringify(to)}: ${reason}`);
  }
}

export class EmptyBodyError extends SmsSenderError {
  readonly code = "EMPTY_BODY";

  constructor() {
    super("Empty message body: give the text to send");
  }
}

/** Longer than Twilio accepts (1600 UTF-16 code units; Twilio's error 21617). */
export class BodyTooLongError extends SmsSenderError {
  readonly code = "BODY_TOO_LONG";

  constructor(
    readonly length: number,
    readonly maxLength: number,
  ) {
    super(
      `Message body too long: ${length} characters (UTF-16 code units; an emoji counts 2), Twilio accepts at most ${maxLength}`,
    );
  }
}

/** The account's per-window message limit is reached (the sender's own limit, not Twilio's 429). */
export class RateLimitedError extends SmsSenderError {
  readonly code = "RATE_LIMITED";

  constructor(
    readonly accountId: string,
    readonly limit: number,
    readonly windowSeconds: number,
    /** When the next message may go, in milliseconds from now. */
    readonly retryAfterMs: number,
  ) {
    super(
      `Rate limited: account ${accountId} sent its ${limit} messages per ${windowSeconds} s; next one allowed in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
  }
}

/** What a failed Twilio exchange tells: Twilio's error (code, status, more_info) or a network code. */
export interface TwilioFailure {
  /** Twilio's error code, e.g. 21610 (unsubscribed recipient); absent without an answer. */
  twilioCode?: number;
  /** HTTP status of Twilio's answer; absent when no answer came (connection dropped, timeout). */
  status?: number;
  /** Twilio's documentation link for the error code. */
  moreInfo?: string;
  /** Twilio's message, or the network error's code/message. */
  detail: string;
}

function describeFailure(failure: TwilioFailure): string {
  const parts = [
    failure.twilioCode !== undefined ? `Twilio error ${failure.twilioCode}` : undefined,
    failure.status !== undefined ? `HTTP ${failure.status}` : "no answer",
  ].filter(Boolean);
  const more = failure.moreInfo ? `; see ${failure.moreInfo}` : "";
  return `${parts.join(", ")}: ${failure.detail}${more}`;
}

/** An error that carries what Twilio (or the network) said: the fields of a `TwilioFailure`. */
abstract class TwilioFailureError extends SmsSenderError implements TwilioFailure {
  readonly twilioCode?: number;
  readonly status?: number;
  readonly moreInfo?: string;
  readonly detail: string;

  constructor(message: string, failure: TwilioFailure) {
    super(message);
    this.twilioCode = failure.twilioCode;
    this.status = failure.status;
    this.moreInfo = failure.moreInfo;
    this.detail = failure.detail;
  }
}

/** Twilio refused the message, or failed and the message is known not to exist. */
export class TwilioSendError extends TwilioFailureError {
  readonly code = "TWILIO_ERROR";

  constructor(failure: TwilioFailure, context = "Twilio did not send the message") {
    super(`${context} (${describeFailure(failure)})`, failure);
  }
}

/**
 * Why the sender could not tell whether Twilio created the message: Twilio's message list could
 * not be read, or the message was not in it by the end of the lookup window (the list may lag a
 * create by minutes; not listed does not mean not sent).
 */
export type OutcomeUnknownReason = "list-unreadable" | "not-in-list";

/**
 * Twilio may or may not have sent the message: the answer was lost (5xx, timeout, dropped
 * connection) and the message was not found in Twilio's message list. The sender did not send it
 * again (unless `whenOutcomeUnknown: "resend"`, and then its attempts ran out). Before sending it
 * yourself, look for it in Twilio's message log (`to`, since `since`).
 */
export class SendOutcomeUnknownError extends TwilioFailureError {
  readonly code = "OUTCOME_UNKNOWN";

  constructor(
    failure: TwilioFailure,
    readonly to: string,
    /** The first attempt's time: a message, if any, was created after it. */
    readonly since: Date,
    readonly reason: OutcomeUnknownReason,
    /** Creates sent to Twilio for this call, each of which may have made a message. */
    readonly attempts: number,
  ) {
    const looked =
      reason === "list-unreadable"
        ? "and Twilio's message list could not be checked"
        : `and it is not in Twilio's message list yet (which may lag); ${attempts === 1 ? "it was not sent again" : `${attempts} attempts were made`}`;
    super(
      `Unknown whether Twilio sent the message to ${to} (${describeFailure(failure)}), ${looked}; look for it in Twilio's message log before sending again`,
      failure,
    );
  }
}
