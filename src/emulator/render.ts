/**
 * Twilio's JSON for each resource (the emulator's `responses`): snake_case fields, SIDs, dates in
 * RFC 2822 for the 2010 API and ISO 8601 for Messaging v1, `uri`/`url`/`links`, and the two list
 * envelopes (2010: `first_page_uri`, `next_page_uri`, `page`, …; v1: a `meta` object with absolute
 * URLs). Models hold state; nothing here changes it.
 *
 * Where Twilio's live API answers an unset URL or SID field with "" (its own schema says such
 * fields are URIs/SIDs or null), the emulator answers null, so every response validates against the
 * published schema. Clients should treat "" and null alike.
 */
import type { AvailableNumber } from "./models/inventory";
import type { MessageRecord } from "./models/messages";
import type { MessagingServiceRecord, ServicePhoneNumberRecord } from "./models/messaging-services";
import { countryOfNumber, formatNational } from "./models/nanp";
import type { IncomingPhoneNumberRecord } from "./models/phone-numbers";
import type { PageResult } from "./paging";

/** Where absolute URLs in responses point: Twilio's hosts (default) or the emulator itself. */
export interface RenderContext {
  /** Origin for Messaging v1 URLs, e.g. `https://messaging.twilio.com`. */
  messagingOrigin: string;
  /** Origin for IAM v1 URLs, e.g. `https://iam.twilio.com`. */
  iamOrigin: string;
  /** Origin for Trust Hub v1 URLs, e.g. `https://trusthub.twilio.com`. */
  trustHubOrigin: string;
}

/** Twilio's own hosts, what responses name unless the emulator was asked for local URLs. */
export const TWILIO_ORIGINS: RenderContext = {
  messagingOrigin: "https://messaging.twilio.com",
  iamOrigin: "https://iam.twilio.com",
  trustHubOrigin: "https://trusthub.twilio.com",
};

export type Json = Record<string, unknown>;

/** `Thu, 30 Jul 2015 23:19:04 +0000`, the 2010 API's date format. */
export function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace(/GMT$/, "+0000");
}

/** `2015-07-30T23:19:04Z`, Messaging v1's date format (no milliseconds). */
export function iso8601(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function accountPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}`;
}

export function renderIncomingPhoneNumber(n: IncomingPhoneNumberRecord): Json {
  const uri = `${accountPath(n.accountSid)}/IncomingPhoneNumbers/${n.sid}.json`;
  return {
    account_sid: n.accountSid,
    address_requirements: "none",
    beta: false,
    capabilities: { ...n.capabilities },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    emergency_address_status: "unregistered",
    friendly_name: n.friendlyName,
    origin: n.origin,
    phone_number: n.phoneNumber,
    sid: n.sid,
    status: "in-use",
    ...n.settings,
    uri,
    subresource_uris: {
      assigned_add_ons: `${accountPath(n.accountSid)}/IncomingPhoneNumbers/${n.sid}/AssignedAddOns.json`,
    },
  };
}

export function renderAvailableNumber(n: AvailableNumber): Json {
  return {
    friendly_name: formatNational(n.phoneNumber),
    phone_number: n.phoneNumber,
    lata: n.lata,
    locality: n.locality,
    rate_center: n.rateCenter,
    latitude: n.latitude,
    longitude: n.longitude,
    region: n.region,
    postal_code: n.postalCode,
    iso_country: n.isoCountry,
    address_requirements: "none",
    beta: false,
    capabilities: { ...n.capabilities },
  };
}

export function serviceUrl(ctx: RenderContext, sid: string): string {
  return `${ctx.messagingOrigin}/v1/Services/${sid}`;
}

/** A Messaging Service; `a2pRegistered` when its US A2P campaign is VERIFIED. */
export function renderService(
  ctx: RenderContext,
  s: MessagingServiceRecord,
  a2pRegistered = false,
): Json {
  const url = serviceUrl(ctx, s.sid);
  return {
    account_sid: s.accountSid,
    sid: s.sid,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    friendly_name: s.friendlyName,
    ...s.settings,
    us_app_to_person_registered: a2pRegistered,
    links: {
      phone_numbers: `${url}/PhoneNumbers`,
      short_codes: `${url}/ShortCodes`,
      alpha_senders: `${url}/AlphaSenders`,
      messages: `${url}/Messages`,
      us_app_to_person: `${url}/Compliance/Usa2p`,
      us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
      channel_senders: `${url}/ChannelSenders`,
      destination_alpha_senders: `${url}/DestinationAlphaSenders`,
    },
    url,
  };
}

export function renderServicePhoneNumber(
  ctx: RenderContext,
  m: ServicePhoneNumberRecord,
  number: IncomingPhoneNumberRecord,
): Json {
  const capabilities: string[] = [];
  if (number.capabilities.mms) capabilities.push("MMS");
  if (number.capabilities.sms) capabilities.push("SMS");
  if (number.capabilities.voice) capabilities.push("Voice");
  return {
    sid: number.sid,
    account_sid: number.accountSid,
    service_sid: m.serviceSid,
    date_created: iso8601(m.dateCreated),
    date_updated: iso8601(m.dateUpdated),
    phone_number: number.phoneNumber,
    country_code: countryOfNumber(number.phoneNumber) ?? null,
    capabilities,
    url: `${serviceUrl(ctx, m.serviceSid)}/PhoneNumbers/${number.sid}`,
  };
}

/**
 * A message. `asCreated` renders the create response: a message whose sender the service picks is
 * `accepted` with `from: null` there, as Twilio answers before it has picked; and a message that
 * is going to fail (30034) is still `queued`/`accepted` without an error there, as Twilio learns
 * of the block after answering.
 */
export function renderMessage(m: MessageRecord, options: { asCreated?: boolean } = {}): Json {
  const asCreated = options.asCreated === true;
  const pending = asCreated && m.senderPickedByService;
  const base = `${accountPath(m.accountSid)}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: "2010-04-01",
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: pending ? null : rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: "outbound-api",
    error_code: asCreated ? null : (m.errorCode ?? null),
    error_message: asCreated ? null : (m.errorMessage ?? null),
    from: pending ? null : m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(m.numSegments),
    price: null,
    price_unit: "USD",
    sid: m.sid,
    status: pending ? "accepted" : asCreated ? "queued" : m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}

