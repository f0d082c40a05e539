/**
 * The admin API's US A2P 10DLC routes: what is registered and in which review state, and the
 * reviewer's hand (Twilio and the carriers review for days; here a test or a demo decides):
 *
 *   GET  /__emulator/compliance                              → every profile, trust product, brand
 *                                                              and campaign with its status, the
 *                                                              primary customer profile SID and
 *                                                              the automatic review setting
 *   POST /__emulator/compliance/{SID}/review                 → pending-review → in-review,
 *                                                              PENDING → IN_REVIEW (BU, BN)
 *   POST /__emulator/compliance/{SID}/approve                → twilio-approved / APPROVED / VERIFIED
 *   POST /__emulator/compliance/{SID}/reject  { reason }     → twilio-rejected / FAILED, with reason
 *   POST /__emulator/messaging-services/{MG}/verified-campaign
 *                                                            → 201, an approved chain and a VERIFIED
 *                                                              campaign on the service, made at once
 *
 * `{SID}` is a customer profile or trust product (`BU…`), a brand registration (`BN…`) or a
 * campaign (`QE…`). Deciding something not under review is 409; an unknown SID 404.
 */
import { TwilioError } from "./errors";
import type { EmulatorState } from "./models/state";

export interface ComplianceAdminResponse {
  status: number;
  body: unknown;
}

/** Handles a compliance admin route (`path` without the prefix), or undefined if it is none. */
export function handleComplianceAdmin(
  state: EmulatorState,
  method: string,
  path: string,
  body: () => unknown,
): ComplianceAdminResponse | undefined {
  if (method === "GET" && path === "/compliance") {
    return { status: 200, body: state.compliance.summary() };
  }
  const decision = /^\/compliance\/([A-Z]{2}[0-9a-f]{32})\/(review|approve|reject)$/.exec(path);
  if (method === "POST" && decision) {
    const [, sid = "", action = ""] = decision;
    let reason: string | undefined;
    if (action === "reject") {
      const given = (body() as { reason?: unknown } | null)?.reason;
      if (typeof given !== "string" || given.trim() === "") {
        return { status: 400, body: { error: 'a rejection needs { "reason": "…" }' } };
      }
      reason = given;
    }
    state.compliance.review(
      sid,
      action === "review" ? "start" : (action as "approve" | "reject"),
      reason,
    );
    return { status: 200, body: state.compliance.summary() };
  }
  const verify = /^\/messaging-services\/([^/]+)\/verified-campaign$/.exec(path);
  if (method === "POST" && verify) {
    const service = state.messagingServices.get(verify[1] ?? "");
    if (!service) throw new TwilioError(20404, `No Messaging Service ${verify[1]}`);
    const campaign = state.compliance.verifyCampaign(service);
    const brand = state.compliance.brands.get(campaign.brandRegistrationSid);
    return {
      status: 201,
      body: {
        campaign_sid: campaign.sid,
        messaging_service_sid: service.sid,
        brand_registration_sid: campaign.brandRegistrationSid,
        customer_profile_bundle_sid: brand?.customerProfileBundleSid ?? null,
        a2p_profile_bundle_sid: brand?.a2pProfileBundleSid ?? null,
        campaign_status: "VERIFIED",
      },
    };
  }
  return undefined;
}
