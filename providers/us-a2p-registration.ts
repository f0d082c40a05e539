/**
 * An account's US A2P 10DLC registration as one reconciling dynamic resource: the secondary
 * customer profile (with its business and representative end users, address and supporting
 * document), the A2P trust product, the brand registration and the campaign on the account's
 * Messaging Service (Twilio's ISV flow; docs/a2p.md).
 *
 * Reviews take days, outside any `pulumi up`, so the resource never waits: `create` and `update`
 * perform the steps the chain allows now (src/a2p/chain.ts: each link needs the one before it
 * approved) and record where it stands; `read` (every refresh: `npm run pulumi -- up` refreshes)
 * picks up the review states; `diff` reports a change when the YAML changed or when a refreshed
 * state allows a next step, so the next `up` continues the chain by itself.
 *
 * Crash-only: a killed `up` never registers anything twice. Trust Hub objects and the address carry
 * a marker in their friendly name (creation-markers.ts) and are looked up before being created; a
 * brand is found by the profile it names, a campaign by its Messaging Service (one per service).
 *
 * Personal data (the tax id, the representative's email and phone) travels in the input
 * `personal`, which the program makes a Pulumi secret: the engine keeps it encrypted in the state
 * (inputs and the same-named output), and nothing here prints it.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { Twilio } from "twilio";
import {
  type Changes,
  campaignStatusOf,
  isActionable,
  type Link,
  nextStep,
  type Observed,
  type RegistrationState,
  type Step,
} from "../src/a2p/chain";
import { describeStep } from "../src/a2p/describe";
import type { UsA2pConfig } from "../src/config/schema";
import { backoffDelayMs, sleep } from "../src/util/backoff";
import {
  CREATE_ATTEMPTS,
  createOnce,
  type MarkedObject,
  type MarkerIndex,
  markerIndexOf,
  withMarker,
} from "./creation-markers";
import { providerStub } from "./implementation";
import {
  describeTwilioFailure,
  isNotFound,
  isRetryable,
  isTwilioOperationError,
  twilioCall,
  twilioOperationError,
} from "./twilio-errors";
import { configureFromStack, twilioSession } from "./twilio-session";

/** Twilio's policy SIDs, the same in every account (Trust Hub API overview). */
export const SECONDARY_PROFILE_POLICY_SID = "RNdfbf3fae0e1107f8aded0e7cead80bf5";
export const PRIMARY_PROFILE_POLICY_SID = "RN6433641899984f951173ef1738c3bdd0";
export const A2P_TRUST_PRODUCT_POLICY_SID = "RNb0d4771c2c98518d916a3d4cd70a8f8b";

type Brand = UsA2pConfig["brand"];
type Representative = Brand["representative"];

/** The brand without its personal data. */
export type PublicBrand = Omit<Brand, "taxId" | "representative"> & {
  representative: Omit<Representative, "email" | "phone">;
};

/** The personal data, a Pulumi secret in the program. */
export interface PersonalData {
  taxId: string;
  email: string;
  phone: string;
}

export interface UsA2pInputs {
  accountId: string;
  accountName: string;
  /** `tm-` and 8 hex digits: ties the Twilio objects to this resource across crashes. */
  marker: string;
  /** The account's Messaging Service (its id, known across updates). */
  serviceSid: string;
  brand: PublicBrand;
  personal: PersonalData;
  campaign: UsA2pConfig["campaign"];
}

/** The SIDs of the objects behind the chain's links. */
export interface UsA2pSids {
  addressSid?: string;
  businessSid?: string;
  representativeSid?: string;
  documentSid?: string;
  messagingProfileSid?: string;
  profileSid?: string;
  trustProductSid?: string;
  brandSid?: string;
  campaignSid?: string;
}

export type UsA2pOutputs = UsA2pInputs &
  UsA2pSids & {
    /** Each link as Twilio last reported it (a refresh updates it). */
    state: RegistrationState;
    /**
     * The links as the last `up` left them. A refresh that finds another state (an approval, a
     * rejection) makes `diff` report a change, so the next up records it and the plan's preview
     * holds the refreshed state of every registration whose review moved.
     */
    reviewed?: RegistrationState;
    /** The campaign's status (`VERIFIED` lets US numbers deliver), null before it exists. */
    campaignStatus: string | null;
    /** The next step in words ("waiting for brand (IN_REVIEW since 2026-12-01)"). */
    next: string;
  };

