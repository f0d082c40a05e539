/**
 * US A2P 10DLC brand registrations (`BN…`, Messaging v1 `/v1/a2p/BrandRegistrations`): a customer
 * business registered with The Campaign Registry through Twilio. Rules modelled:
 *
 * - `CustomerProfileBundleSid` must be a customer profile and `A2PProfileBundleSid` an A2P trust
 *   product of the account, both `twilio-approved` (20001 otherwise; Twilio's exact code for this
 *   was not found);
 * - `BrandType` is `STANDARD` (default), `LOW_VOLUME_STANDARD` or `SOLE_PROPRIETOR`;
 * - a new brand is `PENDING`, then `IN_REVIEW`, then `APPROVED` (identity `VERIFIED`, a TCR brand
 *   id) or `FAILED` (identity `UNVERIFIED`, `failure_reason` and `errors` say why): see
 *   `review.ts` for who moves it;
 * - `POST /v1/a2p/BrandRegistrations/{Sid}` (no parameters, answered 202) resubmits a `FAILED`
 *   brand, after its profile data was corrected, and only a failed one (20001 otherwise);
 * - registering twice is not refused (Twilio charges for each): a caller must look before it
 *   creates again.
 */
import { randomBytes } from "node:crypto";
import { invalidParameter } from "../errors";
import { booleanParam, type Params, stringParam } from "../params";
import { newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { RecordStore } from "./record-store";
import { type ReviewStage, type ReviewState, submit, submittedReview } from "./review";
import type { BundleRecord, TrustHubBundleModel } from "./trust-hub-bundles";
import { A2P_TRUST_PRODUCT_POLICY_SID } from "./trust-hub-policies";

export const BRAND_TYPES = ["STANDARD", "LOW_VOLUME_STANDARD", "SOLE_PROPRIETOR"] as const;
export type BrandType = (typeof BRAND_TYPES)[number];

export interface BrandRecord {
  seq: number;
  sid: string;
  accountSid: string;
  customerProfileBundleSid: string;
  a2pProfileBundleSid: string;
  brandType: BrandType;
  mock: boolean;
  skipAutomaticSecVet: boolean;
  review: ReviewState;
  /** The Campaign Registry's brand id, once approved. */
  tcrId: string | null;
  dateCreated: string;
  dateUpdated: string;
}

/** The status Twilio shows for a brand in this review stage. */
export function brandStatus(stage: ReviewStage): string {
  return {
    draft: "PENDING",
    submitted: "PENDING",
    "in-review": "IN_REVIEW",
    approved: "APPROVED",
    rejected: "FAILED",
  }[stage];
}

function approvedBundle(
  bundle: BundleRecord | undefined,
  param: string,
  sid: string | undefined,
  what: string,
): void {
  if (!bundle) throw invalidParameter(`${param} ${sid} is not ${what} of this account`);
  if (bundle.review.stage !== "approved") {
    throw invalidParameter(`${param} ${sid} is not twilio-approved yet`);
  }
}

export class BrandRegistrationModel {
  private readonly brands = new RecordStore<BrandRecord>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly bundles: TrustHubBundleModel,
  ) {}

  create(params: Params): BrandRecord {
    const profileSid = stringParam(params, "CustomerProfileBundleSid");
    const productSid = stringParam(params, "A2PProfileBundleSid");
    if (!profileSid) {
      throw invalidParameter(
        "Missing required parameter CustomerProfileBundleSid in the post body",
      );
    }
    if (!productSid) {
      throw invalidParameter("Missing required parameter A2PProfileBundleSid in the post body");
    }
    const brandType = (stringParam(params, "BrandType") ?? "STANDARD") as BrandType;
    if (!BRAND_TYPES.includes(brandType)) {
      throw invalidParameter(
        `BrandType must be one of ${BRAND_TYPES.join(", ")}, got '${brandType}'`,
      );
    }
    const mock = booleanParam(params, "Mock") ?? false;
    const skipAutomaticSecVet = booleanParam(params, "SkipAutomaticSecVet") ?? false;
    approvedBundle(
      this.bundles.get("customer-profile", profileSid),
      "CustomerProfileBundleSid",
      profileSid,
      "a customer profile",
    );
    const product = this.bundles.get("trust-product", productSid);
    approvedBundle(
      product?.policySid === A2P_TRUST_PRODUCT_POLICY_SID ? product : undefined,
      "A2PProfileBundleSid",
      productSid,
      "an A2P trust product",
    );
    const now = timestamp(this.ctx);
    const record: BrandRecord = {
      seq: this.brands.nextSeq(),
      sid: newSid("BN"),
      accountSid: this.ctx.accountSid,
      customerProfileBundleSid: profileSid,
      a2pProfileBundleSid: productSid,
      brandType,
      mock,
      skipAutomaticSecVet,
      review: submittedReview(this.ctx.now().getTime()),
      tcrId: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.brands.add(record);
    this.ctx.changed();
    return record;
  }

  get(sid: string): BrandRecord | undefined {
    return this.brands.get(sid);
  }

  list(): BrandRecord[] {
    return this.brands.values();
  }

  /** `POST /v1/a2p/BrandRegistrations/{Sid}`: a failed brand goes back to review. */
  resubmit(brand: BrandRecord): BrandRecord {
    if (brand.review.stage !== "rejected") {
      throw invalidParameter(
        `Brand ${brand.sid} is ${brandStatus(brand.review.stage)}: only a FAILED brand can be resubmitted`,
      );
    }
    submit(brand.review, this.ctx.now().getTime());
    brand.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return brand;
  }

  /** Side effects of a review decision: an approved brand gets its TCR id. */
  decided(brand: BrandRecord): void {
    if (brand.review.stage === "approved" && brand.tcrId === null) {
      brand.tcrId = `B${randomBytes(3).toString("hex").toUpperCase()}`;
    }
    brand.dateUpdated = timestamp(this.ctx);
  }

  /** An approved brand made without the API (the admin's verified-campaign shortcut). */
  seedApproved(profile: BundleRecord, product: BundleRecord): BrandRecord {
    const brand = this.create({
      CustomerProfileBundleSid: profile.sid,
      A2PProfileBundleSid: product.sid,
    });
    brand.review = { stage: "approved", submittedAtMs: null, reason: null };
    this.decided(brand);
    return brand;
  }

  snapshot(): BrandRecord[] {
    return this.brands.snapshot();
  }

  restore(records: readonly BrandRecord[]): void {
    this.brands.restore(records);
  }
}
