/**
 * US A2P 10DLC campaigns (`QE…`, Messaging v1 `/v1/Services/{MG}/Compliance/Usa2p`): what a
 * Messaging Service's messages to US numbers are registered as. Rules modelled:
 *
 * - the brand (`BrandRegistrationSid`) must be `APPROVED`: 21717 otherwise, Twilio's code for a
 *   brand that is not registered;
 * - a Messaging Service holds at most one campaign (20001 for a second: Twilio's code was not
 *   found); after a `FAILED` one, delete it and create another, or update it to resubmit;
 * - the limits Twilio documents: `Description` 40 to 4096 characters, `MessageFlow` 40 to 2048,
 *   `MessageSamples` 2 to 5 samples of 20 to 1024 characters (the OpenAPI description says "min
 *   two and max five"), `UsAppToPersonUsecase` one of the brand's use cases (`usecasesFor`),
 *   `HasEmbeddedLinks` and `HasEmbeddedPhone` required; opt-in/out/help messages at most 320
 *   characters (20001 for any of these);
 * - a new campaign is `IN_PROGRESS`, then `VERIFIED` (with a TCR campaign id) or `FAILED`
 *   (`errors` say why); see `review.ts` for who decides;
 * - update: a `FAILED` campaign goes back to `IN_PROGRESS` (resubmission), a `VERIFIED` one keeps
 *   its status, one `IN_PROGRESS` cannot change (20001);
 * - deleting the campaign or its Messaging Service ends the registration: the service's US
 *   numbers are blocked again (see `compliance.ts`).
 */
import { randomBytes } from "node:crypto";
import { invalidParameter, TwilioError } from "../errors";
import { booleanParam, listParam, type Params, stringParam } from "../params";
import { newSid } from "../sids";
import type { BrandRecord, BrandRegistrationModel, BrandType } from "./brand-registrations";
import { type ModelContext, timestamp } from "./context";
import type { MessagingServiceRecord } from "./messaging-services";
import { RecordStore } from "./record-store";
import { type ReviewStage, type ReviewState, submit, submittedReview } from "./review";

export interface UsecaseDefinition {
  code: string;
  name: string;
  description: string;
  post_approval_required: boolean;
}

const usecase = (code: string, name: string, description: string): UsecaseDefinition => ({
  code,
  name,
  description,
  post_approval_required: false,
});

/** Standard A2P 10DLC use cases (Twilio's list; special ones needing vetting are not modelled). */
export const STANDARD_USECASES: readonly UsecaseDefinition[] = [
  usecase(
    "2FA",
    "Two-Factor authentication (2FA)",
    "Two-Factor authentication, one-time use password, password reset",
  ),
  usecase(
    "ACCOUNT_NOTIFICATION",
    "Account Notification",
    "All reminders, alerts, and notifications. (Examples include: flight delayed, hotel booked, appointment reminders.)",
  ),
  usecase(
    "CUSTOMER_CARE",
    "Customer Care",
    "All customer care messaging, including account management and support",
  ),
  usecase(
    "DELIVERY_NOTIFICATION",
    "Delivery Notification",
    "Information about the status of the delivery of a product or service",
  ),
  usecase(
    "FRAUD_ALERT",
    "Fraud Alert Messaging",
    "Messaging regarding potential fraudulent activity on a user's account",
  ),
  usecase(
    "HIGHER_EDUCATION",
    "Higher Education",
    "Messaging created on behalf of Colleges or Universities and will also include School Districts etc",
  ),
  usecase("MARKETING", "Marketing", "Any communication with marketing and/or promotional content"),
  usecase("MIXED", "Mixed", "Mixed messaging reserved for specific consumer service industry"),
  usecase("POLLING_VOTING", "Polling and voting", "Polling and voting"),
  usecase(
    "PUBLIC_SERVICE_ANNOUNCEMENT",
    "Public Service Announcement",
    "An informational message that is meant to raise the audience awareness about an important issue",
  ),
  usecase(
    "SECURITY_ALERT",
    "Security Alert",
    "A notification that the security of a system, either software or hardware, has been compromised in some way and there is an action you need to take",
  ),
];

export const LOW_VOLUME_USECASE = usecase(
  "LOW_VOLUME",
  "Low Volume Mixed",
  "Low volume messaging for multiple use cases",
);
export const SOLE_PROPRIETOR_USECASE = usecase(
  "SOLE_PROPRIETOR",
  "Sole Proprietor",
  "Limited to sole proprietors without a tax ID",
);

