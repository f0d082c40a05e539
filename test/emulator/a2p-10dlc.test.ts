import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/emulator/cli";
import {
  admin,
  approvedBrand,
  approvedCustomerProfile,
  approvedTrustProduct,
  CAMPAIGN,
  draftCustomerProfile,
  serviceWithNumber,
} from "./a2p-support";
import { twilioErrorOf, useEmulator } from "./helpers";

describe("US A2P 10DLC brand registrations", () => {
  const t = useEmulator();

  it("need an approved customer profile and trust product; then PENDING → IN_REVIEW → APPROVED with a TCR id", async () => {
    const client = t.client({ retry: false });
    const profile = await approvedCustomerProfile(t, client, "Brand");
    const draftProduct = await client.trusthub.v1.trustProducts.create({
      friendlyName: "not yet",
      email: "c@example.com",
      policySid: "RNb0d4771c2c98518d916a3d4cd70a8f8b",
    });
    expect(
      await twilioErrorOf(
        client.messaging.v1.brandRegistrations.create({
          customerProfileBundleSid: profile.sid,
          a2PProfileBundleSid: draftProduct.sid,
        }),
      ),
    ).toMatchObject({
      status: 400,
      code: 20001,
      message: expect.stringMatching(/not twilio-approved/),
    });
    expect(t.emulator.state.compliance.brands.list()).toEqual([]);

    const product = await approvedTrustProduct(t, client, profile.sid);
    const brand = await client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: profile.sid,
      a2PProfileBundleSid: product.sid,
    });
    expect(brand).toMatchObject({
      status: "PENDING",
      identityStatus: "UNVERIFIED",
      brandType: "STANDARD",
      tcrId: null,
      failureReason: null,
    });
    expect(brand.sid).toMatch(/^BN/);
    await admin(t, `/compliance/${brand.sid}/review`);
    expect((await client.messaging.v1.brandRegistrations(brand.sid).fetch()).status).toBe(
      "IN_REVIEW",
    );
    await admin(t, `/compliance/${brand.sid}/approve`);
    const approved = await client.messaging.v1.brandRegistrations(brand.sid).fetch();
    expect(approved).toMatchObject({ status: "APPROVED", identityStatus: "VERIFIED" });
    expect(approved.tcrId).toMatch(/^B[0-9A-F]{6}$/);
    expect((await client.messaging.v1.brandRegistrations.list()).map((b) => b.sid)).toEqual([
      brand.sid,
    ]);
  });

  it("a FAILED brand shows its reason and can be resubmitted (202), only when failed", async () => {
    const client = t.client({ retry: false });
    const profile = await approvedCustomerProfile(t, client, "Failing");
    const product = await approvedTrustProduct(t, client, profile.sid);
    const brand = await client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: profile.sid,
      a2PProfileBundleSid: product.sid,
    });
    expect(
      await twilioErrorOf(client.messaging.v1.brandRegistrations(brand.sid).update()),
    ).toMatchObject({
      status: 400,
      code: 20001,
    });
    await admin(t, `/compliance/${brand.sid}/reject`, {
      reason: "Tax ID does not match the legal name",
    });
    const failed = await client.messaging.v1.brandRegistrations(brand.sid).fetch();
    expect(failed).toMatchObject({
      status: "FAILED",
      failureReason: "Tax ID does not match the legal name",
      identityStatus: "UNVERIFIED",
    });
    expect(failed.errors).toEqual([{ description: "Tax ID does not match the legal name" }]);

    const resubmitted = await client.messaging.v1.brandRegistrations(brand.sid).update();
    expect(resubmitted).toMatchObject({ status: "PENDING", failureReason: null });
    expect(t.exchanges.at(-1)).toMatchObject({
      operationId: "UpdateBrandRegistrations",
      status: 202,
    });
  });
});

