import { describe, expect, it } from "vitest";
import {
  A2P_TRUST_PRODUCT_POLICY_SID,
  PRIMARY_PROFILE_POLICY_SID,
  SECONDARY_PROFILE_POLICY_SID,
} from "../../src/emulator/models/trust-hub-policies";
import {
  admin,
  approvedCustomerProfile,
  approvedTrustProduct,
  draftCustomerProfile,
} from "./a2p-support";
import { twilioErrorOf, useEmulator } from "./helpers";

describe("Trust Hub customer profiles through the twilio SDK (the ISV secondary profile)", () => {
  const t = useEmulator();

  it("a profile with everything its policy needs evaluates compliant, then goes through review to twilio-approved", async () => {
    const client = t.client();
    const { profile, business } = await draftCustomerProfile(t, client);
    expect(profile).toMatchObject({
      status: "draft",
      policySid: SECONDARY_PROFILE_POLICY_SID,
      validUntil: null,
    });
    expect(profile.sid).toMatch(/^BU[0-9a-f]{32}$/);
    expect(profile.links.customer_profiles_entity_assignments).toBe(
      `https://trusthub.twilio.com/v1/CustomerProfiles/${profile.sid}/EntityAssignments`,
    );
    expect((await client.trusthub.v1.endUsers(business.sid).fetch()).attributes).toMatchObject({
      business_name: "Acme Dental Clinic LLC",
    });
    const assigned = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEntityAssignments.list();
    expect(assigned).toHaveLength(4);
    const endUsersOnly = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEntityAssignments.list({ objectType: "end_user" });
    expect(endUsersOnly).toHaveLength(2);

    const evaluation = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    expect(evaluation.status).toBe("compliant");
    expect(evaluation.sid).toMatch(/^EL/);
    expect(
      (
        await client.trusthub.v1
          .customerProfiles(profile.sid)
          .customerProfilesEvaluations(evaluation.sid)
          .fetch()
      ).status,
    ).toBe("compliant");

    const submitted = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .update({ status: "pending-review" });
    expect(submitted.status).toBe("pending-review");
    expect((await admin(t, `/compliance/${profile.sid}/review`)).status).toBe(200);
    expect((await client.trusthub.v1.customerProfiles(profile.sid).fetch()).status).toBe(
      "in-review",
    );
    expect((await admin(t, `/compliance/${profile.sid}/approve`)).status).toBe(200);
    const approved = await client.trusthub.v1.customerProfiles(profile.sid).fetch();
    expect(approved.status).toBe("twilio-approved");
    expect(approved.validUntil).toBeInstanceOf(Date);
    expect(
      (await client.trusthub.v1.customerProfiles.list({ status: "twilio-approved" })).map(
        (p) => p.sid,
      ),
    ).toContain(profile.sid);
  });

  it("a missing requirement or field makes the evaluation noncompliant, naming it; submitting then is refused", async () => {
    const client = t.client();
    const { profile } = await draftCustomerProfile(t, client, "Partial");
    const assignments = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEntityAssignments.list();
    const primary = assignments.find(
      (a) => a.objectSid === t.emulator.state.compliance.primaryCustomerProfileSid,
    );
    await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEntityAssignments(primary?.sid ?? "")
      .remove();
    const incomplete = await client.trusthub.v1.endUsers.create({
      friendlyName: "incomplete representative",
      type: "authorized_representative_1",
      attributes: { first_name: "Only" },
    });
    expect(incomplete.sid).toMatch(/^IT/);
    const evaluation = await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    expect(evaluation.status).toBe("noncompliant");
    const failed = (evaluation.results as { requirement_name: string; passed: boolean }[]).filter(
      (r) => !r.passed,
    );
    expect(failed.map((r) => r.requirement_name)).toEqual(["primary_customer_profile"]);

    expect(
      await twilioErrorOf(
        client.trusthub.v1.customerProfiles(profile.sid).update({ status: "pending-review" }),
      ),
    ).toMatchObject({ status: 400, code: 20001, message: expect.stringMatching(/did not pass/) });
    expect((await client.trusthub.v1.customerProfiles(profile.sid).fetch()).status).toBe("draft");
  });

  it("submitting needs an evaluation of the current assignments; only pending-review may be set", async () => {
    const client = t.client();
    const { profile } = await draftCustomerProfile(t, client, "Unevaluated");
    const profiles = client.trusthub.v1.customerProfiles(profile.sid);
    expect(await twilioErrorOf(profiles.update({ status: "pending-review" }))).toMatchObject({
      code: 20001,
      message: expect.stringMatching(/no evaluation of its current assignments/),
    });
    await profiles.customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    const extra = await client.trusthub.v1.endUsers.create({
      friendlyName: "second representative",
      type: "authorized_representative_2",
      attributes: {},
    });
    await profiles.customerProfilesEntityAssignments.create({ objectSid: extra.sid });
    expect(await twilioErrorOf(profiles.update({ status: "pending-review" }))).toMatchObject({
      message: expect.stringMatching(/no evaluation of its current assignments/),
    });
    expect(await twilioErrorOf(profiles.update({ status: "twilio-approved" }))).toMatchObject({
      code: 20001,
      message: "Status can only be set to pending-review, got 'twilio-approved'",
    });
  });

  it("a rejected profile shows why, can be corrected and resubmitted; assignments are frozen under review", async () => {
    const client = t.client();
    const { profile, representative } = await draftCustomerProfile(t, client, "Rejected");
    const profiles = client.trusthub.v1.customerProfiles(profile.sid);
    await profiles.customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    await profiles.update({ status: "pending-review" });
    expect(
      await twilioErrorOf(
        profiles.customerProfilesEntityAssignments.create({ objectSid: representative.sid }),
      ),
    ).toMatchObject({ code: 20001, message: expect.stringMatching(/pending-review/) });
    expect(await admin(t, `/compliance/${profile.sid}/reject`, {})).toMatchObject({ status: 400 });
    expect(
      (await admin(t, `/compliance/${profile.sid}/reject`, { reason: "Website does not match" }))
        .status,
    ).toBe(200);
    const rejected = await profiles.fetch();
    expect(rejected.status).toBe("twilio-rejected");
    expect(rejected.errors).toEqual([{ description: "Website does not match" }]);

    await client.trusthub.v1.endUsers(representative.sid).update({
      attributes: {
        ...{ first_name: "Ada", last_name: "Lovelace" },
        email: "a@b.example",
        phone_number: "+12065550101",
        business_title: "CEO",
        job_position: "CEO",
      },
    });
    await profiles.customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    expect((await profiles.update({ status: "pending-review" })).status).toBe("pending-review");
    expect((await admin(t, `/compliance/${profile.sid}/approve`)).status).toBe(200);
    expect((await admin(t, `/compliance/${profile.sid}/approve`)).status).toBe(409);
  });

  it("refuses what Twilio refuses: missing parameters, another kind's policy, the Console-only primary, unknown objects", async () => {
    const client = t.client({ retry: false });
    const trusthub = client.trusthub.v1;
    expect(
      await twilioErrorOf(
        trusthub.customerProfiles.create({
          friendlyName: "x",
          email: "x@example.com",
          policySid: A2P_TRUST_PRODUCT_POLICY_SID,
        }),
      ),
    ).toMatchObject({ status: 400, code: 20001 });
    expect(
      await twilioErrorOf(
        trusthub.customerProfiles.create({
          friendlyName: "x",
          email: "x@example.com",
          policySid: PRIMARY_PROFILE_POLICY_SID,
        }),
      ),
    ).toMatchObject({ code: 20001, message: expect.stringMatching(/Twilio Console/) });
    const missing = await t.raw("POST", "/v1/CustomerProfiles", {
      form: { FriendlyName: "x", PolicySid: SECONDARY_PROFILE_POLICY_SID },
    });
    expect(missing).toMatchObject({ status: 400, body: { code: 20001 } });
    expect(
      await twilioErrorOf(trusthub.endUsers.create({ friendlyName: "x", type: "astronaut" })),
    ).toMatchObject({ code: 20001 });
    const badAttributes = await t.raw("POST", "/v1/EndUsers", {
      form: { FriendlyName: "x", Type: "authorized_representative_1", Attributes: "{not json" },
    });
    expect(badAttributes).toMatchObject({ status: 400, body: { code: 20001 } });
    const profile = await trusthub.customerProfiles.create({
      friendlyName: "refusals",
      email: "x@example.com",
      policySid: SECONDARY_PROFILE_POLICY_SID,
    });
    expect(
      await twilioErrorOf(
        trusthub
          .customerProfiles(profile.sid)
          .customerProfilesEntityAssignments.create({ objectSid: `IT${"0".repeat(32)}` }),
      ),
    ).toMatchObject({ code: 20001 });
    expect(
      await twilioErrorOf(
        trusthub
          .customerProfiles(profile.sid)
          .customerProfilesEvaluations.create({ policySid: A2P_TRUST_PRODUCT_POLICY_SID }),
      ),
    ).toMatchObject({ code: 20001 });
    expect(await twilioErrorOf(trusthub.trustProducts(profile.sid).fetch())).toMatchObject({
      status: 404,
      code: 20404,
    });
  });

  it("end users and supporting documents are listed, updated and deleted; policies are served", async () => {
    const client = t.client();
    const trusthub = client.trusthub.v1;
    const user = await trusthub.endUsers.create({
      friendlyName: "lifecycle",
      type: "authorized_representative_2",
      attributes: { first_name: "B" },
    });
    const renamed = await trusthub.endUsers(user.sid).update({ friendlyName: "renamed" });
    expect(renamed.friendlyName).toBe("renamed");
    expect((await trusthub.endUsers.list()).map((u) => u.sid)).toContain(user.sid);
    await trusthub.endUsers(user.sid).remove();
    expect(await twilioErrorOf(trusthub.endUsers(user.sid).fetch())).toMatchObject({ status: 404 });

    const document = await trusthub.supportingDocuments.create({
      friendlyName: "address doc",
      type: "customer_profile_address",
      attributes: { address_sids: "AD00000000000000000000000000000000" },
    });
    expect(document).toMatchObject({ status: "DRAFT", mimeType: null });
    expect((await trusthub.supportingDocuments.list()).map((d) => d.sid)).toContain(document.sid);
    await trusthub.supportingDocuments(document.sid).update({ friendlyName: "renamed doc" });
    await trusthub.supportingDocuments(document.sid).remove();

    const policies = await trusthub.policies.list();
    expect(policies.map((p) => p.sid)).toEqual([
      PRIMARY_PROFILE_POLICY_SID,
      SECONDARY_PROFILE_POLICY_SID,
      A2P_TRUST_PRODUCT_POLICY_SID,
    ]);
    const secondary = await trusthub.policies(SECONDARY_PROFILE_POLICY_SID).fetch();
    expect(JSON.stringify(secondary.requirements)).toContain(
      "customer_profile_business_information",
    );
  });
});

