/**
 * The restricted Twilio keys the workflows' jobs hold (docs/workflows.md, "Twilio keys"; a test
 * keeps that table equal to these lists), made through the emulator's IAM API as a person makes
 * them through Twilio's: POST /v1/Keys with KeyType=restricted and a Policy.
 */
import { DEFAULT_ACCOUNT_SID } from "../../src/emulator/auth";
import type { TwilioClient } from "../../src/twilio/client";

const NUMBERS = "/twilio/phone-numbers/active-numbers";
const SERVICES = "/twilio/messaging/services";
const ATTACHMENTS = "/twilio/messaging/services.phonenumbers";

/** The pull-request plan: the refresh reads each number, service and attachment; nothing else. */
export const PLAN_KEY_POLICY = [`${NUMBERS}/read`, `${SERVICES}/read`, `${ATTACHMENTS}/read`];

/**
 * A deploy without releases (the `<stack>` environment): the refresh, finding what an earlier
 * attempt created (list), buying, adopting, creating and updating; no delete.
 */
export const DEPLOY_KEY_POLICY = [
  `${NUMBERS}/read`,
  `${NUMBERS}/list`,
  `${NUMBERS}/create`,
  `${NUMBERS}/update`,
  `${SERVICES}/read`,
  `${SERVICES}/list`,
  `${SERVICES}/create`,
  `${SERVICES}/update`,
  `${ATTACHMENTS}/read`,
  `${ATTACHMENTS}/create`,
];

/** An approved deploy with releases (the `<stack>-releases` environment): the deploy's, and delete. */
export const RELEASE_KEY_POLICY = [
  ...DEPLOY_KEY_POLICY,
  `${NUMBERS}/delete`,
  `${SERVICES}/delete`,
  `${ATTACHMENTS}/delete`,
];

export interface ApiKey {
  sid: string;
  secret: string;
}

/** A restricted key made with the account's credentials through POST /v1/Keys. */
export async function createRestrictedKey(
  twilio: TwilioClient,
  friendlyName: string,
  allow: string[],
): Promise<ApiKey> {
  const key = await twilio.iam.v1.newApiKey.create({
    accountSid: DEFAULT_ACCOUNT_SID,
    friendlyName,
    keyType: "restricted",
    policy: { allow },
  });
  return { sid: key.sid, secret: key.secret };
}