/** Query string in Twilio's order: filters first, then PageSize, Page and PageToken. */
function pageQuery(
  filters: [string, string][],
  pageSize: number,
  page: number,
  token?: string,
): string {
  const query = new URLSearchParams(filters);
  query.set("PageSize", String(pageSize));
  query.set("Page", String(page));
  if (token !== undefined) query.set("PageToken", token);
  return query.toString();
}

/** The 2010 API list envelope; `path` is the list path, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
export function renderList2010(
  key: string,
  path: string,
  filters: [string, string][],
  result: PageResult<unknown>,
  currentToken: string | undefined,
  items: Json[],
): Json {
  const { page, pageSize, start } = result;
  return {
    [key]: items,
    first_page_uri: `${path}?${pageQuery(filters, pageSize, 0)}`,
    next_page_uri:
      result.nextToken === undefined
        ? null
        : `${path}?${pageQuery(filters, pageSize, page + 1, result.nextToken)}`,
    previous_page_uri:
      result.previousToken === undefined
        ? null
        : `${path}?${pageQuery(filters, pageSize, Math.max(page - 1, 0), result.previousToken)}`,
    page,
    page_size: pageSize,
    start,
    end: items.length > 0 ? start + items.length - 1 : start,
    uri: `${path}?${pageQuery(filters, pageSize, page, currentToken)}`,
  };
}

/** The Messaging v1 list envelope; `url` is the absolute list URL without query. */
export function renderListV1(
  key: string,
  url: string,
  filters: [string, string][],
  result: PageResult<unknown>,
  currentToken: string | undefined,
  items: Json[],
): Json {
  const { page, pageSize } = result;
  return {
    [key]: items,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: `${url}?${pageQuery(filters, pageSize, 0)}`,
      previous_page_url:
        result.previousToken === undefined
          ? null
          : `${url}?${pageQuery(filters, pageSize, Math.max(page - 1, 0), result.previousToken)}`,
      url: `${url}?${pageQuery(filters, pageSize, page, currentToken)}`,
      next_page_url:
        result.nextToken === undefined
          ? null
          : `${url}?${pageQuery(filters, pageSize, page + 1, result.nextToken)}`,
      key,
    },
  };
}
