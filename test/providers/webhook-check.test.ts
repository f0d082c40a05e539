/**
 * The providers hold webhook URLs to the same rule as the accounts schema and its JSON Schema
 * (test/config/json-schema.test.ts ties those two to src/validation/urls.ts).
 */
import { describe, expect, it } from "vitest";
import {
  type MessagingServiceInputs,
  messagingServiceProvider,
} from "../../providers/messaging-service";
import { type PhoneNumberInputs, phoneNumberProvider } from "../../providers/phone-number";
import { isWebhookUrl } from "../../src/validation/urls";

const urls = [
  "https://api.parlae.example/twilio/sms",
  "http://127.0.0.1:4010/sms",
  "https://münchen.example/sms",
  "https://api.parlae.example/%zz",
  "https://api.parlae.example\\sms",
  "https://api.parlae.example/s\u0007ms",
  "https://user:secret@api.parlae.example/sms",
  "ftp://api.parlae.example/sms",
];

const number: PhoneNumberInputs = {
  accountId: "0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11",
  numberName: "main",
  marker: "tm-0123abcd",
  kind: "buy",
  areaCode: "212",
  country: "US",
  friendlyName: "Clinic - main",
  release: false,
};

describe("the providers' check of webhook URLs", () => {
  it.each(urls)("agrees with the accounts schema on %s", async (url) => {
    const numberCheck = await phoneNumberProvider.check?.({} as PhoneNumberInputs, {
      ...number,
      smsUrl: url,
    });
    const serviceCheck = await messagingServiceProvider.check?.({} as MessagingServiceInputs, {
      accountId: number.accountId,
      marker: "tm-0123abcd",
      friendlyName: "Clinic - Parlae",
      fallbackUrl: url,
    });
    expect((numberCheck?.failures ?? []).length === 0).toBe(isWebhookUrl(url));
    expect((serviceCheck?.failures ?? []).length === 0).toBe(isWebhookUrl(url));
    if (!isWebhookUrl(url)) {
      expect(numberCheck?.failures?.[0]?.reason).toMatch(
        /^number 'main' of account 0b6f6c5e-2f4c-4a53-9e1a-6a3f0e7f1c11: 'smsUrl' is not a webhook URL Twilio can call \(/,
      );
    }
  });
});