/** A role's own marker, derived from the resource's: one per Trust Hub object. */
export function roleMarker(marker: string, role: string): string {
  return `tm-${createHash("sha256").update(`${marker}/${role}`).digest("hex").slice(0, 8)}`;
}

function describe(inputs: Pick<UsA2pInputs, "accountId">): string {
  return `the US A2P registration of account ${inputs.accountId}`;
}

/** Twilio's friendly names allow 64 characters: a short label, then the marker (14). */
function label(inputs: UsA2pInputs, what: string): string {
  return `${inputs.brand.legalName.slice(0, 30).trim()} ${what}`;
}

function isoOf(date: Date | string | null | undefined): string {
  if (date instanceof Date) return date.toISOString();
  return typeof date === "string" ? date : new Date(0).toISOString();
}

/** The first error description Twilio gives (bundles, brands, campaigns: `errors[]`). */
function reasonOf(errors: unknown, failureReason?: string | null): string | undefined {
  if (failureReason) return failureReason;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const descriptions = errors
    .map((e) => (e && typeof e === "object" ? (e as { description?: unknown }).description : e))
    .filter((d): d is string => typeof d === "string" && d !== "");
  return descriptions.length > 0 ? descriptions.join("; ") : undefined;
}

// ---------------------------------------------------------------------------------------------
// What is sent to Twilio
// ---------------------------------------------------------------------------------------------

function businessAttributes(inputs: UsA2pInputs) {
  const { brand, personal } = inputs;
  return {
    business_name: brand.legalName,
    business_identity: "direct_customer",
    business_industry: brand.industry,
    business_type: brand.businessType,
    business_registration_identifier: brand.taxIdType,
    business_registration_number: personal.taxId,
    business_regions_of_operation: brand.regionsOfOperation,
    website_url: brand.website,
  };
}

function representativeAttributes(inputs: UsA2pInputs) {
  const { representative } = inputs.brand;
  return {
    first_name: representative.firstName,
    last_name: representative.lastName,
    email: inputs.personal.email,
    phone_number: inputs.personal.phone,
    business_title: representative.title,
    job_position: representative.jobPosition,
  };
}

function messagingProfileAttributes(inputs: UsA2pInputs) {
  const { brand } = inputs;
  return brand.companyType === "public"
    ? {
        company_type: brand.companyType,
        stock_exchange: brand.stockExchange,
        stock_ticker: brand.stockTicker,
      }
    : { company_type: brand.companyType };
}

function campaignParams(inputs: UsA2pInputs, brandSid: string) {
  const c = inputs.campaign;
  return {
    brandRegistrationSid: brandSid,
    description: c.description,
    messageFlow: c.messageFlow,
    messageSamples: c.samples,
    usAppToPersonUsecase: c.useCase,
    hasEmbeddedLinks: c.hasEmbeddedLinks,
    hasEmbeddedPhone: c.hasEmbeddedPhone,
    ...(c.optInKeywords ? { optInKeywords: c.optInKeywords } : {}),
    ...(c.optOutKeywords ? { optOutKeywords: c.optOutKeywords } : {}),
    ...(c.helpKeywords ? { helpKeywords: c.helpKeywords } : {}),
    ...(c.optInMessage ? { optInMessage: c.optInMessage } : {}),
    ...(c.optOutMessage ? { optOutMessage: c.optOutMessage } : {}),
    ...(c.helpMessage ? { helpMessage: c.helpMessage } : {}),
  };
}

/** What changed between what Twilio holds (the outputs) and the YAML. */
export function changesBetween(olds: Partial<UsA2pInputs> | undefined, news: UsA2pInputs): Changes {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    brand:
      olds !== undefined && !(same(olds.brand, news.brand) && same(olds.personal, news.personal)),
    campaign: olds !== undefined && !same(olds.campaign, news.campaign),
  };
}

// ---------------------------------------------------------------------------------------------
// Lookups (crash-only creates)
// ---------------------------------------------------------------------------------------------