/** The use cases a brand of this type may register (`…/Compliance/Usa2p/Usecases`). */
export function usecasesFor(brandType: BrandType | undefined): readonly UsecaseDefinition[] {
  if (brandType === "SOLE_PROPRIETOR") return [SOLE_PROPRIETOR_USECASE];
  if (brandType === "LOW_VOLUME_STANDARD") return [...STANDARD_USECASES, LOW_VOLUME_USECASE];
  return STANDARD_USECASES;
}

export interface CampaignRecord {
  seq: number;
  sid: string;
  accountSid: string;
  messagingServiceSid: string;
  brandRegistrationSid: string;
  description: string;
  messageFlow: string;
  messageSamples: string[];
  usecase: string;
  hasEmbeddedLinks: boolean;
  hasEmbeddedPhone: boolean;
  optInMessage: string | null;
  optOutMessage: string | null;
  helpMessage: string | null;
  optInKeywords: string[] | null;
  optOutKeywords: string[] | null;
  helpKeywords: string[] | null;
  subscriberOptIn: boolean | null;
  ageGated: boolean;
  directLending: boolean;
  mock: boolean;
  review: ReviewState;
  /** The Campaign Registry's campaign id, once verified. */
  campaignId: string | null;
  dateCreated: string;
  dateUpdated: string;
}

/** The `campaign_status` Twilio shows for a campaign in this review stage. */
export function campaignStatus(stage: ReviewStage): string {
  return stage === "approved" ? "VERIFIED" : stage === "rejected" ? "FAILED" : "IN_PROGRESS";
}

function text(params: Params, name: string, min: number, max: number, required: boolean) {
  const value = stringParam(params, name);
  if (value === undefined || value === "") {
    if (required) throw invalidParameter(`Missing required parameter ${name} in the post body`);
    return undefined;
  }
  if (value.length < min || value.length > max) {
    throw invalidParameter(`${name} must be ${min} to ${max} characters long, got ${value.length}`);
  }
  return value;
}

function requiredBoolean(params: Params, name: string): boolean {
  const value = booleanParam(params, name);
  if (value === undefined)
    throw invalidParameter(`Missing required parameter ${name} in the post body`);
  return value;
}

function samples(params: Params, required: boolean): string[] | undefined {
  const given = listParam(params, "MessageSamples");
  if (given.length === 0) {
    if (required)
      throw invalidParameter("Missing required parameter MessageSamples in the post body");
    return undefined;
  }
  if (given.length < 2 || given.length > 5) {
    throw invalidParameter(`MessageSamples must hold 2 to 5 samples, got ${given.length}`);
  }
  const bad = given.find((s) => s.length < 20 || s.length > 1024);
  if (bad !== undefined) {
    throw invalidParameter(
      `Each of MessageSamples must be 20 to 1024 characters long, got ${bad.length}`,
    );
  }
  return given;
}

function keywords(params: Params, name: string): string[] | null {
  const given = listParam(params, name).filter((k) => k !== "");
  return given.length > 0 ? given : null;
}

