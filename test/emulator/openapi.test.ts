import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SECONDARY_PROFILE_POLICY_SID as SECONDARY } from "../../src/emulator/models/trust-hub-policies";
import { toJsonSchema, twilioSpecValidator } from "../../src/emulator/openapi";
import { ROUTES } from "../../src/emulator/routes";
import { admin, approvedTrustProduct, CAMPAIGN, draftCustomerProfile } from "./a2p-support";
import { ACCOUNT_SID, useEmulator } from "./helpers";

const PN = `PN${"a".repeat(32)}`;
const numberPath = `/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${PN}.json`;

describe("OpenAPI 3.0 to JSON Schema conversion", () => {
  it("turns nullable into a null alternative for types, enums and $refs", () => {
    expect(toJsonSchema({ type: "string", nullable: true }, "doc")).toEqual({
      type: ["string", "null"],
    });
    expect(toJsonSchema({ type: "string", enum: ["GET", "POST"], nullable: true }, "doc")).toEqual({
      type: ["string", "null"],
      enum: ["GET", "POST", null],
    });
    expect(toJsonSchema({ $ref: "#/components/schemas/x", nullable: true }, "doc")).toEqual({
      anyOf: [{ $ref: "doc#/definitions/x" }, { type: "null" }],
    });
  });

  it("drops x- extensions and examples, honouring x-twilio.ignoreFormat, and keeps property names", () => {
    const schema = {
      type: "object",
      "x-class-extra-annotation": "@Json",
      example: { a: 1 },
      properties: {
        "x-weird-but-real-property": { type: "string" },
        media: {
          type: "string",
          format: "uri",
          "x-twilio": { ignoreFormat: true, pii: { handling: "standard" } },
        },
      },
    };
    expect(toJsonSchema(schema, "doc")).toEqual({
      type: "object",
      properties: { "x-weird-but-real-property": { type: "string" }, media: { type: "string" } },
    });
  });

  it("reads *_uri properties as URI references, and lets requests clear a URL with an empty value", () => {
    const schema = {
      type: "object",
      properties: {
        next_page_uri: { type: "string", format: "uri" },
        url: { type: "string", format: "uri" },
      },
    };
    expect(toJsonSchema(schema, "doc")).toEqual({
      type: "object",
      properties: {
        next_page_uri: { type: "string", format: "uri-reference" },
        url: { type: "string", format: "uri" },
      },
    });
    expect(toJsonSchema({ type: "string", format: "uri" }, "doc", "SmsUrl", "request")).toEqual({
      type: "string",
      format: "uri-or-empty",
    });
    expect(toJsonSchema({ type: "object", format: "uri-map" }, "doc")).toEqual({ type: "object" });
  });
});

