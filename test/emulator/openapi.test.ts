import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toJsonSchema, twilioSpecValidator } from "../../src/emulator/openapi";
import { ROUTES } from "../../src/emulator/routes";
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
    expect(served.length).toBe(23);
    expect(served.filter((id) => !operationIds.has(id))).toEqual([]);
  });
});
