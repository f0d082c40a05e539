import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../src/config/errors";
import { ACCOUNTS_JSON_SCHEMA_PATH, renderAccountsJsonSchema } from "../../src/config/json-schema";
import { parseAccountsDocument } from "../../src/config/load";
import { isWebhookUrl } from "../../src/validation/urls";
import { ID_A, SID_A } from "./bad-inputs";

const EXAMPLE = "config/accounts.example.yaml";

function editorValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(ACCOUNTS_JSON_SCHEMA_PATH, "utf8")));
}

const account = (extra: Record<string, unknown>) => ({
  accounts: [{ id: ID_A, name: "Clinic", ...extra }],
});

describe("the checked-in JSON Schema for editors", () => {
  it("is exactly what `npm run schema` generates from the zod schema", () => {
    const checkedIn = readFileSync(ACCOUNTS_JSON_SCHEMA_PATH, "utf8");
    expect(checkedIn, "config/accounts.schema.json is stale: run `npm run schema`").toBe(
      renderAccountsJsonSchema(),
    );
    expect(checkedIn.endsWith("}\n")).toBe(true);
  });

  it("is the schema the example file declares for the YAML language server", () => {
    const firstLine = readFileSync(EXAMPLE, "utf8").split("\n", 1)[0];
    expect(firstLine).toBe("# yaml-language-server: $schema=./accounts.schema.json");
  });

  it("accepts the example file", () => {
    const validate = editorValidator();
    expect(validate(parse(readFileSync(EXAMPLE, "utf8"))), JSON.stringify(validate.errors)).toBe(
      true,
    );
  });

  it("accepts an area code written as a string and a released account without numbers, and refuses an integer area code", () => {
    const validate = editorValidator();
    expect(validate(account({ numbers: [{ name: "main", areaCode: "212" }] }))).toBe(true);
    expect(validate(account({ release: true }))).toBe(true);
    expect(validate(account({ numbers: [{ name: "main", areaCode: 514 }] }))).toBe(false);
  });

  it.each([
    [
      "an unknown key",
      account({ numbers: [{ name: "main", areaCode: "514" }], stickySendr: true }),
    ],
    [
      "both areaCode and adopt",
      account({ numbers: [{ name: "main", areaCode: "514", adopt: { sid: SID_A } }] }),
    ],
    ["neither areaCode nor adopt", account({ numbers: [{ name: "main" }] })],
    [
      "a country on an adopted number",
      account({ numbers: [{ name: "main", country: "CA", adopt: { sid: SID_A } }] }),
    ],
    [
      "adopt by both sid and phoneNumber",
      account({ numbers: [{ name: "main", adopt: { sid: SID_A, phoneNumber: "+15145550100" } }] }),
    ],
    [
      "a phone number that is not E.164",
      account({ numbers: [{ name: "main", adopt: { phoneNumber: "5145550100" } }] }),
    ],
    ["an active account without numbers", account({ numbers: [] })],
    [
      "a webhook with an ftp scheme",
      account({ numbers: [{ name: "main", areaCode: "514", smsUrl: "ftp://x.example/sms" }] }),
    ],
    [
      "a validity period out of range",
      account({
        numbers: [{ name: "main", areaCode: "514" }],
        messagingService: { validityPeriod: 36001 },
      }),
    ],
  ])("rejects %s, as the loader does", (_title, document) => {
    expect(editorValidator()(document)).toBe(false);
    expect(() => parseAccountsDocument(JSON.stringify(document), "accounts.yaml")).toThrow(
      ConfigError,
    );
  });
});

describe("webhook URLs", () => {
  const urls = [
    "https://api.parlae.example/twilio/sms",
    "http://api.parlae.example:8080/twilio/sms?clinic=12&x=%20#frag",
    "https://xn--mnchen-3ya.example/sms",
    "https://8.8.8.8/sms",
    "http://127.0.0.1:4010/sms",
    "https://münchen.example/sms",
    "https://api.parlae.example/%zz",
    "https://api.parlae.example\\sms",
    "https://api.parlae.example/s\u0007ms",
    "https://api.parlae.example/s ms",
    "https://user:secret@api.parlae.example/sms",
    "https://[::1]/sms",
    "https://api.parlae.example:65536/sms",
    "https://999.1.1.1/sms",
    "HTTPS://api.parlae.example/sms",
    "ftp://api.parlae.example/sms",
    `https://api.parlae.example/${"a".repeat(2100)}`,
  ];

  it.each(urls)("the JSON Schema and the loader agree on %s", (url) => {
    const document = account({
      allowLocalWebhooks: true,
      numbers: [{ name: "main", areaCode: "212", smsUrl: url }],
    });
    const editor = editorValidator()(document);
    let loader = true;
    try {
      parseAccountsDocument(JSON.stringify(document), "accounts.yaml");
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      loader = false;
    }
    expect(editor).toBe(loader);
    expect(editor).toBe(isWebhookUrl(url));
  });
});
