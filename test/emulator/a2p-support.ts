/**
 * The US A2P 10DLC ISV flow through the twilio SDK, step by step as Twilio's onboarding guide
 * describes it, for the emulator's A2P suites: a secondary customer profile, an A2P trust product,
 * a brand registration and a campaign, with the admin API playing the reviewer.
 */
import { expect } from "vitest";
import {
  A2P_TRUST_PRODUCT_POLICY_SID,
  SECONDARY_PROFILE_POLICY_SID,
} from "../../src/emulator/models/trust-hub-policies";
import type { TwilioClient } from "../../src/twilio/client";
import type { TestEmulator } from "./helpers";

export const BUSINESS_ATTRIBUTES = {
  business_name: "Acme Dental Clinic LLC",
  business_identity: "direct_customer",
  business_industry: "HEALTHCARE",
  business_type: "Limited Liability Corporation",
  business_registration_identifier: "EIN",
  business_registration_number: "12-3456789",
  business_regions_of_operation: "USA_AND_CANADA",
  website_url: "https://acme-dental.example",
};

export const REPRESENTATIVE_ATTRIBUTES = {
  first_name: "Ada",
  last_name: "Lovelace",
  email: "ada@acme-dental.example",
  phone_number: "+12065550100",
  business_title: "Owner",
  job_position: "Director",
};

export const CAMPAIGN = {
  description: "Appointment reminders and confirmations sent to the clinic's patients.",
  messageFlow: "Patients opt in on the booking form at acme-dental.example/book by ticking a box.",
  messageSamples: [
    "Acme Dental: your appointment is tomorrow at 10:00. Reply STOP to opt out.",
    "Acme Dental: your appointment is confirmed. Reply HELP for help.",
  ],
  usAppToPersonUsecase: "ACCOUNT_NOTIFICATION",
  hasEmbeddedLinks: false,
  hasEmbeddedPhone: false,
};

export async function admin(t: TestEmulator, path: string, body?: unknown) {
  const response = await t.raw("POST", `/__emulator${path}`, {
    auth: null,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response;
}

/** A secondary customer profile with everything its policy needs, evaluated; not submitted. */
export async function draftCustomerProfile(t: TestEmulator, client: TwilioClient, name = "Acme") {
  const trusthub = client.trusthub.v1;
  const address = await client.addresses.create({
    customerName: `${name} Dental Clinic LLC`,
    street: "1 Main St",
    city: "Seattle",
    region: "WA",
    postalCode: "98101",
    isoCountry: "US",
  });
  const profile = await trusthub.customerProfiles.create({
    friendlyName: `${name} secondary profile`,
    email: "compliance@platform.example",
    policySid: SECONDARY_PROFILE_POLICY_SID,
  });
  const business = await trusthub.endUsers.create({
    friendlyName: `${name} business`,
    type: "customer_profile_business_information",
    attributes: BUSINESS_ATTRIBUTES,
  });
  const representative = await trusthub.endUsers.create({
    friendlyName: `${name} representative`,
    type: "authorized_representative_1",
    attributes: REPRESENTATIVE_ATTRIBUTES,
  });
  const document = await trusthub.supportingDocuments.create({
    friendlyName: `${name} address`,
    type: "customer_profile_address",
    attributes: { address_sids: address.sid },
  });
  const primary = t.emulator.state.compliance.primaryCustomerProfileSid;
  for (const objectSid of [business.sid, representative.sid, document.sid, primary]) {
    await trusthub
      .customerProfiles(profile.sid)
      .customerProfilesEntityAssignments.create({ objectSid });
  }
  return { profile, address, business, representative, document };
}

/** Evaluates and submits a customer profile, then has the admin API approve it. */
export async function approvedCustomerProfile(
  t: TestEmulator,
  client: TwilioClient,
  name = "Acme",
) {
  const { profile } = await draftCustomerProfile(t, client, name);
  const evaluation = await client.trusthub.v1
    .customerProfiles(profile.sid)
    .customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
  expect(evaluation.status).toBe("compliant");
  await client.trusthub.v1.customerProfiles(profile.sid).update({ status: "pending-review" });
  expect((await admin(t, `/compliance/${profile.sid}/approve`)).status).toBe(200);
  return profile;
}

/** An A2P trust product for an approved profile, submitted and approved. */
export async function approvedTrustProduct(
  t: TestEmulator,
  client: TwilioClient,
  profileSid: string,
) {
  const trusthub = client.trusthub.v1;
  const product = await trusthub.trustProducts.create({
    friendlyName: "Acme A2P profile",
    email: "compliance@platform.example",
    policySid: A2P_TRUST_PRODUCT_POLICY_SID,
  });
  const messagingProfile = await trusthub.endUsers.create({
    friendlyName: "Acme messaging profile",
    type: "us_a2p_messaging_profile_information",
    attributes: { company_type: "private" },
  });
  for (const objectSid of [messagingProfile.sid, profileSid]) {
    await trusthub.trustProducts(product.sid).trustProductsEntityAssignments.create({ objectSid });
  }
  const evaluation = await trusthub
    .trustProducts(product.sid)
    .trustProductsEvaluations.create({ policySid: A2P_TRUST_PRODUCT_POLICY_SID });
  expect(evaluation.status).toBe("compliant");
  await trusthub.trustProducts(product.sid).update({ status: "pending-review" });
  expect((await admin(t, `/compliance/${product.sid}/approve`)).status).toBe(200);
  return product;
}

/** An approved brand on an approved profile and trust product. */
export async function approvedBrand(t: TestEmulator, client: TwilioClient, name = "Acme") {
  const profile = await approvedCustomerProfile(t, client, name);
  const product = await approvedTrustProduct(t, client, profile.sid);
  const brand = await client.messaging.v1.brandRegistrations.create({
    customerProfileBundleSid: profile.sid,
    a2PProfileBundleSid: product.sid,
  });
  expect((await admin(t, `/compliance/${brand.sid}/approve`)).status).toBe(200);
  return brand;
}

/** A Messaging Service whose pool holds one number bought in `areaCode`. */
export async function serviceWithNumber(client: TwilioClient, areaCode: string) {
  const service = await client.messaging.v1.services.create({ friendlyName: `svc ${areaCode}` });
  const number = await client.incomingPhoneNumbers.create({ areaCode });
  await client.messaging.v1
    .services(service.sid)
    .phoneNumbers.create({ phoneNumberSid: number.sid });
  return { service, number };
}
