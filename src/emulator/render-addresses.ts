/** Twilio's JSON for the 2010 API's Addresses (`/2010-04-01/Accounts/{AC}/Addresses…`). */
import type { AddressRecord } from "./models/addresses";
import { accountPath, type Json, rfc2822 } from "./render";

export function renderAddress(a: AddressRecord): Json {
  return {
    account_sid: a.accountSid,
    city: a.city,
    customer_name: a.customerName,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    friendly_name: a.friendlyName,
    iso_country: a.isoCountry,
    postal_code: a.postalCode,
    region: a.region,
    sid: a.sid,
    street: a.street,
    street_secondary: a.streetSecondary,
    uri: `${accountPath(a.accountSid)}/Addresses/${a.sid}.json`,
    emergency_enabled: a.emergencyEnabled,
    validated: false,
    verified: false,
  };
}
