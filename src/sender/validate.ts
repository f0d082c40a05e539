/**
 * Checks made before any database or Twilio call: a recipient Twilio can text, a body Twilio
 * accepts. Phone numbers are judged by libphonenumber-js (Google's metadata, kept current), not a
 * regular expression: `+15555555555` has the right shape and is still not a number.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { MAX_BODY_LENGTH } from "../sms/segments";
import {
  BodyTooLongError,
  EmptyBodyError,
  InvalidRecipientError,
  InvalidSenderOptionsError,
  UsA2pNotVerifiedError,
} from "./errors";
import type { SmsRoute } from "./lookup";
import { type WhenOutcomeUnknown, whenOutcomeUnknownSchema } from "./options";

/** Throws InvalidRecipientError unless `to` is a valid number written in E.164 (`+15145550123`). */
export function checkRecipient(to: unknown): asserts to is string {
  if (typeof to !== "string" || to === "")
    throw new InvalidRecipientError(String(to ?? ""), "a phone number is required");
  if (!to.startsWith("+"))
    throw new InvalidRecipientError(to, "write it in E.164 form, with + and the country code");
  const parsed = parsePhoneNumberFromString(to);
  if (!parsed?.isValid())
    throw new InvalidRecipientError(to, "not a valid phone number for any country");
  if (parsed.number !== to)
    throw new InvalidRecipientError(to, `write it in E.164 form: ${parsed.number}`);
}

/**
 * Throws UsA2pNotVerifiedError for a US recipient when the account has US local numbers (the sync
 * recorded a status) and its campaign is not VERIFIED: US carriers would block the message (30034).
 * A null status (no US local number: a Canadian-only account) is never refused.
 */
export function checkUsA2p(route: SmsRoute, to: string): void {
  const status = route.usA2pCampaignStatus;
  if (status === null || status === "VERIFIED") return;
  if (parsePhoneNumberFromString(to)?.country !== "US") return;
  throw new UsA2pNotVerifiedError(route.accountId, status);
}

/** Throws EmptyBodyError or BodyTooLongError unless Twilio accepts `body` as a message text. */
export function checkBody(body: unknown): asserts body is string {
  if (typeof body !== "string" || body.trim() === "") throw new EmptyBodyError();
  if (body.length > MAX_BODY_LENGTH) throw new BodyTooLongError(body.length, MAX_BODY_LENGTH);
}

/** A call's `whenOutcomeUnknown`, when given, is one the sender knows (a typo must not mean "resend"). */
export function checkWhenOutcomeUnknown(
  value: unknown,
): asserts value is WhenOutcomeUnknown | undefined {
  if (value !== undefined && !whenOutcomeUnknownSchema.safeParse(value).success)
    throw new InvalidSenderOptionsError([
      `whenOutcomeUnknown: must be "error" or "resend", got ${JSON.stringify(value)}`,
    ]);
}