export class CampaignModel {
  private readonly campaigns = new RecordStore<CampaignRecord>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly brands: BrandRegistrationModel,
  ) {}

  create(service: MessagingServiceRecord, params: Params): CampaignRecord {
    const brandSid = stringParam(params, "BrandRegistrationSid");
    if (!brandSid)
      throw invalidParameter("Missing required parameter BrandRegistrationSid in the post body");
    const brand = this.requireApprovedBrand(brandSid);
    const existing = this.ofService(service.sid);
    if (existing) {
      throw invalidParameter(
        `Messaging Service ${service.sid} already has a US A2P campaign (${existing.sid}); delete it first`,
      );
    }
    const description = text(params, "Description", 40, 4096, true) as string;
    const messageFlow = text(params, "MessageFlow", 40, 2048, true) as string;
    const messageSamples = samples(params, true) as string[];
    const usecaseCode = stringParam(params, "UsAppToPersonUsecase");
    if (!usecaseCode) {
      throw invalidParameter("Missing required parameter UsAppToPersonUsecase in the post body");
    }
    const allowed = usecasesFor(brand.brandType).map((u) => u.code);
    if (!allowed.includes(usecaseCode)) {
      throw invalidParameter(
        `UsAppToPersonUsecase must be one of ${allowed.join(", ")} for a ${brand.brandType} brand, got '${usecaseCode}'`,
      );
    }
    const now = timestamp(this.ctx);
    const record: CampaignRecord = {
      seq: this.campaigns.nextSeq(),
      sid: newSid("QE"),
      accountSid: this.ctx.accountSid,
      messagingServiceSid: service.sid,
      brandRegistrationSid: brand.sid,
      description,
      messageFlow,
      messageSamples,
      usecase: usecaseCode,
      hasEmbeddedLinks: requiredBoolean(params, "HasEmbeddedLinks"),
      hasEmbeddedPhone: requiredBoolean(params, "HasEmbeddedPhone"),
      optInMessage: text(params, "OptInMessage", 1, 320, false) ?? null,
      optOutMessage: text(params, "OptOutMessage", 1, 320, false) ?? null,
      helpMessage: text(params, "HelpMessage", 1, 320, false) ?? null,
      optInKeywords: keywords(params, "OptInKeywords"),
      optOutKeywords: keywords(params, "OptOutKeywords"),
      helpKeywords: keywords(params, "HelpKeywords"),
      subscriberOptIn: booleanParam(params, "SubscriberOptIn") ?? null,
      ageGated: booleanParam(params, "AgeGated") ?? false,
      directLending: booleanParam(params, "DirectLending") ?? false,
      mock: brand.mock,
      review: submittedReview(this.ctx.now().getTime()),
      campaignId: null,
      dateCreated: now,
      dateUpdated: now,
    };
    this.campaigns.add(record);
    this.ctx.changed();
    return record;
  }

  get(service: MessagingServiceRecord, sid: string): CampaignRecord | undefined {
    const campaign = this.campaigns.get(sid);
    return campaign?.messagingServiceSid === service.sid ? campaign : undefined;
  }

  /** Any campaign by SID (the admin API decides on them). */
  find(sid: string): CampaignRecord | undefined {
    return this.campaigns.get(sid);
  }

  /** The service's campaign, if it has one. */
  ofService(serviceSid: string): CampaignRecord | undefined {
    return this.campaigns.values().find((c) => c.messagingServiceSid === serviceSid);
  }

  all(): CampaignRecord[] {
    return this.campaigns.values();
  }

  update(campaign: CampaignRecord, params: Params): CampaignRecord {
    if (campaign.review.stage !== "approved" && campaign.review.stage !== "rejected") {
      throw invalidParameter(
        `Campaign ${campaign.sid} is IN_PROGRESS: it cannot change under review`,
      );
    }
    const description = text(params, "Description", 40, 4096, false);
    const messageFlow = text(params, "MessageFlow", 40, 2048, false);
    const messageSamples = samples(params, false);
    const hasEmbeddedLinks = booleanParam(params, "HasEmbeddedLinks");
    const hasEmbeddedPhone = booleanParam(params, "HasEmbeddedPhone");
    const ageGated = booleanParam(params, "AgeGated");
    const directLending = booleanParam(params, "DirectLending");
    if (description !== undefined) campaign.description = description;
    if (messageFlow !== undefined) campaign.messageFlow = messageFlow;
    if (messageSamples !== undefined) campaign.messageSamples = messageSamples;
    if (hasEmbeddedLinks !== undefined) campaign.hasEmbeddedLinks = hasEmbeddedLinks;
    if (hasEmbeddedPhone !== undefined) campaign.hasEmbeddedPhone = hasEmbeddedPhone;
    if (ageGated !== undefined) campaign.ageGated = ageGated;
    if (directLending !== undefined) campaign.directLending = directLending;
    if (campaign.review.stage === "rejected") submit(campaign.review, this.ctx.now().getTime());
    campaign.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return campaign;
  }

  delete(campaign: CampaignRecord): void {
    this.campaigns.delete(campaign.sid);
    this.ctx.changed();
  }

  /** Side effects of a review decision: a verified campaign gets its TCR id. */
  decided(campaign: CampaignRecord): void {
    if (campaign.review.stage === "approved" && campaign.campaignId === null) {
      campaign.campaignId = `C${randomBytes(3).toString("hex").toUpperCase()}`;
    }
    campaign.dateUpdated = timestamp(this.ctx);
  }

  snapshot(): CampaignRecord[] {
    return this.campaigns.snapshot();
  }

  restore(records: readonly CampaignRecord[]): void {
    this.campaigns.restore(records);
  }

  private requireApprovedBrand(sid: string): BrandRecord {
    const brand = this.brands.get(sid);
    if (brand?.review.stage !== "approved") {
      throw new TwilioError(
        21717,
        brand
          ? `Brand Registration ${sid} is not APPROVED yet: the campaign cannot be created`
          : `Brand Registration ${sid} is not registered`,
      );
    }
    return brand;
  }
}