describe("US A2P 10DLC campaigns and the messages they unblock", () => {
  const t = useEmulator();

  it("a US number sends into a block (accepted, then failed with 30034) until its service's campaign is VERIFIED", async () => {
    const client = t.client({ retry: false });
    const brand = await approvedBrand(t, client);
    const { service, number } = await serviceWithNumber(client, "206");
    expect(number.phoneNumber).toMatch(/^\+1206/);

    const blocked = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12065550150",
      body: "before registration",
    });
    expect(blocked).toMatchObject({ status: "accepted", errorCode: null });
    expect(await client.messages(blocked.sid).fetch()).toMatchObject({
      status: "failed",
      errorCode: 30034,
      errorMessage: "US A2P 10DLC - Message from an Unregistered Number",
    });

    const usecases = await client.messaging.v1
      .services(service.sid)
      .usAppToPersonUsecases.fetch({ brandRegistrationSid: brand.sid });
    expect((usecases.usAppToPersonUsecases as { code: string }[]).map((u) => u.code)).toContain(
      "ACCOUNT_NOTIFICATION",
    );
    const campaign = await client.messaging.v1
      .services(service.sid)
      .usAppToPerson.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN });
    expect(campaign).toMatchObject({
      campaignStatus: "IN_PROGRESS",
      messagingServiceSid: service.sid,
      campaignId: null,
      messageSamples: CAMPAIGN.messageSamples,
    });
    expect(campaign.sid).toMatch(/^QE/);
    const pending = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12065550151",
      body: "campaign under review",
    });
    expect((await client.messages(pending.sid).fetch()).errorCode).toBe(30034);
    expect((await client.messaging.v1.services(service.sid).fetch()).usAppToPersonRegistered).toBe(
      false,
    );

    await admin(t, `/compliance/${campaign.sid}/approve`);
    const verified = await client.messaging.v1
      .services(service.sid)
      .usAppToPerson(campaign.sid)
      .fetch();
    expect(verified.campaignStatus).toBe("VERIFIED");
    expect(verified.campaignId).toMatch(/^C[0-9A-F]{6}$/);
    expect((await client.messaging.v1.services(service.sid).fetch()).usAppToPersonRegistered).toBe(
      true,
    );
    const delivered = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12065550152",
      body: "registered",
    });
    expect(await client.messages(delivered.sid).fetch()).toMatchObject({
      status: "queued",
      errorCode: null,
    });
    // The list shows the failure too, as Twilio's does.
    expect((await client.messages.list({ to: "+12065550150" }))[0]).toMatchObject({
      status: "failed",
      errorCode: 30034,
    });
  });

  it("Canadian numbers are unaffected, and so are messages to non-US numbers", async () => {
    const client = t.client();
    const { service: canadian } = await serviceWithNumber(client, "514");
    const fromCanada = await client.messages.create({
      messagingServiceSid: canadian.sid,
      to: "+12065550160",
      body: "from a Canadian number",
    });
    expect((await client.messages(fromCanada.sid).fetch()).status).toBe("queued");
    const { number: us } = await serviceWithNumber(client, "312");
    const toCanada = await client.messages.create({
      from: us.phoneNumber,
      to: "+14165550160",
      body: "to a Canadian number",
    });
    expect((await client.messages(toCanada.sid).fetch()).status).toBe("queued");
    // A US number outside any service cannot be registered at all.
    const loose = await client.incomingPhoneNumbers.create({ areaCode: "415" });
    const direct = await client.messages.create({
      from: loose.phoneNumber,
      to: "+14155550161",
      body: "no service",
    });
    expect((await client.messages(direct.sid).fetch()).errorCode).toBe(30034);
  });

  it("campaign rules: an APPROVED brand (21717), one campaign per service, Twilio's limits", async () => {
    const client = t.client({ retry: false });
    const profile = await approvedCustomerProfile(t, client, "Rules");
    const product = await approvedTrustProduct(t, client, profile.sid);
    const pendingBrand = await client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: profile.sid,
      a2PProfileBundleSid: product.sid,
    });
    const { service } = await serviceWithNumber(client, "646");
    const campaigns = client.messaging.v1.services(service.sid).usAppToPerson;
    expect(
      await twilioErrorOf(
        campaigns.create({ brandRegistrationSid: pendingBrand.sid, ...CAMPAIGN }),
      ),
    ).toMatchObject({ status: 400, code: 21717 });
    await admin(t, `/compliance/${pendingBrand.sid}/approve`);
    const brand = pendingBrand;

    const invalid = [
      { description: "too short" },
      { messageFlow: "too short" },
      { messageSamples: ["only one sample that is long enough"] },
      { messageSamples: ["short", "another sample long enough"] },
      { usAppToPersonUsecase: "SOLE_PROPRIETOR" },
    ];
    for (const change of invalid) {
      expect(
        await twilioErrorOf(
          campaigns.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN, ...change }),
        ),
      ).toMatchObject({ status: 400, code: 20001 });
    }
    const first = await campaigns.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN });
    expect(
      await twilioErrorOf(campaigns.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN })),
    ).toMatchObject({
      code: 20001,
      message: expect.stringMatching(/already has a US A2P campaign/),
    });
    expect((await campaigns.list()).map((c) => c.sid)).toEqual([first.sid]);

    // A failed campaign: resubmitted by an update, or deleted and created again.
    await admin(t, `/compliance/${first.sid}/reject`, { reason: "Opt-in is not described" });
    const failed = await campaigns(first.sid).fetch();
    expect(failed).toMatchObject({
      campaignStatus: "FAILED",
      errors: [{ description: "Opt-in is not described" }],
    });
    const resubmitted = await campaigns(first.sid).update({
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: false,
      messageSamples: CAMPAIGN.messageSamples,
      messageFlow: `${CAMPAIGN.messageFlow} Consent is logged with a timestamp.`,
      description: CAMPAIGN.description,
      ageGated: false,
      directLending: false,
    });
    expect(resubmitted.campaignStatus).toBe("IN_PROGRESS");
    expect(
      await twilioErrorOf(
        campaigns(first.sid).update({
          hasEmbeddedLinks: false,
          hasEmbeddedPhone: false,
          messageSamples: CAMPAIGN.messageSamples,
          messageFlow: CAMPAIGN.messageFlow,
          description: CAMPAIGN.description,
          ageGated: false,
          directLending: false,
        }),
      ),
    ).toMatchObject({ code: 20001, message: expect.stringMatching(/under review/) });
    await campaigns(first.sid).remove();
    expect(await campaigns.list()).toEqual([]);
    const second = await campaigns.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN });
    expect(second.sid).not.toBe(first.sid);

    // Deleting the service takes its campaign with it.
    await client.messaging.v1.services(service.sid).remove();
    expect(t.emulator.state.compliance.campaigns.find(second.sid)).toBeUndefined();
  });

  it("the admin shortcut gives a service a VERIFIED campaign at once (for tests that only need US sending)", async () => {
    const client = t.client();
    const { service } = await serviceWithNumber(client, "213");
    const made = await admin(t, `/messaging-services/${service.sid}/verified-campaign`);
    expect(made).toMatchObject({ status: 201, body: { campaign_status: "VERIFIED" } });
    const sent = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12135550170",
      body: "verified by the admin API",
    });
    expect((await client.messages(sent.sid).fetch()).status).toBe("queued");
    const [campaign] = await client.messaging.v1.services(service.sid).usAppToPerson.list();
    expect(campaign?.campaignStatus).toBe("VERIFIED");
    expect(
      (await admin(t, `/messaging-services/MG${"0".repeat(32)}/verified-campaign`)).status,
    ).toBe(404);
  });

  it("the Messaging Service use case list is served", async () => {
    const client = t.client();
    const usecases = await client.messaging.v1.usecases.fetch();
    expect((usecases.usecases as { usecase: string }[]).map((u) => u.usecase)).toEqual([
      "notifications",
      "marketing",
      "verification",
      "discussion",
      "poll",
      "undeclared",
    ]);
  });
});

