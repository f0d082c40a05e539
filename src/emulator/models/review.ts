/**
 * The review every US A2P 10DLC registration goes through at Twilio and the carriers, as one small
 * state machine shared by Trust Hub bundles (customer profiles, trust products), brand
 * registrations and campaigns. Each family shows the stages under its own status names:
 *
 * | stage       | bundles (Trust Hub) | brand registrations | campaigns     |
 * | ----------- | ------------------- | ------------------- | ------------- |
 * | `draft`     | `draft`             | (none)              | (none)        |
 * | `submitted` | `pending-review`    | `PENDING`           | `IN_PROGRESS` |
 * | `in-review` | `in-review`         | `IN_REVIEW`         | `IN_PROGRESS` |
 * | `approved`  | `twilio-approved`   | `APPROVED`          | `VERIFIED`    |
 * | `rejected`  | `twilio-rejected`   | `FAILED`            | `FAILED`      |
 *
 * Reviews take days on Twilio; here they advance when the admin API says so (start the review,
 * approve, reject with a reason) or, with automatic review configured, once a submission is
 * `afterMs` old: in review after half of it, decided after all of it (`tick`).
 */
import { TwilioError } from "../errors";

export type ReviewStage = "draft" | "submitted" | "in-review" | "approved" | "rejected";

export interface ReviewState {
  stage: ReviewStage;
  /** When the current submission was made (ms), for automatic review. */
  submittedAtMs: number | null;
  /** Why it was rejected (shown as failure_reason / errors). */
  reason: string | null;
}

export type ReviewOutcome = "approve" | "reject";

/** Automatic review: every submission is decided `afterMs` after it was made. */
export interface AutoReview {
  afterMs: number;
  outcome: ReviewOutcome;
  /** The rejection reason when `outcome` is reject. */
  reason: string;
}

export const DEFAULT_REJECTION_REASON = "Rejected by the emulator's review";

export function draftReview(): ReviewState {
  return { stage: "draft", submittedAtMs: null, reason: null };
}

export function submittedReview(nowMs: number): ReviewState {
  return { stage: "submitted", submittedAtMs: nowMs, reason: null };
}

export function isUnderReview(review: ReviewState): boolean {
  return review.stage === "submitted" || review.stage === "in-review";
}

/** A submission (or resubmission): the review starts over. */
export function submit(review: ReviewState, nowMs: number): void {
  Object.assign(review, submittedReview(nowMs));
}

/** The admin's "start reviewing" (pending-review → in-review, PENDING → IN_REVIEW). */
export function startReview(review: ReviewState, what: string): void {
  if (review.stage !== "submitted") throw notUnderReview(what, "waiting for review");
  review.stage = "in-review";
}

/** The admin's (or the automatic review's) decision on a submission under review. */
export function decide(
  review: ReviewState,
  outcome: ReviewOutcome,
  reason: string | undefined,
  what: string,
): void {
  if (!isUnderReview(review)) throw notUnderReview(what, "under review");
  review.stage = outcome === "approve" ? "approved" : "rejected";
  review.reason = outcome === "reject" ? reason || DEFAULT_REJECTION_REASON : null;
}

/**
 * Advances a submission as automatic review would by `nowMs`; true when the stage changed. Without
 * automatic review nothing happens.
 */
export function advanceAutomatically(
  review: ReviewState,
  auto: AutoReview | null,
  nowMs: number,
): boolean {
  if (!auto || !isUnderReview(review) || review.submittedAtMs === null) return false;
  const age = nowMs - review.submittedAtMs;
  if (age >= auto.afterMs) {
    decide(review, auto.outcome, auto.reason, "");
    return true;
  }
  if (review.stage === "submitted" && age >= auto.afterMs / 2) {
    review.stage = "in-review";
    return true;
  }
  return false;
}

function notUnderReview(what: string, expected: string): TwilioError {
  return new TwilioError(20001, `${what} is not ${expected}`, { status: 409 });
}
