/**
 * URLs of the 2010 API's phone number resources: the search for numbers for sale
 * (`AvailablePhoneNumbers/{Country}/Local.json`) and the account's own numbers
 * (`IncomingPhoneNumbers`). Models: `models/inventory.ts`, `models/phone-numbers.ts`.
 */
import { notFound } from "../errors";
import { containsMatcher } from "../models/inventory";
import type { EmulatorState } from "../models/state";
import { paginate, readPageRequest } from "../paging";
import { booleanParam, isE164, stringParam } from "../params";
import { renderAvailableNumber, renderIncomingPhoneNumber, renderList2010 } from "../render";
import { ACCOUNT, created, type Handler, noContent, ok, presentFilters, type Route } from "./route";

const searchLocal: Handler = (req, [, country = ""], { state }) => {
  if (!/^[A-Z]{2}$/.test(country)) throw notFound(req.path);
  const q = req.query;
  const areaCode = stringParam(q, "AreaCode");
  const pageSize = readPageRequest(q).pageSize;
  const found = state.inventory.search(country, {
    ...(areaCode !== undefined ? { areaCode } : {}),
    ...(stringParam(q, "Contains") !== undefined ? { contains: stringParam(q, "Contains") } : {}),
    smsEnabled: booleanParam(q, "SmsEnabled"),
    mmsEnabled: booleanParam(q, "MmsEnabled"),
    voiceEnabled: booleanParam(q, "VoiceEnabled"),
    faxEnabled: booleanParam(q, "FaxEnabled"),
    inRegion: stringParam(q, "InRegion"),
    inPostalCode: stringParam(q, "InPostalCode"),
    inLocality: stringParam(q, "InLocality"),
    limit: pageSize,
  });
  // Twilio's search answers one page with no paging links (see the spec's examples).
  return ok({ available_phone_numbers: found.map(renderAvailableNumber), uri: req.path });
};

const listNumbers: Handler = (req, _groups, { state }) => {
  const phoneNumber = stringParam(req.query, "PhoneNumber");
  const friendlyName = stringParam(req.query, "FriendlyName");
  // Exact match for a full E.164 number; Twilio also accepts partial numbers with `*` wildcards.
  const matchesNumber =
    phoneNumber === undefined
      ? () => true
      : isE164(phoneNumber)
        ? (n: string) => n === phoneNumber
        : containsMatcher(phoneNumber);
  const all = state.phoneNumbers
    .list(friendlyName !== undefined ? { friendlyName } : {})
    .filter((n) => matchesNumber(n.phoneNumber));
  const pageRequest = readPageRequest(req.query);
  const result = paginate(all, pageRequest, "asc");
  return ok(
    renderList2010(
      "incoming_phone_numbers",
      req.path,
      presentFilters(req.query, ["FriendlyName", "PhoneNumber"]),
      result,
      pageRequest.pageToken,
      result.items.map(renderIncomingPhoneNumber),
    ),
  );
};

const buyNumber: Handler = (req, _groups, { state }) =>
  created(renderIncomingPhoneNumber(state.phoneNumbers.buy(req.params)));

function requireNumber(state: EmulatorState, sid: string, path: string) {
  const number = state.phoneNumbers.get(sid);
  if (!number) throw notFound(path);
  return number;
}

const fetchNumber: Handler = (req, [, sid = ""], { state }) =>
  ok(renderIncomingPhoneNumber(requireNumber(state, sid, req.path)));

const updateNumber: Handler = (req, [, sid = ""], { state }) =>
  ok(
    renderIncomingPhoneNumber(
      state.phoneNumbers.update(requireNumber(state, sid, req.path), req.params),
    ),
  );

const releaseNumber: Handler = (req, [, sid = ""], { state }) => {
  state.phoneNumbers.release(requireNumber(state, sid, req.path));
  return noContent;
};

export const PHONE_NUMBER_ROUTES: readonly Route[] = [
  {
    family: "available-phone-numbers",
    pattern: new RegExp(`^${ACCOUNT}/AvailablePhoneNumbers/([^/]+)/Local\\.json$`),
    accountInPath: true,
    operations: { GET: { operationId: "ListAvailablePhoneNumberLocal", handle: searchLocal } },
  },
  {
    family: "incoming-phone-numbers",
    pattern: new RegExp(`^${ACCOUNT}/IncomingPhoneNumbers\\.json$`),
    accountInPath: true,
    operations: {
      GET: { operationId: "ListIncomingPhoneNumber", handle: listNumbers },
      POST: { operationId: "CreateIncomingPhoneNumber", handle: buyNumber },
    },
  },
  {
    family: "incoming-phone-numbers",
    pattern: new RegExp(`^${ACCOUNT}/IncomingPhoneNumbers/([^/]+)\\.json$`),
    accountInPath: true,
    operations: {
      GET: { operationId: "FetchIncomingPhoneNumber", handle: fetchNumber },
      POST: { operationId: "UpdateIncomingPhoneNumber", handle: updateNumber },
      DELETE: { operationId: "DeleteIncomingPhoneNumber", handle: releaseNumber },
    },
  },
];
