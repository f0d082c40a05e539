import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../src/config/errors";
import { ACCOUNTS_JSON_SCHEMA_PATH, renderAccountsJsonSchema } from "../../src/config/json-schema";
import { parseAccountsDocument } from "../../src/config/load";
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

  it("accepts an area code written as a YAML integer and a released account without numbers", () => {
    const validate = editorValidator();
    expect(validate(account({ numbers: [{ name: "main", areaCode: 514 }] }))).toBe(true);
    expect(validate(account({ release: true }))).toBe(true);
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
