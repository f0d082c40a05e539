/**
 * Trust Hub bundles: customer profiles (`/v1/CustomerProfiles`) and trust products
 * (`/v1/TrustProducts`), both `BU…`, with their entity assignments (`BV…`) and evaluations
 * (`EL…`). Twilio's rules modelled:
 *
 * - `FriendlyName`, `Email` and `PolicySid` are required (20001); the policy must be one of the
 *   kind's (a customer-profile policy for profiles, the A2P policy for trust products), and the
 *   primary customer profile cannot be made through the API (Twilio's Console only: the emulator
 *   starts every account with one, approved, `primaryCustomerProfileSid`);
 * - an assignment names an end user, supporting document or customer profile of the account
 *   (20001 otherwise, and for a duplicate); assignments change only while the bundle is `draft` or
 *   `twilio-rejected`;
 * - an evaluation (`PolicySid` of the bundle) checks the assigned objects against the policy
 *   (`trust-hub-policies.ts`) and answers `compliant` or `noncompliant` with per-requirement
 *   results;
 * - submitting (`Status=pending-review`, the only status a client may set) needs a `compliant`
 *   evaluation made after the last assignment change (20001 otherwise), from `draft` or
 *   `twilio-rejected` (resubmission after a rejection);
 * - the review then runs as `review.ts` describes; an approved bundle gets `valid_until` a year on.
 *
 * Not modelled: channel endpoint assignments (phone numbers on bundles), status callbacks (the URL
 * is stored and echoed, never called), bundle copies and replacements.
 */