describe("automatic review (a configured delay instead of the admin API)", () => {
  let clock = Date.parse("2026-06-01T09:00:00Z");
  const t = useEmulator({ autoReview: { afterMs: 60_000 }, now: () => new Date(clock) });

  it("submissions are in review after half the delay and decided after all of it", async () => {
    const client = t.client();
    const { profile } = await draftCustomerProfile(t, client, "Auto");
    const profiles = client.trusthub.v1.customerProfiles(profile.sid);
    await profiles.customerProfilesEvaluations.create({
      policySid: "RNdfbf3fae0e1107f8aded0e7cead80bf5",
    });
    await profiles.update({ status: "pending-review" });
    clock += 29_999;
    expect((await profiles.fetch()).status).toBe("pending-review");
    clock += 1;
    expect((await profiles.fetch()).status).toBe("in-review");
    clock += 30_000;
    expect((await profiles.fetch()).status).toBe("twilio-approved");

    const settings = await t.raw("PATCH", "/__emulator/settings", {
      auth: null,
      body: JSON.stringify({
        autoReview: { afterMs: 10, outcome: "reject", reason: "Auto says no" },
      }),
    });
    expect(settings).toMatchObject({
      status: 200,
      body: { autoReview: { afterMs: 10, outcome: "reject", reason: "Auto says no" } },
    });
    const product = await client.trusthub.v1.trustProducts.create({
      friendlyName: "auto product",
      email: "c@example.com",
      policySid: "RNb0d4771c2c98518d916a3d4cd70a8f8b",
    });
    const info = await client.trusthub.v1.endUsers.create({
      friendlyName: "auto messaging profile",
      type: "us_a2p_messaging_profile_information",
      attributes: { company_type: "private" },
    });
    for (const objectSid of [info.sid, profile.sid]) {
      await client.trusthub.v1
        .trustProducts(product.sid)
        .trustProductsEntityAssignments.create({ objectSid });
    }
    await client.trusthub.v1
      .trustProducts(product.sid)
      .trustProductsEvaluations.create({ policySid: "RNb0d4771c2c98518d916a3d4cd70a8f8b" });
    await client.trusthub.v1.trustProducts(product.sid).update({ status: "pending-review" });
    clock += 10;
    const rejected = await client.trusthub.v1.trustProducts(product.sid).fetch();
    expect(rejected).toMatchObject({
      status: "twilio-rejected",
      errors: [{ description: "Auto says no" }],
    });
    const bad = await t.raw("PATCH", "/__emulator/settings", {
      auth: null,
      body: JSON.stringify({ autoReview: { afterMs: 5, outcome: "maybe" } }),
    });
    expect(bad.status).toBe(400);
    expect(t.emulator.state.compliance.autoReview).toMatchObject({ outcome: "reject" });
  });

  it("npm run emulator -- --auto-review <ms>[:approve|reject]", () => {
    expect(parseCliArgs(["--auto-review", "5000"])).toMatchObject({
      options: { autoReview: { afterMs: 5000, outcome: "approve" } },
    });
    expect(parseCliArgs(["--auto-review", "0:reject"])).toMatchObject({
      options: { autoReview: { afterMs: 0, outcome: "reject" } },
    });
    expect(() => parseCliArgs(["--auto-review", "soon"])).toThrow(/--auto-review/);
  });
});

