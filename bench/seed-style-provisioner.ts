/**
 * The imperative baseline of the provisioning benchmark: the same work as `pulumi up` for new
 * accounts, done the way the seed design does it (the NestJS service the project started from,
 * `TwilioMessagingService.purchasePhoneNumberWithMessagingService`; see docs/benchmarks.md): for each account in turn, buy
 * a number in its area code, create its Messaging Service, attach the number, awaiting every call.
 *
 * It uses the official `twilio` SDK through `createTwilioClient`, and the names and settings the
 * project's YAML produces for the same accounts (service "<name> - Parlae", number
 * "<name> - main", the same inbound webhook and sticky sender), so both sides create the same
 * objects. It buys with `AreaCode` directly (Twilio picks the first number for sale there): one
 * call, where the seed could also search first (`availablePhoneNumbers(...).local.list`) and buy
 * the number found, one more call per account. The leaner variant is the faster baseline.
 *
 * Not for production: no crash recovery (a purchase whose answer is lost is bought again on the
 * next run), no idempotency, no release. That is what the Pulumi providers add.
 */
import { defaultMessagingServiceName, defaultNumberFriendlyName } from "../src/config/load";
import type { TwilioClient } from "../src/twilio/client";

export interface SeedStyleAccount {
  accountId: string;
  accountName: string;
  areaCode: string;
}

export interface SeedStyleResult {
  accountId: string;
  phoneNumber: string;
  phoneNumberSid: string;
  messagingServiceSid: string;
}

export interface SeedStyleSettings {
  /** The service's inbound webhook (the accounts YAML of the benchmark sets the same one). */
  inboundRequestUrl: string;
  stickySender: boolean;
}

/** The seed's `TwilioMessagingService`, reduced to the three calls provisioning needs. */
export class SeedStyleTwilioMessaging {
  constructor(
    private readonly client: TwilioClient,
    private readonly settings: SeedStyleSettings,
  ) {}

  /** Seed method 1: one Messaging Service per account, named "<account name> - Parlae". */
  async createMessagingService(options: { accountId: string; accountName: string }) {
    const service = await this.client.messaging.v1.services.create({
      friendlyName: defaultMessagingServiceName(options.accountName),
      inboundRequestUrl: this.settings.inboundRequestUrl,
      stickySender: this.settings.stickySender,
    });
    return { sid: service.sid, friendlyName: service.friendlyName };
  }

  /** Seed method 2: puts the number in the service's sender pool. */
  async addPhoneNumberToService(messagingServiceSid: string, phoneNumberSid: string) {
    await this.client.messaging.v1
      .services(messagingServiceSid)
      .phoneNumbers.create({ phoneNumberSid });
  }

  /** Seed method 3, the all-in-one: buy by area code, create the service, attach. */
  async purchasePhoneNumberWithMessagingService(
    options: SeedStyleAccount,
  ): Promise<SeedStyleResult> {
    const number = await this.client.incomingPhoneNumbers.create({
      areaCode: options.areaCode,
      friendlyName: defaultNumberFriendlyName(options.accountName, "main"),
    });
    const service = await this.createMessagingService(options);
    await this.addPhoneNumberToService(service.sid, number.sid);
    return {
      accountId: options.accountId,
      phoneNumber: number.phoneNumber,
      phoneNumberSid: number.sid,
      messagingServiceSid: service.sid,
    };
  }
}

/**
 * Provisions the accounts one after another, as the seed's service would when called per account
 * (and as its migration script loops): the next account starts when the previous one is done.
 */
export async function provisionSequentially(
  messaging: SeedStyleTwilioMessaging,
  accounts: readonly SeedStyleAccount[],
  shouldStop: () => boolean = () => false,
): Promise<SeedStyleResult[]> {
  const results: SeedStyleResult[] = [];
  for (const account of accounts) {
    if (shouldStop()) throw new Error("interrupted");
    results.push(await messaging.purchasePhoneNumberWithMessagingService(account));
  }
  return results;
}
