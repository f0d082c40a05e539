/**
 * US A2P 10DLC compliance of the emulated account, wired together: Trust Hub (end users,
 * supporting documents, customer profiles, trust products), the 2010 API's Addresses, brand
 * registrations and campaigns, the reviews that move them (by the admin API, or automatically:
 * `autoReview`), and the rule that makes it matter:
 *
 * A message from a US local ("10DLC") number to a US number is blocked by US carriers unless the
 * number sits in a Messaging Service with a `VERIFIED` campaign. Twilio accepts such a message
 * (the create answers 201) and then fails it with error 30034; `blocksUnregistered` says when.
 * Canadian numbers, and messages to non-US numbers, are not held to 10DLC registration.
 */
import { TwilioError } from "../errors";
import { AddressModel, type AddressRecord } from "./addresses";
import { type BrandRecord, BrandRegistrationModel, brandStatus } from "./brand-registrations";
import type { ModelContext } from "./context";
import type { MessagingServiceModel, MessagingServiceRecord } from "./messaging-services";
import { isUsLocalNumber } from "./nanp";
import type { IncomingPhoneNumberRecord } from "./phone-numbers";
import {
  type AutoReview,
  advanceAutomatically,
  decide,
  type ReviewOutcome,
  type ReviewState,
  startReview,
} from "./review";
import {
  type BundleRecord,
  type BundlesSnapshot,
  bundleStatus,
  TrustHubBundleModel,
} from "./trust-hub-bundles";
import { TrustHubItemModel, type TrustHubItemRecord } from "./trust-hub-items";
import { A2P_TRUST_PRODUCT_POLICY_SID, SECONDARY_PROFILE_POLICY_SID } from "./trust-hub-policies";
import { CampaignModel, type CampaignRecord, campaignStatus } from "./us-a2p-campaigns";

export interface ComplianceSnapshot {
  addresses: AddressRecord[];
  endUsers: TrustHubItemRecord[];
  supportingDocuments: TrustHubItemRecord[];
  bundles: BundlesSnapshot;
  brandRegistrations: BrandRecord[];
  campaigns: CampaignRecord[];
}

/** Something under review, and what its decision does besides changing the stage. */
interface Reviewable {
  review: ReviewState;
  what: string;
  decided(): void;
}

export class ComplianceModel {
  readonly addresses: AddressModel;
  readonly endUsers: TrustHubItemModel;
  readonly supportingDocuments: TrustHubItemModel;
  readonly bundles: TrustHubBundleModel;
  readonly brands: BrandRegistrationModel;
  readonly campaigns: CampaignModel;
  /** Automatic review; null (the default): reviews wait for the admin API. */
  autoReview: AutoReview | null = null;

  constructor(
    private readonly ctx: ModelContext,
    private readonly services: MessagingServiceModel,
  ) {
    this.addresses = new AddressModel(ctx);
    this.endUsers = new TrustHubItemModel(ctx, "end-user");
    this.supportingDocuments = new TrustHubItemModel(ctx, "supporting-document");
    this.bundles = new TrustHubBundleModel(
      ctx,
      this.endUsers,
      this.supportingDocuments,
      (sid) => this.addresses.get(sid) !== undefined,
    );
    this.brands = new BrandRegistrationModel(ctx, this.bundles);
    this.campaigns = new CampaignModel(ctx, this.brands);
    services.onDelete((service) => {
      const campaign = this.campaigns.ofService(service.sid);
      if (campaign) this.campaigns.delete(campaign);
    });
    this.bundles.ensurePrimary();
  }

  /** The ISV's primary customer profile, which every secondary profile must name. */
  get primaryCustomerProfileSid(): string {
    return this.bundles.ensurePrimary().sid;
  }

  /** Would US carriers block a message from this sender to `to` (error 30034)? */
  blocksUnregistered(sender: IncomingPhoneNumberRecord, to: string): boolean {
    if (!isUsLocalNumber(sender.phoneNumber) || !isUsLocalNumber(to)) return false;
    const serviceSid = this.services.serviceOf(sender.sid);
    return serviceSid === undefined || !this.hasVerifiedCampaign(serviceSid);
  }

  hasVerifiedCampaign(serviceSid: string): boolean {
    return this.campaigns.ofService(serviceSid)?.review.stage === "approved";
  }

  /** Advances every submission as automatic review would by now (called before each request). */
  tick(): void {
    if (!this.autoReview) return;
    const now = this.ctx.now().getTime();
    let changed = false;
    for (const item of this.reviewables()) {
      const before = item.review.stage;
      if (advanceAutomatically(item.review, this.autoReview, now)) {
        changed = true;
        if (
          item.review.stage !== before &&
          !["submitted", "in-review"].includes(item.review.stage)
        ) {
          item.decided();
        }
      }
    }
    if (changed) this.ctx.changed();
  }

  /** The admin API: start reviewing, approve or reject a bundle (BU), brand (BN) or campaign (QE). */
  review(sid: string, action: "start" | ReviewOutcome, reason?: string): void {
    const item = this.reviewable(sid);
    if (action === "start") startReview(item.review, item.what);
    else {
      decide(item.review, action, reason, item.what);
      item.decided();
    }
    this.ctx.changed();
  }