describe("A2P trust products", () => {
  const t = useEmulator();

  it("need an approved customer profile: the evaluation fails while the profile is under review", async () => {
    const client = t.client();
    const { profile } = await draftCustomerProfile(t, client, "Waiting");
    await client.trusthub.v1
      .customerProfiles(profile.sid)
      .customerProfilesEvaluations.create({ policySid: SECONDARY_PROFILE_POLICY_SID });
    await client.trusthub.v1.customerProfiles(profile.sid).update({ status: "pending-review" });

    const product = await client.trusthub.v1.trustProducts.create({
      friendlyName: "early",
      email: "c@example.com",
      policySid: A2P_TRUST_PRODUCT_POLICY_SID,
    });
    const info = await client.trusthub.v1.endUsers.create({
      friendlyName: "messaging profile",
      type: "us_a2p_messaging_profile_information",
      attributes: { company_type: "public" },
    });
    for (const objectSid of [info.sid, profile.sid]) {
      await client.trusthub.v1
        .trustProducts(product.sid)
        .trustProductsEntityAssignments.create({ objectSid });
    }
    const early = await client.trusthub.v1
      .trustProducts(product.sid)
      .trustProductsEvaluations.create({ policySid: A2P_TRUST_PRODUCT_POLICY_SID });
    expect(early.status).toBe("noncompliant");
    const reasons = (early.results as { failure_reason: string | null }[]).map(
      (r) => r.failure_reason,
    );
    expect(reasons.join(" ")).toMatch(/missing stock_exchange, stock_ticker/);
    expect(reasons.join(" ")).toMatch(/not twilio-approved/);

    await admin(t, `/compliance/${profile.sid}/approve`);
    await client.trusthub.v1.endUsers(info.sid).update({
      attributes: { company_type: "public", stock_exchange: "NASDAQ", stock_ticker: "ACME" },
    });
    const later = await client.trusthub.v1
      .trustProducts(product.sid)
      .trustProductsEvaluations.create({ policySid: A2P_TRUST_PRODUCT_POLICY_SID });
    expect(later.status).toBe("compliant");
    expect(
      (await client.trusthub.v1.trustProducts(product.sid).trustProductsEvaluations.list()).length,
    ).toBe(2);
  });

  it("go draft → pending-review → twilio-approved like profiles", async () => {
    const client = t.client();
    const profile = await approvedCustomerProfile(t, client, "Product");
    const product = await approvedTrustProduct(t, client, profile.sid);
    const fetched = await client.trusthub.v1.trustProducts(product.sid).fetch();
    expect(fetched).toMatchObject({
      status: "twilio-approved",
      policySid: A2P_TRUST_PRODUCT_POLICY_SID,
    });
    expect(fetched.links.trust_products_evaluations).toMatch(/\/TrustProducts\/BU.*\/Evaluations$/);
  });
});