describe("the new families keep the emulator's other features", () => {
  const t = useEmulator({
    apiKeys: [
      {
        friendlyName: "compliance-reader",
        type: "restricted",
        policy: [
          "/twilio/messaging/a2p.brand-registrations/list",
          "/twilio/messaging/a2p.brand-registrations/read",
          "/twilio/phone-numbers/regulatory-compliance.bundles/list",
          "/twilio/phone-numbers/regulatory-compliance.bundles/read",
          "/twilio/messaging/services.usa2p-campaign/list",
          "/twilio/messaging/services.usa2p-campaign/read",
        ],
      },
    ],
  });

  it("a restricted key reads registrations and is refused a brand or campaign create (70051)", async () => {
    const owner = t.client();
    const { service } = await serviceWithNumber(owner, "206");
    const [key] = t.emulator.apiKeys;
    const reader = t.client({
      authToken: undefined,
      apiKey: key?.sid,
      apiSecret: key?.secret,
      retry: false,
    });
    expect(await reader.messaging.v1.brandRegistrations.list()).toEqual([]);
    expect((await reader.trusthub.v1.customerProfiles.list()).length).toBe(1); // the primary
    expect(await reader.messaging.v1.services(service.sid).usAppToPerson.list()).toEqual([]);
    expect(
      await twilioErrorOf(
        reader.messaging.v1.brandRegistrations.create({
          customerProfileBundleSid: `BU${"1".repeat(32)}`,
          a2PProfileBundleSid: `BU${"2".repeat(32)}`,
        }),
      ),
    ).toMatchObject({
      status: 401,
      code: 70051,
      message:
        "Authorization Error: required permission twilio/messaging/a2p.brand-registrations/create is missing",
    });
    expect(
      await twilioErrorOf(
        reader.messaging.v1
          .services(service.sid)
          .usAppToPerson.create({ brandRegistrationSid: `BN${"1".repeat(32)}`, ...CAMPAIGN }),
      ),
    ).toMatchObject({ status: 401, code: 70051 });
  });

  it("faults match on the new operationIds: a brand registered, its answer lost, counted in its family", async () => {
    const client = t.client({ retry: false });
    const profile = await approvedCustomerProfile(t, client, "Lost");
    const product = await approvedTrustProduct(t, client, profile.sid);
    t.emulator.requestLog.clear();
    t.emulator.faults.set({
      dropAfterPurchase: { status: 502, match: { operationId: "CreateBrandRegistrations" } },
    });
    await expect(
      client.messaging.v1.brandRegistrations.create({
        customerProfileBundleSid: profile.sid,
        a2PProfileBundleSid: product.sid,
      }),
    ).rejects.toMatchObject({ status: 502 });
    t.emulator.faults.clear();
    expect(t.emulator.state.compliance.brands.list()).toHaveLength(1);
    expect(t.emulator.requestLog.entries().at(-1)).toMatchObject({
      operationId: "CreateBrandRegistrations",
      family: "brand-registrations",
      fault: "lost-answer",
      status: 502,
    });
    expect(t.emulator.requestLog.mutationCounts()).toEqual({ "brand-registrations": 1 });
    // Looking before creating again finds it.
    expect(await client.messaging.v1.brandRegistrations.list()).toHaveLength(1);
  });
});
