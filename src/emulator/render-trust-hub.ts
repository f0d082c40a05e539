/**
 * Twilio's JSON for Trust Hub v1 (trusthub.twilio.com): customer profiles and trust products
 * (both "bundles", `BU…`), their entity assignments and evaluations, end users, supporting
 * documents and policies. ISO 8601 dates, absolute URLs; lists use the key `results`.
 */
import type {
  BundleRecord,
  EntityAssignmentRecord,
  EvaluationRecord,
} from "./models/trust-hub-bundles";
import { bundleStatus } from "./models/trust-hub-bundles";
import type { TrustHubItemRecord } from "./models/trust-hub-items";
import type { PolicyDefinition } from "./models/trust-hub-policies";
import { iso8601, type Json, type RenderContext } from "./render";

/** `/v1/CustomerProfiles` or `/v1/TrustProducts`. */
export function bundleCollection(bundle: Pick<BundleRecord, "kind">): string {
  return bundle.kind === "customer-profile" ? "CustomerProfiles" : "TrustProducts";
}

export function bundleUrl(ctx: RenderContext, bundle: Pick<BundleRecord, "kind" | "sid">): string {
  return `${ctx.trustHubOrigin}/v1/${bundleCollection(bundle)}/${bundle.sid}`;
}

/** `customer_profile` or `trust_product`: the prefix of the bundle's field and link names. */
function bundleField(bundle: Pick<BundleRecord, "kind">): string {
  return bundle.kind === "customer-profile" ? "customer_profile" : "trust_product";
}

export function renderBundle(ctx: RenderContext, b: BundleRecord): Json {
  const url = bundleUrl(ctx, b);
  const prefix = `${bundleField(b)}s`;
  return {
    sid: b.sid,
    account_sid: b.accountSid,
    policy_sid: b.policySid,
    friendly_name: b.friendlyName,
    status: bundleStatus(b.review.stage),
    valid_until: b.validUntil,
    email: b.email,
    status_callback: b.statusCallback,
    date_created: iso8601(b.dateCreated),
    date_updated: iso8601(b.dateUpdated),
    url,
    links: {
      [`${prefix}_entity_assignments`]: `${url}/EntityAssignments`,
      [`${prefix}_evaluations`]: `${url}/Evaluations`,
      [`${prefix}_channel_endpoint_assignment`]: `${url}/ChannelEndpointAssignments`,
    },
    errors: b.review.stage === "rejected" ? [{ description: b.review.reason }] : null,
  };
}

export function renderAssignment(
  ctx: RenderContext,
  bundle: BundleRecord,
  a: EntityAssignmentRecord,
): Json {
  return {
    sid: a.sid,
    [`${bundleField(bundle)}_sid`]: bundle.sid,
    account_sid: bundle.accountSid,
    object_sid: a.objectSid,
    date_created: iso8601(a.dateCreated),
    url: `${bundleUrl(ctx, bundle)}/EntityAssignments/${a.sid}`,
  };
}

export function renderEvaluation(
  ctx: RenderContext,
  bundle: BundleRecord,
  e: EvaluationRecord,
): Json {
  return {
    sid: e.sid,
    account_sid: bundle.accountSid,
    policy_sid: e.policySid,
    [`${bundleField(bundle)}_sid`]: bundle.sid,
    status: e.status,
    results: structuredClone(e.results),
    date_created: iso8601(e.dateCreated),
    url: `${bundleUrl(ctx, bundle)}/Evaluations/${e.sid}`,
  };
}

export function renderTrustHubItem(ctx: RenderContext, item: TrustHubItemRecord): Json {
  const collection = item.kind === "end-user" ? "EndUsers" : "SupportingDocuments";
  return {
    sid: item.sid,
    account_sid: item.accountSid,
    friendly_name: item.friendlyName,
    ...(item.kind === "supporting-document" ? { mime_type: null, status: "DRAFT" } : {}),
    type: item.type,
    attributes: structuredClone(item.attributes),
    date_created: iso8601(item.dateCreated),
    date_updated: iso8601(item.dateUpdated),
    url: `${ctx.trustHubOrigin}/v1/${collection}/${item.sid}`,
  };
}

export function renderPolicy(ctx: RenderContext, policy: PolicyDefinition): Json {
  return {
    sid: policy.sid,
    friendly_name: policy.friendlyName,
    requirements: structuredClone(policy.requirements),
    url: `${ctx.trustHubOrigin}/v1/Policies/${policy.sid}`,
  };
}
