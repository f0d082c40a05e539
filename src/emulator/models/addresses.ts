/**
 * Addresses (`AD…`, 2010 API `/Accounts/{AC}/Addresses.json`): what a Trust Hub supporting document
 * of type `customer_profile_address` points at (`address_sids`). Twilio's rules modelled:
 *
 * - `CustomerName`, `Street`, `City`, `Region`, `PostalCode` and `IsoCountry` are required on create
 *   (20001 naming the first missing one); `IsoCountry` is two capital letters;
 * - `FriendlyName` defaults to null; `EmergencyEnabled` to false; the address is stored as given
 *   (`AutoCorrectAddress` is accepted; nothing is corrected) and reported `validated` and
 *   `verified` false, as Twilio reports addresses outside the countries it validates;
 * - update changes only the given fields (`IsoCountry` cannot change, as on Twilio); delete
 *   removes it.
 */
import { invalidParameter } from "../errors";
import { booleanParam, type Params, stringParam } from "../params";
import { newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { RecordStore } from "./record-store";

export interface AddressRecord {
  seq: number;
  sid: string;
  accountSid: string;
  customerName: string;
  street: string;
  streetSecondary: string | null;
  city: string;
  region: string;
  postalCode: string;
  isoCountry: string;
  friendlyName: string | null;
  emergencyEnabled: boolean;
  dateCreated: string;
  dateUpdated: string;
}

export interface AddressFilters {
  customerName?: string;
  friendlyName?: string;
  isoCountry?: string;
  emergencyEnabled?: boolean;
}

const REQUIRED = ["CustomerName", "Street", "City", "Region", "PostalCode", "IsoCountry"] as const;

function required(params: Params, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined || value.trim() === "") {
    throw invalidParameter(`Missing required parameter ${name} in the post body`);
  }
  return value;
}

export class AddressModel {
  private readonly addresses = new RecordStore<AddressRecord>();

  constructor(private readonly ctx: ModelContext) {}

  create(params: Params): AddressRecord {
    const [customerName, street, city, region, postalCode, isoCountry] = REQUIRED.map((name) =>
      required(params, name),
    ) as [string, string, string, string, string, string];
    if (!/^[A-Z]{2}$/.test(isoCountry)) {
      throw invalidParameter(`IsoCountry must be an ISO 3166-1 alpha-2 code, got '${isoCountry}'`);
    }
    booleanParam(params, "AutoCorrectAddress");
    const now = timestamp(this.ctx);
    const record: AddressRecord = {
      seq: this.addresses.nextSeq(),
      sid: newSid("AD"),
      accountSid: this.ctx.accountSid,
      customerName,
      street,
      streetSecondary: stringParam(params, "StreetSecondary") || null,
      city,
      region,
      postalCode,
      isoCountry,
      friendlyName: stringParam(params, "FriendlyName") || null,
      emergencyEnabled: booleanParam(params, "EmergencyEnabled") ?? false,
      dateCreated: now,
      dateUpdated: now,
    };
    this.addresses.add(record);
    this.ctx.changed();
    return record;
  }

  get(sid: string): AddressRecord | undefined {
    return this.addresses.get(sid);
  }

  list(filters: AddressFilters = {}): AddressRecord[] {
    return this.addresses
      .values()
      .filter(
        (a) =>
          (filters.customerName === undefined || a.customerName === filters.customerName) &&
          (filters.friendlyName === undefined || a.friendlyName === filters.friendlyName) &&
          (filters.isoCountry === undefined || a.isoCountry === filters.isoCountry) &&
          (filters.emergencyEnabled === undefined ||
            a.emergencyEnabled === filters.emergencyEnabled),
      );
  }

  update(record: AddressRecord, params: Params): AddressRecord {
    const text = (name: string) => {
      const value = stringParam(params, name);
      if (value !== undefined && value.trim() === "" && name !== "FriendlyName") {
        throw invalidParameter(`${name} cannot be empty`);
      }
      return value;
    };
    const changes = {
      customerName: text("CustomerName"),
      street: text("Street"),
      city: text("City"),
      region: text("Region"),
      postalCode: text("PostalCode"),
    };
    const friendlyName = stringParam(params, "FriendlyName");
    const streetSecondary = stringParam(params, "StreetSecondary");
    const emergencyEnabled = booleanParam(params, "EmergencyEnabled");
    booleanParam(params, "AutoCorrectAddress");
    for (const [field, value] of Object.entries(changes)) {
      if (value !== undefined) (record as unknown as Record<string, string>)[field] = value;
    }
    if (friendlyName !== undefined) record.friendlyName = friendlyName || null;
    if (streetSecondary !== undefined) record.streetSecondary = streetSecondary || null;
    if (emergencyEnabled !== undefined) record.emergencyEnabled = emergencyEnabled;
    record.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return record;
  }

  delete(record: AddressRecord): void {
    this.addresses.delete(record.sid);
    this.ctx.changed();
  }

  snapshot(): AddressRecord[] {
    return this.addresses.snapshot();
  }

  restore(records: readonly AddressRecord[]): void {
    this.addresses.restore(records);
  }
}