import { invalidParameter } from "../errors";
import { isHttpUrl, type Params, stringParam } from "../params";
import { isSid, newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { RecordStore } from "./record-store";
import { draftReview, isUnderReview, type ReviewStage, type ReviewState, submit } from "./review";
import type { TrustHubItemModel } from "./trust-hub-items";
import {
  type AssignedObjects,
  type BundleKind,
  PRIMARY_PROFILE_POLICY_SID,
  policyBySid,
  type RequirementResult,
} from "./trust-hub-policies";

export interface BundleRecord {
  seq: number;
  sid: string;
  accountSid: string;
  kind: BundleKind;
  policySid: string;
  friendlyName: string;
  email: string;
  statusCallback: string | null;
  review: ReviewState;
  validUntil: string | null;
  /** Bumped by every assignment change: an evaluation counts only for the version it saw. */
  assignmentsVersion: number;
  dateCreated: string;
  dateUpdated: string;
}

export interface EntityAssignmentRecord {
  seq: number;
  sid: string;
  bundleSid: string;
  objectSid: string;
  dateCreated: string;
}

export interface EvaluationRecord {
  seq: number;
  sid: string;
  bundleSid: string;
  policySid: string;
  status: "compliant" | "noncompliant";
  results: RequirementResult[];
  assignmentsVersion: number;
  dateCreated: string;
}

export interface BundlesSnapshot {
  bundles: BundleRecord[];
  assignments: EntityAssignmentRecord[];
  evaluations: EvaluationRecord[];
}

export interface BundleFilters {
  status?: string;
  friendlyName?: string;
  policySid?: string;
}

/** The status Twilio shows for a bundle in this review stage. */
export function bundleStatus(stage: ReviewStage): string {
  return {
    draft: "draft",
    submitted: "pending-review",
    "in-review": "in-review",
    approved: "twilio-approved",
    rejected: "twilio-rejected",
  }[stage];
}

const KIND_NAMES: Record<BundleKind, string> = {
  "customer-profile": "Customer profile",
  "trust-product": "Trust product",
};

/** What an assigned object is, for `ObjectType` filters (Twilio's names). */
export type AssignedObjectType = "end_user" | "supporting_document" | "customer_profile";

export class TrustHubBundleModel {
  private readonly bundles = new RecordStore<BundleRecord>();
  private readonly assignments = new RecordStore<EntityAssignmentRecord>();
  private readonly evaluations = new RecordStore<EvaluationRecord>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly endUsers: TrustHubItemModel,
    private readonly documents: TrustHubItemModel,
    private readonly addressExists: (sid: string) => boolean,
  ) {}

  /**
   * The account's primary customer profile (made in Twilio's Console; approved), made if the
   * account has none yet (a new account, a state file from before compliance was modelled).
   */
  ensurePrimary(): BundleRecord {
    const primary = this.bundles.values().find((b) => b.policySid === PRIMARY_PROFILE_POLICY_SID);
    return (
      primary ??
      this.seedApproved(
        "customer-profile",
        PRIMARY_PROFILE_POLICY_SID,
        "Primary Customer Profile (emulator)",
      )
    );
  }

  create(kind: BundleKind, params: Params): BundleRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const email = stringParam(params, "Email");
    const policySid = stringParam(params, "PolicySid");
    for (const [name, value] of [
      ["FriendlyName", friendlyName],
      ["Email", email],
      ["PolicySid", policySid],
    ] as const) {
      if (!value) throw invalidParameter(`Missing required parameter ${name} in the post body`);
    }
    const policy = policyBySid(policySid as string);
    if (!policy || policy.kind !== kind) {
      throw invalidParameter(
        `PolicySid ${policySid} is not a ${KIND_NAMES[kind].toLowerCase()} policy`,
      );
    }
    if (!policy.creatableByApi) {
      throw invalidParameter(`A ${policy.friendlyName} can only be created in the Twilio Console`);
    }
    return this.insert({
      kind,
      policySid: policy.sid,
      friendlyName: friendlyName as string,
      email: email as string,
      statusCallback: this.readCallback(params),
      review: draftReview(),
    });
  }

  get(kind: BundleKind, sid: string): BundleRecord | undefined {
    const bundle = this.bundles.get(sid);
    return bundle?.kind === kind ? bundle : undefined;
  }

  /** Any bundle by SID (the admin API approves either kind). */
  find(sid: string): BundleRecord | undefined {
    return this.bundles.get(sid);
  }

  list(kind: BundleKind, filters: BundleFilters = {}): BundleRecord[] {
    return this.bundles
      .values()
      .filter(
        (b) =>
          b.kind === kind &&
          (filters.status === undefined || bundleStatus(b.review.stage) === filters.status) &&
          (filters.friendlyName === undefined || b.friendlyName === filters.friendlyName) &&
          (filters.policySid === undefined || b.policySid === filters.policySid),
      );
  }

  update(bundle: BundleRecord, params: Params): BundleRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const email = stringParam(params, "Email");
    const status = stringParam(params, "Status");
    const statusCallback =
      stringParam(params, "StatusCallback") !== undefined ? this.readCallback(params) : undefined;
    if (status !== undefined) this.checkSubmission(bundle, status);
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw invalidParameter("FriendlyName cannot be empty");
      bundle.friendlyName = friendlyName;
    }
    if (email !== undefined) {
      if (email === "") throw invalidParameter("Email cannot be empty");
      bundle.email = email;
    }
    if (statusCallback !== undefined) bundle.statusCallback = statusCallback;
    if (status !== undefined) submit(bundle.review, this.ctx.now().getTime());
    bundle.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return bundle;
  }

  delete(bundle: BundleRecord): void {
    this.bundles.delete(bundle.sid);
    for (const a of this.assignmentsOf(bundle)) this.assignments.delete(a.sid);
    for (const e of this.evaluationsOf(bundle)) this.evaluations.delete(e.sid);
    this.ctx.changed();
  }

  assign(bundle: BundleRecord, params: Params): EntityAssignmentRecord {
    const objectSid = stringParam(params, "ObjectSid");
    if (!objectSid) throw invalidParameter("Missing required parameter ObjectSid in the post body");
    this.checkEditable(bundle);
    if (this.objectType(objectSid) === undefined || objectSid === bundle.sid) {
      throw invalidParameter(
        `ObjectSid ${objectSid} is not an end user, supporting document or customer profile of this account`,
      );
    }
    if (this.assignmentsOf(bundle).some((a) => a.objectSid === objectSid)) {
      throw invalidParameter(`${objectSid} is already assigned to ${bundle.sid}`);
    }
    const record: EntityAssignmentRecord = {
      seq: this.assignments.nextSeq(),
      sid: newSid("BV"),
      bundleSid: bundle.sid,
      objectSid,
      dateCreated: timestamp(this.ctx),
    };
    this.assignments.add(record);
    bundle.assignmentsVersion += 1;
    this.ctx.changed();
    return record;
  }

  assignmentsOf(bundle: BundleRecord, objectType?: string): EntityAssignmentRecord[] {
    return this.assignments
      .values()
      .filter(
        (a) =>
          a.bundleSid === bundle.sid &&
          (objectType === undefined || this.objectType(a.objectSid) === objectType),
      );
  }

  getAssignment(bundle: BundleRecord, sid: string): EntityAssignmentRecord | undefined {
    const assignment = this.assignments.get(sid);
    return assignment?.bundleSid === bundle.sid ? assignment : undefined;
  }

  unassign(bundle: BundleRecord, assignment: EntityAssignmentRecord): void {
    this.checkEditable(bundle);
    this.assignments.delete(assignment.sid);
    bundle.assignmentsVersion += 1;
    this.ctx.changed();
  }

  evaluate(bundle: BundleRecord, params: Params): EvaluationRecord {
    const policySid = stringParam(params, "PolicySid");
    if (!policySid) throw invalidParameter("Missing required parameter PolicySid in the post body");
    if (policySid !== bundle.policySid) {
      throw invalidParameter(
        `PolicySid ${policySid} is not the policy of ${bundle.sid} (${bundle.policySid})`,
      );
    }
    const results = this.check(bundle);
    const record: EvaluationRecord = {
      seq: this.evaluations.nextSeq(),
      sid: newSid("EL"),
      bundleSid: bundle.sid,
      policySid,
      status: results.every((r) => r.passed) ? "compliant" : "noncompliant",
      results,
      assignmentsVersion: bundle.assignmentsVersion,
      dateCreated: timestamp(this.ctx),
    };
    this.evaluations.add(record);
    this.ctx.changed();
    return record;
  }

  evaluationsOf(bundle: BundleRecord): EvaluationRecord[] {
    return this.evaluations.values().filter((e) => e.bundleSid === bundle.sid);
  }

  getEvaluation(bundle: BundleRecord, sid: string): EvaluationRecord | undefined {
    const evaluation = this.evaluations.get(sid);
    return evaluation?.bundleSid === bundle.sid ? evaluation : undefined;
  }

  /** All bundles of both kinds (automatic review walks them). */
  all(): BundleRecord[] {
    return this.bundles.values();
  }

  /** Marks a review decision's side effects (an approved bundle is valid for a year). */
  decided(bundle: BundleRecord): void {
    const now = this.ctx.now();
    bundle.validUntil =
      bundle.review.stage === "approved"
        ? new Date(now.getTime() + 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")
        : null;
    bundle.dateUpdated = timestamp(this.ctx);
  }

  /** An approved bundle made without the API (admin shortcut, the primary profile). */
  seedApproved(kind: BundleKind, policySid: string, friendlyName: string): BundleRecord {
    const bundle = this.insert({
      kind,
      policySid,
      friendlyName,
      email: "compliance@emulator.invalid",
      statusCallback: null,
      review: { stage: "approved", submittedAtMs: null, reason: null },
    });
    this.decided(bundle);
    return bundle;
  }

  snapshot(): BundlesSnapshot {
    return {
      bundles: this.bundles.snapshot(),
      assignments: this.assignments.snapshot(),
      evaluations: this.evaluations.snapshot(),
    };
  }

  restore(snapshot: BundlesSnapshot): void {
    this.bundles.restore(snapshot.bundles);
    this.assignments.restore(snapshot.assignments);
    this.evaluations.restore(snapshot.evaluations);
  }

  private insert(
    fields: Pick<
      BundleRecord,
      "kind" | "policySid" | "friendlyName" | "email" | "statusCallback" | "review"
    >,
  ): BundleRecord {
    const now = timestamp(this.ctx);
    const record: BundleRecord = {
      seq: this.bundles.nextSeq(),
      sid: newSid("BU"),
      accountSid: this.ctx.accountSid,
      ...fields,
      validUntil: null,
      assignmentsVersion: 0,
      dateCreated: now,
      dateUpdated: now,
    };
    this.bundles.add(record);
    this.ctx.changed();
    return record;
  }

  private readCallback(params: Params): string | null {
    const url = stringParam(params, "StatusCallback");
    if (url === undefined || url === "") return null;
    if (!isHttpUrl(url)) throw invalidParameter(`StatusCallback is not a valid URL: ${url}`);
    return url;
  }

  private objectType(sid: string): AssignedObjectType | undefined {
    if (isSid(sid, "IT") && this.endUsers.get(sid)) return "end_user";
    if (isSid(sid, "RD") && this.documents.get(sid)) return "supporting_document";
    if (isSid(sid, "BU") && this.bundles.get(sid)?.kind === "customer-profile") {
      return "customer_profile";
    }
    return undefined;
  }

  private check(bundle: BundleRecord): RequirementResult[] {
    const assigned = this.assignmentsOf(bundle).map((a) => a.objectSid);
    const objects: AssignedObjects = {
      endUsers: assigned.flatMap((sid) => this.endUsers.get(sid) ?? []),
      documents: assigned.flatMap((sid) => this.documents.get(sid) ?? []),
      customerProfiles: assigned.flatMap((sid) => {
        const profile = this.bundles.get(sid);
        return profile?.kind === "customer-profile"
          ? [{ sid, policySid: profile.policySid, stage: profile.review.stage }]
          : [];
      }),
      addressExists: this.addressExists,
    };
    return policyBySid(bundle.policySid)?.evaluate(objects) ?? [];
  }

  private checkEditable(bundle: BundleRecord): void {
    const stage = bundle.review.stage;
    if (stage !== "draft" && stage !== "rejected") {
      throw invalidParameter(
        `${KIND_NAMES[bundle.kind]} ${bundle.sid} is ${bundleStatus(stage)}: its assignments change only in draft or twilio-rejected`,
      );
    }
  }

  private checkSubmission(bundle: BundleRecord, status: string): void {
    if (status !== "pending-review") {
      throw invalidParameter(`Status can only be set to pending-review, got '${status}'`);
    }
    if (isUnderReview(bundle.review) || bundle.review.stage === "approved") {
      throw invalidParameter(
        `${KIND_NAMES[bundle.kind]} ${bundle.sid} is already ${bundleStatus(bundle.review.stage)}`,
      );
    }
    const latest = this.evaluationsOf(bundle).sort((a, b) => b.seq - a.seq)[0];
    if (!latest || latest.assignmentsVersion !== bundle.assignmentsVersion) {
      throw invalidParameter(
        `${KIND_NAMES[bundle.kind]} ${bundle.sid} has no evaluation of its current assignments: create an Evaluation first`,
      );
    }
    if (latest.status !== "compliant") {
      throw invalidParameter(
        `${KIND_NAMES[bundle.kind]} ${bundle.sid} did not pass its evaluation ${latest.sid}`,
      );
    }
  }
}

/** Shown in error messages: "Customer profile BU…". */
export function describeBundle(bundle: BundleRecord): string {
  return `${KIND_NAMES[bundle.kind]} ${bundle.sid}`;
}
