/**
 * The sender room (src/sender/): the runtime package a backend installs (`npm run build` →
 * dist/sender): route lookup, delivery at most once, rate limits, typed errors, NestJS module.
 *
 * Imports only src/sms, src/validation, src/twilio, src/util and the PostgreSQL-only opener
 * src/db/connection.ts: never the database factory (PGlite), Pulumi, the config/YAML loader, the
 * deploy-time rooms (plan, sync, start, pulumi), the emulator, src/cli, scripts/, bench/ or test/.
 * Nothing but src/cli, tests and benchmarks imports it.
 *
 * `twilio-messaging-iac/sender`: send SMS through an account's Messaging Service.
 * Importing it has no side effect: nothing connects until `createSmsSender` is called.
 */
export {
  DEFAULT_PRICE_PER_SEGMENT_USD,
  estimateSms,
  type SmsEstimate,
  type SmsEstimateOptions,
} from "../sms/cost";
export {
  countSegments,
  MAX_BODY_LENGTH,
  type SegmentCount,
  type SmsEncoding,
} from "../sms/segments";
export {
  BodyTooLongError,
  EmptyBodyError,
  InvalidRecipientError,
  NoMessagingServiceError,
  RateLimitedError,
  SendOutcomeUnknownError,
  SmsSenderError,
  type SmsSenderErrorCode,
  TwilioSendError,
  UnknownVapiPhoneIdError,
} from "./errors";
export {
  type InvalidateScope,
  invalidateSenderCaches,
  type SenderPrismaClient,
} from "./lookup";
export { smsSenderOptionsSchema } from "./options";
export type { RateLimitOptions } from "./rate-limit";
export {
  createSmsSender,
  type SendSmsByVapiPhoneIdInput,
  type SendSmsInput,
  type SmsResult,
  type SmsSender,
  type SmsSenderOptions,
  type StaffAlertInput,
} from "./sender";
export { formatStaffAlert, type StaffAlert } from "./staff-alert";