function indexes(client: Twilio) {
  const th = client.trusthub.v1;
  return {
    profiles: markerIndexOf(client, "customer profiles", () =>
      th.customerProfiles.list({ pageSize: 1000 }),
    ),
    trustProducts: markerIndexOf(client, "trust products", () =>
      th.trustProducts.list({ pageSize: 1000 }),
    ),
    endUsers: markerIndexOf(client, "end users", () => th.endUsers.list({ pageSize: 1000 })),
    documents: markerIndexOf(client, "supporting documents", () =>
      th.supportingDocuments.list({ pageSize: 1000 }),
    ),
    addresses: markerIndexOf(client, "addresses", async () =>
      (await client.addresses.list({ pageSize: 1000 })).map((a) => ({
        ...a,
        sid: a.sid,
        friendlyName: a.friendlyName ?? "",
      })),
    ),
  };
}

/**
 * Creates an object that carries no marker (a brand, a campaign) at most once: `find` looks for
 * one an earlier attempt or run made before every attempt. A 5xx or a dropped connection leaves
 * the outcome unknown, so the next attempt looks again first; a 429 is retried as is.
 */
async function findOrCreate<T>(
  action: string,
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    try {
      return (await find()) ?? (await create());
    } catch (error) {
      if (isTwilioOperationError(error)) throw error;
      if (!isRetryable(error)) throw describeTwilioFailure(action, error);
      lastError = error;
      await sleep(backoffDelayMs(attempt));
    }
  }
  throw describeTwilioFailure(`${action} (after ${CREATE_ATTEMPTS} attempts)`, lastError);
}

// ---------------------------------------------------------------------------------------------
// Observing the chain
// ---------------------------------------------------------------------------------------------

async function fetchOrGone<T>(action: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw describeTwilioFailure(action, error);
  }
}

/** Each link's state as Twilio holds it now (a link whose object is gone is left out). */
async function observe(client: Twilio, sids: UsA2pSids, serviceSid: string) {
  const state: RegistrationState = {};
  const found: UsA2pSids = { ...sids };
  const th = client.trusthub.v1;
  if (sids.profileSid) {
    const p = await fetchOrGone("read the customer profile", () =>
      th.customerProfiles(sids.profileSid as string).fetch(),
    );
    if (p) state.profile = observed(p.sid, p.status, p.dateUpdated, reasonOf(p.errors));
    else found.profileSid = undefined;
  }
  if (sids.trustProductSid) {
    const t = await fetchOrGone("read the A2P trust product", () =>
      th.trustProducts(sids.trustProductSid as string).fetch(),
    );
    if (t) state.trustProduct = observed(t.sid, t.status, t.dateUpdated, reasonOf(t.errors));
    else found.trustProductSid = undefined;
  }
  if (sids.brandSid) {
    const b = await fetchOrGone("read the brand registration", () =>
      client.messaging.v1.brandRegistrations(sids.brandSid as string).fetch(),
    );
    if (b)
      state.brand = observed(b.sid, b.status, b.dateUpdated, reasonOf(b.errors, b.failureReason));
    else found.brandSid = undefined;
  }
  // The campaign of the service as it is now: a service made anew has none.
  const campaigns = await fetchOrGone("list the Messaging Service's campaigns", () =>
    client.messaging.v1.services(serviceSid).usAppToPerson.list({ limit: 20 }),
  );
  const campaign = campaigns?.find(
    (c) => !sids.brandSid || c.brandRegistrationSid === sids.brandSid,
  );
  if (campaign && found.brandSid) {
    state.campaign = observed(
      campaign.sid,
      campaign.campaignStatus,
      campaign.dateUpdated,
      reasonOf(campaign.errors),
    );
    found.campaignSid = campaign.sid;
  } else {
    found.campaignSid = undefined;
  }
  return { state, sids: found };
}

