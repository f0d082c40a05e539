/**
 * The sender room (src/sender/): the runtime package a backend installs (packages/sender,
 * `twilio-messaging-sender`, built from here): route lookup, delivery that never repeats a create
 * blindly, rate limits, typed errors, NestJS module.
 *
 * Imports only src/sms, src/validation, src/twilio and src/util, and of npm packages only what
 * packages/sender/package.json declares: never src/db (the package ships no generated Prisma
 * client; it reads through the backend's client or `pg`), Pulumi, the config/YAML loader, the
 * deploy-time rooms (plan, sync, start, pulumi), the emulator, src/cli, scripts/, bench/ or test/.
 * Nothing but src/cli, tests and benchmarks imports it.
 *
 * `twilio-messaging-sender`: send SMS through an account's Messaging Service.
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
  InsecureBaseUrlError,
  InvalidRecipientError,
  InvalidSenderOptionsError,
  MissingPeerDependencyError,
  NoMessagingServiceError,
  type OutcomeUnknownReason,
  RateLimitedError,
  SendOutcomeUnknownError,
  SmsSenderError,
  type SmsSenderErrorCode,
  TwilioSendError,
  UnknownVapiPhoneIdError,
  UsA2pNotVerifiedError,
} from "./errors";
export { type InvalidateScope, invalidateSenderCaches } from "./lookup";
export { smsSenderOptionsSchema } from "./options";
export type { SenderPrismaClient } from "./prisma-routes";
export type { RateLimitOptions } from "./rate-limit";
export {
  createSmsSender,
  type SendSmsByVapiPhoneIdInput,
  type SendSmsInput,
  type SmsResult,
  type SmsSender,
  type SmsSenderOptions,
  type StaffAlertInput,
  type WhenOutcomeUnknown,
} from "./sender";
export { formatStaffAlert, type StaffAlert } from "./staff-alert";