describe("Addresses (2010 API)", () => {
  const t = useEmulator();

  it("are created, listed with filters, fetched, updated and deleted", async () => {
    const client = t.client({ retry: false });
    const address = await client.addresses.create({
      customerName: "Acme",
      street: "1 Main St",
      city: "Seattle",
      region: "WA",
      postalCode: "98101",
      isoCountry: "US",
      friendlyName: "HQ",
    });
    expect(address.sid).toMatch(/^AD/);
    expect(address).toMatchObject({ validated: false, verified: false, emergencyEnabled: false });
    expect((await client.addresses.list({ isoCountry: "US" })).map((a) => a.sid)).toEqual([
      address.sid,
    ]);
    expect(await client.addresses.list({ isoCountry: "CA" })).toEqual([]);
    const updated = await client.addresses(address.sid).update({ street: "2 Main St" });
    expect(updated.street).toBe("2 Main St");
    await client.addresses(address.sid).remove();
    expect(await twilioErrorOf(client.addresses(address.sid).fetch())).toMatchObject({
      status: 404,
    });
    const missing = await t.raw("POST", `${t.accountPath}/Addresses.json`, {
      form: { CustomerName: "x", Street: "1", City: "c", Region: "r", PostalCode: "1" },
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { code: 20001, message: "Missing required parameter IsoCountry in the post body" },
    });
  });
});
