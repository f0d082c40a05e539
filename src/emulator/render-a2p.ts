/**
 * Twilio's JSON for US A2P 10DLC on Messaging v1 (messaging.twilio.com): brand registrations
 * (`/v1/a2p/BrandRegistrations`, listed under the key `data`), campaigns
 * (`/v1/Services/{MG}/Compliance/Usa2p`, listed under `compliance`) and the use case lists.
 * A rejection's reason is in `failure_reason` (brands) and `errors` (`[{ description }]`: the
 * shape of Twilio's error entries was not verified).
 */
import { type BrandRecord, brandStatus } from "./models/brand-registrations";
import {
  type CampaignRecord,
  campaignStatus,
  type UsecaseDefinition,
} from "./models/us-a2p-campaigns";
import { iso8601, type Json, type RenderContext, serviceUrl } from "./render";

export function brandUrl(ctx: RenderContext, sid: string): string {
  return `${ctx.messagingOrigin}/v1/a2p/BrandRegistrations/${sid}`;
}

export function renderBrand(ctx: RenderContext, b: BrandRecord): Json {
  const url = brandUrl(ctx, b.sid);
  const stage = b.review.stage;
  return {
    sid: b.sid,
    account_sid: b.accountSid,
    customer_profile_bundle_sid: b.customerProfileBundleSid,
    a2p_profile_bundle_sid: b.a2pProfileBundleSid,
    date_created: iso8601(b.dateCreated),
    date_updated: iso8601(b.dateUpdated),
    brand_type: b.brandType,
    status: brandStatus(stage),
    tcr_id: b.tcrId,
    failure_reason: stage === "rejected" ? b.review.reason : null,
    errors: stage === "rejected" ? [{ description: b.review.reason }] : [],
    url,
    brand_score: null,
    brand_feedback: null,
    identity_status: stage === "approved" ? "VERIFIED" : "UNVERIFIED",
    russell_3000: false,
    government_entity: false,
    tax_exempt_status: null,
    skip_automatic_sec_vet: b.skipAutomaticSecVet,
    mock: b.mock,
    links: { brand_vettings: `${url}/Vettings`, brand_registration_otps: `${url}/SmsOtp` },
  };
}

export function campaignUrl(
  ctx: RenderContext,
  c: Pick<CampaignRecord, "messagingServiceSid" | "sid">,
): string {
  return `${serviceUrl(ctx, c.messagingServiceSid)}/Compliance/Usa2p/${c.sid}`;
}

export function renderCampaign(ctx: RenderContext, c: CampaignRecord): Json {
  const stage = c.review.stage;
  return {
    sid: c.sid,
    account_sid: c.accountSid,
    brand_registration_sid: c.brandRegistrationSid,
    messaging_service_sid: c.messagingServiceSid,
    description: c.description,
    message_samples: [...c.messageSamples],
    us_app_to_person_usecase: c.usecase,
    has_embedded_links: c.hasEmbeddedLinks,
    has_embedded_phone: c.hasEmbeddedPhone,
    subscriber_opt_in: c.subscriberOptIn,
    age_gated: c.ageGated,
    direct_lending: c.directLending,
    campaign_status: campaignStatus(stage),
    campaign_id: c.campaignId,
    is_externally_registered: false,
    rate_limits: null,
    message_flow: c.messageFlow,
    opt_in_message: c.optInMessage,
    opt_out_message: c.optOutMessage,
    help_message: c.helpMessage,
    opt_in_keywords: c.optInKeywords ? [...c.optInKeywords] : null,
    opt_out_keywords: c.optOutKeywords ? [...c.optOutKeywords] : null,
    help_keywords: c.helpKeywords ? [...c.helpKeywords] : null,
    date_created: iso8601(c.dateCreated),
    date_updated: iso8601(c.dateUpdated),
    url: campaignUrl(ctx, c),
    mock: c.mock,
    errors: stage === "rejected" ? [{ description: c.review.reason }] : [],
  };
}

export function renderA2pUsecases(usecases: readonly UsecaseDefinition[]): Json {
  return { us_app_to_person_usecases: usecases.map((u) => ({ ...u })) };
}