describe("the spec validator catches what Twilio's description forbids", () => {
  const validator = twilioSpecValidator();
  const t = useEmulator();

  it("a response with a wrong date format, SID pattern or field type is reported", async () => {
    const number = await t.client().incomingPhoneNumbers.create({ areaCode: "514" });
    const good = t.exchanges.at(-1)?.responseBody as Record<string, unknown>;
    const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${number.sid}.json`;
    expect(validator.validateResponse("GET", path, 200, good)).toEqual([]);
    const isoDate = { ...good, date_created: "2024-01-01T00:00:00Z" };
    expect(validator.validateResponse("GET", path, 200, isoDate).join()).toMatch(
      /date_created.*date-time-rfc-2822/,
    );
    expect(validator.validateResponse("GET", path, 200, { ...good, sid: "XX123" }).join()).toMatch(
      /\/sid/,
    );
    expect(validator.validateResponse("GET", path, 200, { ...good, beta: "false" }).join()).toMatch(
      /\/beta/,
    );
    expect(validator.validateResponse("GET", path, 200, { ...good, sms_url: "" }).join()).toMatch(
      /sms_url/,
    );
    expect(validator.validateResponse("GET", path, 201, good).join()).toMatch(
      /answered 201, the spec declares 200/,
    );
    expect(validator.validateResponse("DELETE", path, 204, { unexpected: true })).toEqual([
      "204 must have no body",
    ]);
  });

  it("a v1 response with an RFC 2822 date or a number where a string belongs is reported", async () => {
    const service = await t.client().messaging.v1.services.create({ friendlyName: "checked" });
    const good = t.exchanges.at(-1)?.responseBody as Record<string, unknown>;
    const path = `/v1/Services/${service.sid}`;
    expect(validator.validateResponse("GET", path, 200, good)).toEqual([]);
    expect(
      validator.validateResponse("GET", path, 200, {
        ...good,
        date_created: "Thu, 30 Jul 2015 23:19:04 +0000",
      }),
    ).not.toEqual([]);
    expect(
      validator.validateResponse("GET", path, 200, { ...good, validity_period: "600" }),
    ).not.toEqual([]);
    expect(
      validator.validateResponse("GET", path, 200, { ...good, scan_message_content: "maybe" }),
    ).not.toEqual([]);
  });

  it("error bodies must have Twilio's shape", () => {
    const body = {
      code: 20404,
      message: "not found",
      more_info: "https://www.twilio.com/docs/errors/20404",
      status: 404,
    };
    expect(validator.validateResponse("GET", numberPath, 404, body)).toEqual([]);
    expect(validator.validateResponse("GET", numberPath, 404, { error: "nope" })).not.toEqual([]);
    expect(
      validator.validateResponse("GET", numberPath, 404, { ...body, more_info: "elsewhere" }),
    ).not.toEqual([]);
  });

  it("requests are read as Twilio reads them; undeclared, mistyped or missing parameters are reported", () => {
    const list = `/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json`;
    expect(
      validator.validateRequest(
        "POST",
        list,
        {},
        { AreaCode: "514", SmsUrl: "https://x.example/sms", VoiceCallerIdLookup: "true" },
      ),
    ).toEqual([]);
    expect(
      validator.validateRequest("POST", list, {}, { AreaCode: "514", SmsURL: "https://x" }),
    ).toEqual(["body /: must NOT have additional properties 'SmsURL'"]);
    expect(validator.validateRequest("POST", list, {}, { SmsMethod: "PUT" }).join()).toMatch(
      /SmsMethod/,
    );
    expect(
      validator.validateRequest("POST", list, {}, { VoiceCallerIdLookup: "yes" }).join(),
    ).toMatch(/boolean/);
    expect(
      validator.validateRequest("POST", "/v1/Services", {}, { StickySender: "true" }).join(),
    ).toMatch(/FriendlyName/);
    expect(
      validator.validateRequest(
        "POST",
        "/v1/Services",
        {},
        { FriendlyName: "a", ValidityPeriod: "ten" },
      ),
    ).not.toEqual([]);
    expect(validator.validateRequest("GET", list, { PageSize: "2000" }, {}).join()).toMatch(
      /PageSize/,
    );
    expect(validator.validateRequest("GET", list, { Colour: "blue" }, {}).join()).toMatch(/Colour/);
    expect(
      validator
        .validateRequest("GET", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json", {}, {})
        .join(),
    ).toMatch(/AccountSid/);
    const messages = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    expect(
      validator.validateRequest(
        "POST",
        messages,
        {},
        { To: "+15145550100", Body: "x", MediaUrl: ["a", "b"] },
      ),
    ).toEqual([]);
    expect(validator.validateRequest("POST", messages, {}, { Body: "x" }).join()).toMatch(/To/);
  });

  it("every operation the emulator serves is an operation of the official spec", () => {
    const operationIds = new Set<string>();
    for (const file of [
      "twilio_api_v2010.json",
      "twilio_messaging_v1.json",
      "twilio_iam_v1.json",
      "twilio_trusthub_v1.json",
    ]) {
      const spec = JSON.parse(
        readFileSync(require.resolve(`@twilio/cli-core/src/services/twilio-api/${file}`), "utf8"),
      );
      for (const item of Object.values(spec.paths) as Record<string, { operationId?: string }>[]) {
        for (const op of Object.values(item)) if (op?.operationId) operationIds.add(op.operationId);
      }
    }
    const served = ROUTES.flatMap((r) => Object.values(r.operations).map((o) => o.operationId));
    expect(served.length).toBe(75);
    expect(served.filter((id) => !operationIds.has(id))).toEqual([]);
  });
});

describe("every operation the emulator serves answers in the shape Twilio's description gives it", () => {
  const t = useEmulator();

  it("a tour that calls each served operation once with success (validated after the suite)", async () => {
    const client = t.client();
    const v1 = client.messaging.v1;
    const trusthub = client.trusthub.v1;

    // 2010 API
    await client.availablePhoneNumbers("CA").local.list({ areaCode: 514, limit: 1 });
    const number = await client.incomingPhoneNumbers.create({ areaCode: "206" });
    await client.incomingPhoneNumbers.list();
    await client.incomingPhoneNumbers(number.sid).fetch();
    await client.incomingPhoneNumbers(number.sid).update({ friendlyName: "tour" });
    const address = await client.addresses.create({
      customerName: "Tour",
      street: "1 Main St",
      city: "Seattle",
      region: "WA",
      postalCode: "98101",
      isoCountry: "US",
    });
    await client.addresses.list();
    await client.addresses(address.sid).fetch();
    await client.addresses(address.sid).update({ friendlyName: "tour" });

    // Messaging v1 services and pools
    const service = await v1.services.create({ friendlyName: "tour" });
    await v1.services.list();
    await v1.services(service.sid).fetch();
    await v1.services(service.sid).update({ friendlyName: "tour 2" });
    await v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
    await v1.services(service.sid).phoneNumbers.list();
    await v1.services(service.sid).phoneNumbers(number.sid).fetch();
    const message = await client.messages.create({
      messagingServiceSid: service.sid,
      to: "+12065550199",
      body: "tour",
    });
    await client.messages.list();
    await client.messages(message.sid).fetch();
    await v1.usecases.fetch();

    // IAM v1
    const key = await client.iam.v1.newApiKey.create({ accountSid: ACCOUNT_SID });
    await client.iam.v1.getApiKeys.list({ accountSid: ACCOUNT_SID });
    await client.iam.v1.apiKey(key.sid).fetch();
    await client.iam.v1.apiKey(key.sid).update({ friendlyName: "tour" });
    await client.iam.v1.apiKey(key.sid).remove();

    // Trust Hub v1: the ISV flow, then the reads and deletes
    const { profile, document } = await draftCustomerProfile(t, client, "Tour");
    await trusthub.customerProfiles.list();
    await trusthub.customerProfiles(profile.sid).fetch();
    const assignments = trusthub.customerProfiles(profile.sid).customerProfilesEntityAssignments;
    const [firstAssignment] = await assignments.list();
    await assignments(firstAssignment?.sid ?? "").fetch();
    // Assignments change only in draft: remove one and put it back before submitting.
    await assignments(firstAssignment?.sid ?? "").remove();
    await assignments.create({ objectSid: firstAssignment?.objectSid ?? "" });
    const evaluations = trusthub.customerProfiles(profile.sid).customerProfilesEvaluations;
    const evaluation = await evaluations.create({ policySid: SECONDARY });
    await evaluations.list();
    await evaluations(evaluation.sid).fetch();
    await trusthub.customerProfiles(profile.sid).update({ status: "pending-review" });
    await admin(t, `/compliance/${profile.sid}/approve`);
    const product = await approvedTrustProduct(t, client, profile.sid);
    const draftProduct = await trusthub.trustProducts.create({
      friendlyName: "tour draft",
      email: "tour@example.com",
      policySid: "RNb0d4771c2c98518d916a3d4cd70a8f8b",
    });
    const productAssignments = trusthub.trustProducts(
      draftProduct.sid,
    ).trustProductsEntityAssignments;
    const productAssignment = await productAssignments.create({ objectSid: profile.sid });
    await productAssignments.list();
    await productAssignments(productAssignment.sid).fetch();
    await productAssignments(productAssignment.sid).remove();
    const productEvaluations = trusthub.trustProducts(product.sid).trustProductsEvaluations;
    const [productEvaluation] = await productEvaluations.list();
    await productEvaluations(productEvaluation?.sid ?? "").fetch();
    await trusthub.trustProducts.list();
    await trusthub.trustProducts(product.sid).fetch();
    await trusthub.endUsers.list();
    await trusthub.supportingDocuments.list();
    await trusthub.supportingDocuments(document.sid).fetch();
    await trusthub.supportingDocuments(document.sid).update({ friendlyName: "tour" });
    await trusthub.policies.list();
    await trusthub.policies(SECONDARY).fetch();

    // Messaging v1: A2P 10DLC
    const brand = await v1.brandRegistrations.create({
      customerProfileBundleSid: profile.sid,
      a2PProfileBundleSid: product.sid,
    });
    await v1.brandRegistrations.list();
    await v1.brandRegistrations(brand.sid).fetch();
    await admin(t, `/compliance/${brand.sid}/reject`, { reason: "tour" });
    await v1.brandRegistrations(brand.sid).update();
    await admin(t, `/compliance/${brand.sid}/approve`);
    await v1.services(service.sid).usAppToPersonUsecases.fetch({ brandRegistrationSid: brand.sid });
    const campaign = await v1
      .services(service.sid)
      .usAppToPerson.create({ brandRegistrationSid: brand.sid, ...CAMPAIGN });
    await v1.services(service.sid).usAppToPerson.list();
    await v1.services(service.sid).usAppToPerson(campaign.sid).fetch();
    await admin(t, `/compliance/${campaign.sid}/approve`);
    await v1
      .services(service.sid)
      .usAppToPerson(campaign.sid)
      .update({ ...CAMPAIGN, ageGated: false, directLending: false });

    // Deletes last
    await v1.services(service.sid).usAppToPerson(campaign.sid).remove();
    const spare = await trusthub.endUsers.create({
      friendlyName: "spare",
      type: "authorized_representative_2",
    });
    await trusthub.endUsers(spare.sid).fetch();
    await trusthub.endUsers(spare.sid).update({ friendlyName: "spare 2" });
    await trusthub.endUsers(spare.sid).remove();
    await trusthub.supportingDocuments(document.sid).remove();
    await trusthub.trustProducts(product.sid).update({ friendlyName: "tour" });
    await trusthub.trustProducts(product.sid).remove();
    await trusthub.customerProfiles(profile.sid).remove();
    await v1.services(service.sid).phoneNumbers(number.sid).remove();
    await v1.services(service.sid).remove();
    await client.incomingPhoneNumbers(number.sid).remove();
    await client.addresses(address.sid).remove();

    const succeeded = new Set(
      t.exchanges
        .filter((e) => e.status !== null && e.status < 300)
        .map((e) => e.operationId ?? ""),
    );
    const served = ROUTES.flatMap((r) => Object.values(r.operations).map((o) => o.operationId));
    expect(served.filter((id) => !succeeded.has(id))).toEqual([]);
  });
});