  /**
   * The admin shortcut for tests and demos that only need US sending to work: an approved
   * secondary profile, A2P trust product and brand, and a VERIFIED campaign on the service (an
   * existing campaign is verified in place).
   */
  verifyCampaign(service: MessagingServiceRecord): CampaignRecord {
    const existing = this.campaigns.ofService(service.sid);
    if (existing) {
      if (existing.review.stage !== "approved") {
        existing.review = { stage: "approved", submittedAtMs: null, reason: null };
        this.campaigns.decided(existing);
        this.ctx.changed();
      }
      return existing;
    }
    const profile = this.bundles.seedApproved(
      "customer-profile",
      SECONDARY_PROFILE_POLICY_SID,
      `${service.friendlyName} (emulator-verified)`,
    );
    const product = this.bundles.seedApproved(
      "trust-product",
      A2P_TRUST_PRODUCT_POLICY_SID,
      `${service.friendlyName} A2P (emulator-verified)`,
    );
    const brand = this.brands.seedApproved(profile, product);
    const campaign = this.campaigns.create(service, {
      BrandRegistrationSid: brand.sid,
      Description: "Notifications sent by the emulator's verified-campaign shortcut (admin API).",
      MessageFlow: "Recipients opted in when they gave their number; the emulator registered this.",
      MessageSamples: [
        "Your appointment is confirmed for tomorrow at 10:00.",
        "Reply STOP to stop receiving these notifications.",
      ],
      UsAppToPersonUsecase: "ACCOUNT_NOTIFICATION",
      HasEmbeddedLinks: "false",
      HasEmbeddedPhone: "false",
    });
    campaign.review = { stage: "approved", submittedAtMs: null, reason: null };
    this.campaigns.decided(campaign);
    this.ctx.changed();
    return campaign;
  }

  /** Every registration and its status, for the admin API. */
  summary() {
    return {
      primary_customer_profile_sid: this.primaryCustomerProfileSid,
      customer_profiles: this.bundles.list("customer-profile").map(describeBundle),
      trust_products: this.bundles.list("trust-product").map(describeBundle),
      brand_registrations: this.brands.list().map((b) => ({
        sid: b.sid,
        status: brandStatus(b.review.stage),
        failure_reason: b.review.reason,
        customer_profile_bundle_sid: b.customerProfileBundleSid,
        a2p_profile_bundle_sid: b.a2pProfileBundleSid,
      })),
      campaigns: this.campaigns.all().map((c) => ({
        sid: c.sid,
        messaging_service_sid: c.messagingServiceSid,
        brand_registration_sid: c.brandRegistrationSid,
        campaign_status: campaignStatus(c.review.stage),
        failure_reason: c.review.reason,
      })),
      auto_review: this.autoReview,
    };
  }

  snapshot(): ComplianceSnapshot {
    return {
      addresses: this.addresses.snapshot(),
      endUsers: this.endUsers.snapshot(),
      supportingDocuments: this.supportingDocuments.snapshot(),
      bundles: this.bundles.snapshot(),
      brandRegistrations: this.brands.snapshot(),
      campaigns: this.campaigns.snapshot(),
    };
  }

  restore(snapshot: ComplianceSnapshot | undefined): void {
    this.addresses.restore(snapshot?.addresses ?? []);
    this.endUsers.restore(snapshot?.endUsers ?? []);
    this.supportingDocuments.restore(snapshot?.supportingDocuments ?? []);
    this.bundles.restore(snapshot?.bundles ?? { bundles: [], assignments: [], evaluations: [] });
    this.brands.restore(snapshot?.brandRegistrations ?? []);
    this.campaigns.restore(snapshot?.campaigns ?? []);
    this.bundles.ensurePrimary();
  }

  private reviewables(): Reviewable[] {
    return [
      ...this.bundles.all().map((b) => this.bundleItem(b)),
      ...this.brands.list().map((b) => this.brandItem(b)),
      ...this.campaigns.all().map((c) => this.campaignItem(c)),
    ];
  }

  private reviewable(sid: string): Reviewable {
    const bundle = this.bundles.find(sid);
    if (bundle) return this.bundleItem(bundle);
    const brand = this.brands.get(sid);
    if (brand) return this.brandItem(brand);
    const campaign = this.campaigns.find(sid);
    if (campaign) return this.campaignItem(campaign);
    throw new TwilioError(20404, `No customer profile, trust product, brand or campaign ${sid}`);
  }

  private bundleItem(bundle: BundleRecord): Reviewable {
    const kind = bundle.kind === "customer-profile" ? "Customer profile" : "Trust product";
    return {
      review: bundle.review,
      what: `${kind} ${bundle.sid} (${bundleStatus(bundle.review.stage)})`,
      decided: () => this.bundles.decided(bundle),
    };
  }

  private brandItem(brand: BrandRecord): Reviewable {
    return {
      review: brand.review,
      what: `Brand ${brand.sid} (${brandStatus(brand.review.stage)})`,
      decided: () => this.brands.decided(brand),
    };
  }

  private campaignItem(campaign: CampaignRecord): Reviewable {
    return {
      review: campaign.review,
      what: `Campaign ${campaign.sid} (${campaignStatus(campaign.review.stage)})`,
      decided: () => this.campaigns.decided(campaign),
    };
  }
}

function describeBundle(b: BundleRecord) {
  return {
    sid: b.sid,
    friendly_name: b.friendlyName,
    policy_sid: b.policySid,
    status: bundleStatus(b.review.stage),
    failure_reason: b.review.reason,
  };
}