function observed(sid: string, status: string, date: Date, reason: string | undefined): Observed {
  return { sid, status, since: isoOf(date), ...(reason ? { reason } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The steps
// ---------------------------------------------------------------------------------------------

class Chain {
  private readonly client: Twilio;
  private readonly idx: ReturnType<typeof indexes>;

  constructor(
    private readonly inputs: UsA2pInputs,
    public sids: UsA2pSids,
  ) {
    this.client = twilioSession().client;
    this.idx = indexes(this.client);
  }

  private what(action: string): string {
    return `${action} for ${describe(this.inputs)}`;
  }

  private async marked<T extends MarkedObject>(
    index: MarkerIndex<T>,
    role: string,
    what: string,
    create: (friendlyName: string) => Promise<T>,
    adopt: (existing: T) => Promise<T> = async (existing) => existing,
  ): Promise<T> {
    const marker = roleMarker(this.inputs.marker, role);
    return createOnce({
      action: this.what(`create the ${what}`),
      what,
      marker,
      index,
      adopt,
      create: () => create(withMarker(label(this.inputs, role), marker)),
    });
  }

  private async endUser(role: string, type: string, attributes: Record<string, unknown>) {
    const th = this.client.trusthub.v1;
    const user = await this.marked(
      this.idx.endUsers,
      role,
      `${role} end user`,
      (friendlyName) => th.endUsers.create({ friendlyName, type, attributes }),
      // Found from an earlier run: its attributes are brought to the YAML's.
      (existing) => th.endUsers(existing.sid).update({ attributes }),
    );
    return user.sid;
  }

  /** The secondary customer profile with its business, representative and address, evaluated. */
  async createProfile(): Promise<void> {
    const th = this.client.trusthub.v1;
    const { brand } = this.inputs;
    const address = await this.marked(this.idx.addresses, "address", "address", (friendlyName) =>
      this.client.addresses.create({
        friendlyName,
        customerName: brand.legalName,
        street: brand.address.street,
        city: brand.address.city,
        region: brand.address.region,
        postalCode: brand.address.postalCode,
        isoCountry: brand.address.country,
      }),
    );
    this.sids.addressSid = address.sid;
    this.sids.businessSid = await this.endUser(
      "business",
      "customer_profile_business_information",
      businessAttributes(this.inputs),
    );
    this.sids.representativeSid = await this.endUser(
      "representative",
      "authorized_representative_1",
      representativeAttributes(this.inputs),
    );
    const document = await this.marked(
      this.idx.documents,
      "address-document",
      "address document",
      (friendlyName) =>
        th.supportingDocuments.create({
          friendlyName,
          type: "customer_profile_address",
          attributes: { address_sids: address.sid },
        }),
    );
    this.sids.documentSid = document.sid;
    const profile = await this.marked(
      this.idx.profiles,
      "profile",
      "customer profile",
      (friendlyName) =>
        th.customerProfiles.create({
          friendlyName,
          email: brand.contactEmail,
          policySid: SECONDARY_PROFILE_POLICY_SID,
        }),
    );
    this.sids.profileSid = profile.sid;
    const primary = await this.primaryProfileSid();
    await this.assign("profile", [
      this.sids.businessSid,
      this.sids.representativeSid,
      document.sid,
      primary,
    ]);
  }

  private async primaryProfileSid(): Promise<string> {
    const primaries = await twilioCall(this.what("find the primary customer profile"), () =>
      this.client.trusthub.v1.customerProfiles.list({
        policySid: PRIMARY_PROFILE_POLICY_SID,
        status: "twilio-approved",
        limit: 20,
      }),
    );
    const primary = primaries[0];
    if (!primary)
      throw twilioOperationError(
        `could not register ${describe(this.inputs)}: the Twilio account has no approved primary customer profile (an ISV makes it once, in the Twilio Console: Trust Hub)`,
      );
    return primary.sid;
  }

  /** Assigns what is not assigned yet (an earlier run may have assigned some). */
  private async assign(link: "profile" | "trustProduct", objectSids: string[]): Promise<void> {
    const th = this.client.trusthub.v1;
    const sid = (link === "profile" ? this.sids.profileSid : this.sids.trustProductSid) as string;
    const list = (): Promise<{ objectSid: string }[]> =>
      link === "profile"
        ? th.customerProfiles(sid).customerProfilesEntityAssignments.list({ pageSize: 100 })
        : th.trustProducts(sid).trustProductsEntityAssignments.list({ pageSize: 100 });
    const create = (objectSid: string): Promise<unknown> =>
      link === "profile"
        ? th.customerProfiles(sid).customerProfilesEntityAssignments.create({ objectSid })
        : th.trustProducts(sid).trustProductsEntityAssignments.create({ objectSid });
    const present = new Set(
      (await twilioCall(this.what(`list the ${link}'s assignments`), list)).map((a) => a.objectSid),
    );
    for (const objectSid of objectSids) {
      if (present.has(objectSid)) continue;
      // Assigning twice is refused by Twilio, never doubled: a retry after a lost answer is safe.
      await twilioCall(this.what(`assign ${objectSid} to the ${link}`), () => create(objectSid));
    }
  }

  /** Evaluates and submits a bundle; a failed evaluation is reported with what it lacks. */
  async submit(link: "profile" | "trustProduct"): Promise<void> {
    const th = this.client.trusthub.v1;
    const sid = (link === "profile" ? this.sids.profileSid : this.sids.trustProductSid) as string;
    const evaluation: { status: string; results: unknown } = await twilioCall(
      this.what(`evaluate the ${link}`),
      (): Promise<{ status: string; results: unknown }> =>
        link === "profile"
          ? th
              .customerProfiles(sid)
              .customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID })
          : th
              .trustProducts(sid)
              .trustProductsEvaluations.create({ policySid: A2P_TRUST_PRODUCT_POLICY_SID }),
    );
    if (evaluation.status !== "compliant") {
      const results = Array.isArray(evaluation.results) ? evaluation.results : [];
      const failing = results
        .filter((r: { passed?: boolean }) => r && r.passed === false)
        .map((r: { failure_reason?: string }) => r.failure_reason ?? "a requirement failed");
      throw twilioOperationError(
        `could not submit the ${link} of ${describe(this.inputs)}: Twilio's evaluation is ${evaluation.status} (${failing.join("; ") || "no detail"})`,
      );
    }
    await twilioCall(
      this.what(`submit the ${link}`),
      (): Promise<unknown> =>
        link === "profile"
          ? th.customerProfiles(sid).update({ status: "pending-review" })
          : th.trustProducts(sid).update({ status: "pending-review" }),
    );
  }

  async createTrustProduct(): Promise<void> {
    const th = this.client.trusthub.v1;
    this.sids.messagingProfileSid = await this.endUser(
      "messaging-profile",
      "us_a2p_messaging_profile_information",
      messagingProfileAttributes(this.inputs),
    );
    const product = await this.marked(
      this.idx.trustProducts,
      "trust-product",
      "A2P trust product",
      (friendlyName) =>
        th.trustProducts.create({
          friendlyName,
          email: this.inputs.brand.contactEmail,
          policySid: A2P_TRUST_PRODUCT_POLICY_SID,
        }),
    );
    this.sids.trustProductSid = product.sid;
    await this.assign("trustProduct", [
      this.sids.messagingProfileSid,
      this.sids.profileSid as string,
    ]);
  }

  /** Brings the end users to the YAML's fields (a correction after a rejection). */
  async pushBrandFields(): Promise<void> {
    await this.endUser(
      "business",
      "customer_profile_business_information",
      businessAttributes(this.inputs),
    );
    await this.endUser(
      "representative",
      "authorized_representative_1",
      representativeAttributes(this.inputs),
    );
    await this.endUser(
      "messaging-profile",
      "us_a2p_messaging_profile_information",
      messagingProfileAttributes(this.inputs),
    );
  }

  async createBrand(): Promise<void> {
    const messaging = this.client.messaging.v1;
    const profileSid = this.sids.profileSid as string;
    const productSid = this.sids.trustProductSid as string;
    const brand = await findOrCreate(
      this.what("register the brand"),
      async () => {
        const brands = (await messaging.brandRegistrations.list({ pageSize: 1000 })).filter(
          (b) => b.customerProfileBundleSid === profileSid,
        );
        if (brands.length > 1)
          throw twilioOperationError(
            `could not register the brand of ${describe(this.inputs)}: ${brands.length} brands name its customer profile ${profileSid} (${brands.map((b) => b.sid).join(", ")}); refusing to guess`,
          );
        return brands[0];
      },
      () =>
        messaging.brandRegistrations.create({
          customerProfileBundleSid: profileSid,
          a2PProfileBundleSid: productSid,
        }),
    );
    this.sids.brandSid = brand.sid;
  }

  async resubmitBrand(): Promise<void> {
    await this.pushBrandFields();
    const brandSid = this.sids.brandSid as string;
    await twilioCall(this.what("resubmit the brand"), () =>
      this.client.messaging.v1.brandRegistrations(brandSid).update(),
    );
  }

  async createCampaign(): Promise<void> {
    const { serviceSid } = this.inputs;
    const service = this.client.messaging.v1.services(serviceSid);
    const campaign = await findOrCreate(
      this.what("register the campaign"),
      async () => (await service.usAppToPerson.list({ limit: 20 }))[0],
      () => service.usAppToPerson.create(campaignParams(this.inputs, this.sids.brandSid as string)),
    );
    this.sids.campaignSid = campaign.sid;
  }

  async deleteCampaign(): Promise<void> {
    const sid = this.sids.campaignSid as string;
    try {
      await this.client.messaging.v1.services(this.inputs.serviceSid).usAppToPerson(sid).remove();
    } catch (error) {
      if (!isNotFound(error))
        throw describeTwilioFailure(this.what("delete the failed campaign"), error);
    }
    this.sids.campaignSid = undefined;
  }

  async updateCampaign(): Promise<void> {
    const {
      brandRegistrationSid: _brand,
      usAppToPersonUsecase: _usecase,
      ...fields
    } = campaignParams(this.inputs, this.sids.brandSid as string);
    const sid = this.sids.campaignSid as string;
    await twilioCall(this.what("update the campaign"), () =>
      this.client.messaging.v1
        .services(this.inputs.serviceSid)
        .usAppToPerson(sid)
        .update({ ...fields, ageGated: false, directLending: false }),
    );
  }

  async perform(step: Step): Promise<void> {
    switch (step.kind) {
      case "create":
        if (step.link === "profile") return this.createProfile();
        if (step.link === "trustProduct") return this.createTrustProduct();
        if (step.link === "brand") return this.createBrand();
        return this.createCampaign();
      case "submit":
        return this.submit(step.link);
      case "resubmit":
        if (step.link === "brand") return this.resubmitBrand();
        await this.pushBrandFields();
        return this.submit(step.link);
      case "recreate":
        await this.deleteCampaign();
        return this.createCampaign();
      case "update":
        return step.link === "brand" ? this.pushBrandFields() : this.updateCampaign();
      default:
        return;
    }
  }
}

/** Links whose object a step made or changed: the last submission now holds the YAML's fields. */
const BRAND_LINKS: readonly Link[] = ["profile", "trustProduct", "brand"];

/**
 * Performs every step the chain allows now, observing Twilio after each (a submission may be
 * decided at once, on the emulator), and returns the outputs. Never waits for a review.
 */
async function advance(inputs: UsA2pInputs, olds: UsA2pOutputs | undefined): Promise<UsA2pOutputs> {
  const { client } = twilioSession();
  const chain = new Chain(inputs, olds ? sidsOf(olds) : {});
  const changes = changesBetween(olds, inputs);
  // What Twilio holds of the declared fields: the olds', until a step sends the YAML's.
  let held = { brand: olds?.brand, personal: olds?.personal, campaign: olds?.campaign };
  let { state, sids } = await observe(client, chain.sids, inputs.serviceSid);
  chain.sids = sids;
  // A create after a crash: the objects an earlier run made are found by their markers.
  for (let steps = 0; steps < 16; steps++) {
    const step = nextStep(state, changes);
    if (
      !isActionable(step) ||
      step.kind === "done" ||
      step.kind === "wait" ||
      step.kind === "blocked"
    )
      break;
    // Corrected brand fields go to the end users before the next brand step uses them.
    if (changes.brand && BRAND_LINKS.includes(step.link) && step.kind !== "resubmit")
      await chain.pushBrandFields();
    await chain.perform(step);
    if (BRAND_LINKS.includes(step.link)) {
      held = { ...held, brand: inputs.brand, personal: inputs.personal };
      changes.brand = false;
    } else {
      held = { ...held, campaign: inputs.campaign };
      changes.campaign = false;
    }
    ({ state, sids } = await observe(client, chain.sids, inputs.serviceSid));
    chain.sids = sids;
  }
  // Nothing registered yet holds no fields that could differ from the YAML.
  if (!state.profile) held = { ...held, brand: inputs.brand, personal: inputs.personal };
  if (!state.campaign) held = { ...held, campaign: inputs.campaign };
  return outputsOf(
    {
      ...inputs,
      brand: held.brand ?? inputs.brand,
      personal: held.personal ?? inputs.personal,
      campaign: held.campaign ?? inputs.campaign,
    },
    chain.sids,
    state,
    changesBetween({ ...held } as Partial<UsA2pInputs>, inputs),
  );
}

function sidsOf(outputs: UsA2pOutputs): UsA2pSids {
  const {
    addressSid,
    businessSid,
    representativeSid,
    documentSid,
    messagingProfileSid,
    profileSid,
    trustProductSid,
    brandSid,
    campaignSid,
  } = outputs;
  return Object.fromEntries(
    Object.entries({
      addressSid,
      businessSid,
      representativeSid,
      documentSid,
      messagingProfileSid,
      profileSid,
      trustProductSid,
      brandSid,
      campaignSid,
    }).filter(([, v]) => typeof v === "string" && v !== ""),
  ) as UsA2pSids;
}

function outputsOf(
  held: UsA2pInputs,
  sids: UsA2pSids,
  state: RegistrationState,
  changes: Changes,
  reviewed?: RegistrationState,
): UsA2pOutputs {
  return {
    ...held,
    ...sidsOf(sids as UsA2pOutputs),
    state,
    reviewed: reviewed ?? state,
    campaignStatus: campaignStatusOf(state),
    next: describeStep(nextStep(state, changes)),
  };
}

export const usA2pRegistrationProvider: pulumi.dynamic.ResourceProvider<UsA2pInputs, UsA2pOutputs> =
  {
    configure: configureFromStack,

    async diff(_id, olds, news) {
      const changes = changesBetween(olds, news);
      const serviceChanged = olds.serviceSid !== news.serviceSid;
      // The outputs hold the refreshed review states: a step they allow now is a change to make.
      const step = nextStep(olds.state ?? {}, changes);
      const reviewMoved =
        olds.reviewed !== undefined && JSON.stringify(olds.reviewed) !== JSON.stringify(olds.state);
      return {
        changes:
          changes.brand || changes.campaign || serviceChanged || reviewMoved || isActionable(step),
        replaces: [],
      };
    },

    async create(inputs) {
      const outs = await advance(inputs, undefined);
      // The id names the account's registration; the Twilio SIDs are in the outputs.
      return { id: `usa2p-${inputs.marker}`, outs };
    },

    async read(id, props) {
      if (!props) return { id, props: {} as UsA2pOutputs };
      const { client } = twilioSession();
      const { state, sids } = await observe(client, sidsOf(props), props.serviceSid);
      return {
        id,
        props: outputsOf(props, sids, state, { brand: false, campaign: false }, props.reviewed),
      };
    },

    async update(_id, olds, news) {
      return { outs: await advance(news, olds) };
    },

    // Nothing is deleted in Twilio: a registration costs money and days of review, and Trust Hub
    // keeps approved bundles. Removing compliance.usA2p only stops managing it (docs/a2p.md).
    async delete() {},
  };

/** The US A2P 10DLC registration of one account. */
export class UsA2pRegistration extends pulumi.dynamic.Resource {
  declare readonly campaignStatus: pulumi.Output<string | null>;
  declare readonly next: pulumi.Output<string>;
  declare readonly state: pulumi.Output<RegistrationState>;

  constructor(
    name: string,
    inputs: { [K in keyof UsA2pInputs]: pulumi.Input<UsA2pInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      providerStub("usA2pRegistration"),
      name,
      { ...inputs, campaignStatus: undefined, next: undefined, state: undefined },
      opts,
      "twilio",
      "UsA2pRegistration",
    );
  }
}
