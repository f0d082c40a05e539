/**
 * Incoming phone numbers (`PN…`) owned by the account, and Twilio's rules for them:
 *
 * - buying takes a number out of the inventory, either the exact `PhoneNumber` (must be for sale:
 *   21421 if malformed, 21422 if not available) or any number in `AreaCode` (21451 for an invalid
 *   area code, 21452 when it has nothing left);
 * - the default friendly name is the formatted number, `(514) 555-0100`;
 * - webhook URLs and methods are validated with Twilio's codes (21402, 21403);
 * - releasing (DELETE) removes the number for good: it does not go back on sale, and listeners
 *   (the Messaging Service model) drop it from any service;
 * - seeding puts a number in the account without a purchase, to model numbers that already exist.
 */
import { invalidParameter, TwilioError } from "../errors";
import { isE164, type Params, stringParam } from "../params";
import { newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import type { Inventory, NumberCapabilities } from "./inventory";
import { formatNational, isValidAreaCode } from "./nanp";
import { defaultSettings, readSettings, type SettingSpec, type Settings } from "./settings";

/** Every field Twilio lets you set on an incoming phone number, with its default. */
export const PHONE_NUMBER_SETTINGS: readonly SettingSpec[] = [
  { param: "ApiVersion", field: "api_version", kind: { type: "string" }, default: "2010-04-01" },
  {
    param: "SmsApplicationSid",
    field: "sms_application_sid",
    kind: { type: "sid", prefix: "AP" },
    default: null,
  },
  {
    param: "SmsFallbackMethod",
    field: "sms_fallback_method",
    kind: { type: "method", code: 21403 },
    default: "POST",
  },
  {
    param: "SmsFallbackUrl",
    field: "sms_fallback_url",
    kind: { type: "url", code: 21402 },
    default: null,
  },
  {
    param: "SmsMethod",
    field: "sms_method",
    kind: { type: "method", code: 21403 },
    default: "POST",
  },
  { param: "SmsUrl", field: "sms_url", kind: { type: "url", code: 21402 }, default: null },
  {
    param: "StatusCallback",
    field: "status_callback",
    kind: { type: "url", code: 21402 },
    default: null,
  },
  {
    param: "StatusCallbackMethod",
    field: "status_callback_method",
    kind: { type: "method", code: 21403 },
    default: "POST",
  },
  {
    param: "VoiceApplicationSid",
    field: "voice_application_sid",
    kind: { type: "sid", prefix: "AP" },
    default: null,
  },
  {
    param: "VoiceCallerIdLookup",
    field: "voice_caller_id_lookup",
    kind: { type: "boolean" },
    default: false,
  },
  {
    param: "VoiceFallbackMethod",
    field: "voice_fallback_method",
    kind: { type: "method", code: 21403 },
    default: "POST",
  },
  {
    param: "VoiceFallbackUrl",
    field: "voice_fallback_url",
    kind: { type: "url", code: 21402 },
    default: null,
  },
  {
    param: "VoiceMethod",
    field: "voice_method",
    kind: { type: "method", code: 21403 },
    default: "POST",
  },
  { param: "VoiceUrl", field: "voice_url", kind: { type: "url", code: 21402 }, default: null },
  {
    param: "EmergencyStatus",
    field: "emergency_status",
    kind: { type: "enum", values: ["Active", "Inactive"] },
    default: "Inactive",
  },
  {
    param: "EmergencyAddressSid",
    field: "emergency_address_sid",
    kind: { type: "sid", prefix: "AD" },
    default: null,
  },
  { param: "TrunkSid", field: "trunk_sid", kind: { type: "sid", prefix: "TK" }, default: null },
  {
    param: "IdentitySid",
    field: "identity_sid",
    kind: { type: "sid", prefix: "RI" },
    default: null,
  },
  { param: "AddressSid", field: "address_sid", kind: { type: "sid", prefix: "AD" }, default: null },
  {
    param: "VoiceReceiveMode",
    field: "voice_receive_mode",
    kind: { type: "enum", values: ["voice", "fax"] },
    default: "voice",
  },
  { param: "BundleSid", field: "bundle_sid", kind: { type: "sid", prefix: "BU" }, default: null },
];

export interface IncomingPhoneNumberRecord {
  /** Creation order; lists are in this order and page tokens point into it. */
  seq: number;
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: NumberCapabilities;
  /** "twilio" for purchased numbers; seeded numbers say how they came ("twilio" by default). */
  origin: string;
  dateCreated: string;
  dateUpdated: string;
  settings: Settings;
}

/** A number that already exists in the account (adopt-an-existing-number scenarios). */
export interface SeedPhoneNumber {
  phoneNumber: string;
  sid?: string;
  friendlyName?: string;
  capabilities?: Partial<NumberCapabilities>;
  /** Settings by request parameter name, e.g. `{ SmsUrl: "https://…" }`. */
  params?: Record<string, string>;
}

export interface PhoneNumberFilters {
  phoneNumber?: string;
  friendlyName?: string;
}

export class PhoneNumberModel {
  private readonly numbers = new Map<string, IncomingPhoneNumberRecord>();
  private readonly releaseListeners: ((record: IncomingPhoneNumberRecord) => void)[] = [];
  private seq = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly inventory: Inventory,
  ) {}

  /** Purchase (POST IncomingPhoneNumbers.json). */
  buy(params: Params): IncomingPhoneNumberRecord {
    const phoneNumber = stringParam(params, "PhoneNumber");
    const areaCode = stringParam(params, "AreaCode");
    // Validate every setting before touching the inventory: a bad request buys nothing.
    const settings = readSettings(params, PHONE_NUMBER_SETTINGS);
    const friendlyName = stringParam(params, "FriendlyName");
    let chosen: string;
    if (phoneNumber !== undefined) {
      if (!isE164(phoneNumber))
        throw new TwilioError(21421, `PhoneNumber ${phoneNumber} is invalid`);
      if (!this.inventory.isAvailable(phoneNumber)) {
        throw new TwilioError(21422, `${phoneNumber} is not available`);
      }
      chosen = phoneNumber;
    } else if (areaCode !== undefined) {
      if (!isValidAreaCode(areaCode)) throw new TwilioError(21451, `Invalid area code ${areaCode}`);
      const first = this.inventory.availableIn(areaCode)[0];
      if (!first) throw new TwilioError(21452, `No phone numbers found in area code ${areaCode}`);
      chosen = first.phoneNumber;
    } else {
      throw invalidParameter("A PhoneNumber or AreaCode is required to purchase a phone number");
    }
    const stock = this.inventory.lookup(chosen);
    this.inventory.remove(chosen);
    return this.insert({
      phoneNumber: chosen,
      friendlyName: friendlyName || formatNational(chosen),
      capabilities: stock?.capabilities ?? { voice: true, sms: true, mms: true, fax: false },
      origin: "twilio",
      settings,
    });
  }

  /** Puts a number in the account as if it had been bought earlier (not a Twilio API call). */
  seed(seed: SeedPhoneNumber): IncomingPhoneNumberRecord {
    if (!isE164(seed.phoneNumber))
      throw new TwilioError(21421, `PhoneNumber ${seed.phoneNumber} is invalid`);
    if (this.findByNumber(seed.phoneNumber)) {
      throw new TwilioError(21422, `${seed.phoneNumber} is already in the account`);
    }
    if (seed.sid !== undefined && this.numbers.has(seed.sid)) {
      throw invalidParameter(`SID ${seed.sid} is already in use`);
    }
    const settings = readSettings(seed.params ?? {}, PHONE_NUMBER_SETTINGS);
    this.inventory.remove(seed.phoneNumber);
    return this.insert({
      sid: seed.sid,
      phoneNumber: seed.phoneNumber,
      friendlyName: seed.friendlyName ?? formatNational(seed.phoneNumber),
      capabilities: { voice: true, sms: true, mms: true, fax: false, ...seed.capabilities },
      origin: "twilio",
      settings,
    });
  }

  list(filters: PhoneNumberFilters = {}): IncomingPhoneNumberRecord[] {
    return [...this.numbers.values()].filter(
      (n) =>
        (filters.phoneNumber === undefined || n.phoneNumber === filters.phoneNumber) &&
        (filters.friendlyName === undefined || n.friendlyName === filters.friendlyName),
    );
  }

  get(sid: string): IncomingPhoneNumberRecord | undefined {
    return this.numbers.get(sid);
  }

  findByNumber(e164: string): IncomingPhoneNumberRecord | undefined {
    for (const n of this.numbers.values()) if (n.phoneNumber === e164) return n;
    return undefined;
  }

  /** Update in place (POST IncomingPhoneNumbers/{Sid}.json); only given parameters change. */
  update(record: IncomingPhoneNumberRecord, params: Params): IncomingPhoneNumberRecord {
    const accountSid = stringParam(params, "AccountSid");
    if (accountSid !== undefined && accountSid !== record.accountSid) {
      throw invalidParameter("Moving a number to another account is not supported by the emulator");
    }
    const settings = readSettings(params, PHONE_NUMBER_SETTINGS);
    const friendlyName = stringParam(params, "FriendlyName");
    Object.assign(record.settings, settings);
    if (friendlyName !== undefined)
      record.friendlyName = friendlyName || formatNational(record.phoneNumber);
    record.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return record;
  }

  /** Release (DELETE): the number leaves the account for good. */
  release(record: IncomingPhoneNumberRecord): void {
    this.numbers.delete(record.sid);
    this.inventory.remove(record.phoneNumber);
    for (const listener of this.releaseListeners) listener(record);
    this.ctx.changed();
  }

  onRelease(listener: (record: IncomingPhoneNumberRecord) => void): void {
    this.releaseListeners.push(listener);
  }

  snapshot(): IncomingPhoneNumberRecord[] {
    return structuredClone([...this.numbers.values()]);
  }

  restore(records: readonly IncomingPhoneNumberRecord[]): void {
    this.numbers.clear();
    for (const r of records) this.numbers.set(r.sid, structuredClone(r));
    this.seq = Math.max(0, ...records.map((r) => r.seq));
  }

  private insert(fields: {
    sid?: string;
    phoneNumber: string;
    friendlyName: string;
    capabilities: NumberCapabilities;
    origin: string;
    settings: Settings;
  }): IncomingPhoneNumberRecord {
    const now = timestamp(this.ctx);
    const record: IncomingPhoneNumberRecord = {
      seq: ++this.seq,
      sid: fields.sid ?? newSid("PN"),
      accountSid: this.ctx.accountSid,
      phoneNumber: fields.phoneNumber,
      friendlyName: fields.friendlyName,
      capabilities: fields.capabilities,
      origin: fields.origin,
      dateCreated: now,
      dateUpdated: now,
      settings: { ...defaultSettings(PHONE_NUMBER_SETTINGS), ...fields.settings },
    };
    this.numbers.set(record.sid, record);
    this.ctx.changed();
    return record;
  }
}
