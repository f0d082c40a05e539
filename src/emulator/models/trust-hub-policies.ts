/**
 * Trust Hub policies (`RN…`, `/v1/Policies`): what a bundle must hold before Twilio reviews it,
 * and the evaluation that checks it. The emulator knows the three policies of Twilio's ISV A2P
 * 10DLC flow, with Twilio's own (account-independent) SIDs:
 *
 * - the primary customer profile (the ISV's own; created in Twilio's Console only, so the emulator
 *   starts every account with one, approved);
 * - the secondary customer profile, one per customer business: a `customer_profile_business_information`
 *   end user, an `authorized_representative_1` end user (`…_2` is optional), a
 *   `customer_profile_address` supporting document whose `address_sids` names an Address, and the
 *   approved primary customer profile (requirements as Twilio's Trust Hub API overview shows them);
 * - the A2P trust product ("A2P messaging profile"): a `us_a2p_messaging_profile_information` end
 *   user (`company_type`; a `public` company also `stock_exchange` and `stock_ticker`) and the
 *   customer profile, which must already be twilio-approved.
 */
import type { ReviewStage } from "./review";
import type { TrustHubItemRecord } from "./trust-hub-items";

export type BundleKind = "customer-profile" | "trust-product";

export const PRIMARY_PROFILE_POLICY_SID = "RN6433641899984f951173ef1738c3bdd0";
export const SECONDARY_PROFILE_POLICY_SID = "RNdfbf3fae0e1107f8aded0e7cead80bf5";
export const A2P_TRUST_PRODUCT_POLICY_SID = "RNb0d4771c2c98518d916a3d4cd70a8f8b";

/** The objects assigned to a bundle, resolved (missing ones left out). */
export interface AssignedObjects {
  endUsers: TrustHubItemRecord[];
  documents: TrustHubItemRecord[];
  customerProfiles: { sid: string; policySid: string; stage: ReviewStage }[];
  addressExists(sid: string): boolean;
}

/** One requirement's verdict, in the shape of Twilio's evaluation `results` entries. */
export interface RequirementResult {
  friendly_name: string;
  object_type: string;
  requirement_name: string;
  requirement_friendly_name: string;
  passed: boolean;
  failure_reason: string | null;
  valid: { friendly_name: string; object_field: string }[];
  invalid: { friendly_name: string; object_field: string; failure_reason: string }[];
}

export interface PolicyDefinition {
  sid: string;
  friendlyName: string;
  kind: BundleKind;
  /** False for the primary customer profile: Twilio creates those in its Console only. */
  creatableByApi: boolean;
  /** The `requirements` object `/v1/Policies/{Sid}` answers. */
  requirements: Record<string, unknown>;
  evaluate(objects: AssignedObjects): RequirementResult[];
}

const BUSINESS_FIELDS = [
  "business_name",
  "business_identity",
  "business_industry",
  "business_type",
  "business_registration_identifier",
  "business_registration_number",
  "business_regions_of_operation",
  "website_url",
];
const REPRESENTATIVE_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone_number",
  "business_title",
  "job_position",
];

function filled(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}

/** The end user (or document) of this type that satisfies the most fields. */
function checkFields(
  requirement: { name: string; friendlyName: string; type: string },
  candidates: TrustHubItemRecord[],
  fields: (item: TrustHubItemRecord) => string[],
): RequirementResult {
  const base = {
    friendly_name: requirement.friendlyName,
    object_type: requirement.type,
    requirement_name: requirement.name,
    requirement_friendly_name: requirement.friendlyName,
  };
  const ofType = candidates.filter((item) => item.type === requirement.type);
  if (ofType.length === 0) {
    return {
      ...base,
      passed: false,
      failure_reason: `A ${requirement.friendlyName} (${requirement.type}) is not assigned`,
      valid: [],
      invalid: [],
    };
  }
  const verdicts = ofType.map((item) => {
    const needed = fields(item);
    return {
      valid: needed
        .filter((f) => filled(item.attributes[f]))
        .map((f) => ({ friendly_name: f, object_field: f })),
      invalid: needed
        .filter((f) => !filled(item.attributes[f]))
        .map((f) => ({ friendly_name: f, object_field: f, failure_reason: `${f} is required` })),
    };
  });
  const best = verdicts.reduce((a, b) => (b.invalid.length < a.invalid.length ? b : a));
  const passed = best.invalid.length === 0;
  return {
    ...base,
    passed,
    failure_reason: passed
      ? null
      : `${requirement.friendlyName} is missing ${best.invalid.map((i) => i.object_field).join(", ")}`,
    ...best,
  };
}

function checkProfile(
  requirement: { name: string; friendlyName: string; type: string; policySid: string },
  objects: AssignedObjects,
): RequirementResult {
  const profiles = objects.customerProfiles.filter((p) => p.policySid === requirement.policySid);
  const approved = profiles.find((p) => p.stage === "approved");
  const failure =
    profiles.length === 0
      ? `A ${requirement.friendlyName} is not assigned`
      : approved
        ? null
        : `${requirement.friendlyName} ${profiles[0]?.sid} is not twilio-approved`;
  return {
    friendly_name: requirement.friendlyName,
    object_type: requirement.type,
    requirement_name: requirement.name,
    requirement_friendly_name: requirement.friendlyName,
    passed: failure === null,
    failure_reason: failure,
    valid: approved ? [{ friendly_name: approved.sid, object_field: "customer_profile_sid" }] : [],
    invalid: [],
  };
}

const PRIMARY: PolicyDefinition = {
  sid: PRIMARY_PROFILE_POLICY_SID,
  friendlyName: "Primary Customer Profile of type Business",
  kind: "customer-profile",
  creatableByApi: false,
  requirements: { end_user: [], supporting_document: [], supporting_customer_profiles: [] },
  evaluate: () => [],
};

const SECONDARY: PolicyDefinition = {
  sid: SECONDARY_PROFILE_POLICY_SID,
  friendlyName: "Secondary Customer Profile of type Business",
  kind: "customer-profile",
  creatableByApi: true,
  requirements: {
    end_user: [
      {
        url: "/EndUserTypes/customer_profile_business_information",
        fields: [...BUSINESS_FIELDS, "social_media_profile_urls"],
        type: "customer_profile_business_information",
        name: "Business Information",
        requirement_name: "customer_profile_business_information",
      },
      ...[1, 2].map((n) => ({
        url: `/EndUserTypes/authorized_representative_${n}`,
        fields: REPRESENTATIVE_FIELDS,
        type: `authorized_representative_${n}`,
        name: `Authorized Representative #${n}`,
        requirement_name: `authorized_representative_${n}`,
      })),
    ],
    supporting_trust_products: [],
    supporting_document: [
      [
        {
          description: "Customer Profile HQ Physical Address",
          type: "document",
          name: "Physical Business Address",
          accepted_documents: [
            {
              url: "/SupportingDocumentTypes/customer_profile_address",
              fields: ["address_sids"],
              type: "customer_profile_address",
              name: "Physical Business Address",
            },
          ],
          requirement_name: "customer_profile_address",
        },
      ],
    ],
    supporting_customer_profiles: [
      {
        type: "primary_customer_profile_type_business",
        name: "Primary Customer Profile Bundle",
        requirement_name: "primary_customer_profile",
      },
    ],
  },
  evaluate: (objects) => {
    const address = checkFields(
      {
        name: "customer_profile_address",
        friendlyName: "Physical Business Address",
        type: "customer_profile_address",
      },
      objects.documents,
      () => ["address_sids"],
    );
    // address_sids must name an Address of the account.
    const documents = objects.documents.filter((d) => d.type === "customer_profile_address");
    const pointsAtAddress = documents.some((d) => {
      const sids = d.attributes.address_sids;
      const list = Array.isArray(sids) ? sids : [sids];
      return list.some((sid) => typeof sid === "string" && objects.addressExists(sid));
    });
    if (address.passed && !pointsAtAddress) {
      address.passed = false;
      address.failure_reason = "address_sids names no Address of this account";
      address.invalid = [
        {
          friendly_name: "address_sids",
          object_field: "address_sids",
          failure_reason: "address_sids names no Address of this account",
        },
      ];
      address.valid = [];
    }
    return [
      checkFields(
        {
          name: "customer_profile_business_information",
          friendlyName: "Business Information",
          type: "customer_profile_business_information",
        },
        objects.endUsers,
        () => BUSINESS_FIELDS,
      ),
      checkFields(
        {
          name: "authorized_representative_1",
          friendlyName: "Authorized Representative #1",
          type: "authorized_representative_1",
        },
        objects.endUsers,
        () => REPRESENTATIVE_FIELDS,
      ),
      address,
      checkProfile(
        {
          name: "primary_customer_profile",
          friendlyName: "Primary Customer Profile",
          type: "primary_customer_profile_type_business",
          policySid: PRIMARY_PROFILE_POLICY_SID,
        },
        objects,
      ),
    ];
  },
};

const A2P_TRUST_PRODUCT: PolicyDefinition = {
  sid: A2P_TRUST_PRODUCT_POLICY_SID,
  friendlyName: "A2P Messaging Profile",
  kind: "trust-product",
  creatableByApi: true,
  requirements: {
    end_user: [
      {
        url: "/EndUserTypes/us_a2p_messaging_profile_information",
        fields: ["company_type", "stock_exchange", "stock_ticker"],
        type: "us_a2p_messaging_profile_information",
        name: "US A2P Messaging Profile Information",
        requirement_name: "us_a2p_messaging_profile_information",
      },
    ],
    supporting_trust_products: [],
    supporting_document: [],
    supporting_customer_profiles: [
      {
        type: "secondary_customer_profile_type_business",
        name: "Secondary Customer Profile Bundle",
        requirement_name: "customer_profile",
      },
    ],
  },
  evaluate: (objects) => [
    checkFields(
      {
        name: "us_a2p_messaging_profile_information",
        friendlyName: "US A2P Messaging Profile Information",
        type: "us_a2p_messaging_profile_information",
      },
      objects.endUsers,
      (item) =>
        item.attributes.company_type === "public"
          ? ["company_type", "stock_exchange", "stock_ticker"]
          : ["company_type"],
    ),
    checkProfile(
      {
        name: "customer_profile",
        friendlyName: "Secondary Customer Profile",
        type: "secondary_customer_profile_type_business",
        policySid: SECONDARY_PROFILE_POLICY_SID,
      },
      objects,
    ),
  ],
};

export const POLICIES: readonly PolicyDefinition[] = [PRIMARY, SECONDARY, A2P_TRUST_PRODUCT];

export function policyBySid(sid: string): PolicyDefinition | undefined {
  return POLICIES.find((policy) => policy.sid === sid);
}
