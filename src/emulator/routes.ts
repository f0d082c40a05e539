/**
 * The emulator's `urls`: which Twilio path and method runs which model operation, and how its
 * result is rendered. Both path families the SDK uses are here: the 2010 API
 * (`/2010-04-01/Accounts/{AC}/…`) and Messaging v1 (`/v1/Services…`).
 *
 * Each operation carries Twilio's `operationId` from the official OpenAPI description (e.g.
 * `CreateIncomingPhoneNumber`), which faults match on and the request log records.
 */
import { invalidParameter, notFound, TwilioError } from "./errors";
import { containsMatcher } from "./models/inventory";
import type { ServicePhoneNumberRecord } from "./models/messaging-services";
import type { EmulatorState } from "./models/state";
import { paginate, readPageRequest } from "./paging";
import { booleanParam, isE164, type Params, stringParam } from "./params";
import {
  type Json,
  type RenderContext,
  renderAvailableNumber,
  renderIncomingPhoneNumber,
  renderList2010,
  renderListV1,
  renderMessage,
  renderService,
  renderServicePhoneNumber,
  serviceUrl,
} from "./render";

/** Resource families, for counting calls (e.g. "no mutating call to messaging-services"). */
export type ResourceFamily =
  | "available-phone-numbers"
  | "incoming-phone-numbers"
  | "messages"
  | "messaging-services"
  | "messaging-service-phone-numbers";

export interface ApiRequest {
  method: string;
  path: string;
  query: Params;
  params: Params;
}

export interface ApiResponse {
  status: number;
  body: Json | null;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: EmulatorState;
  render: RenderContext;
}

type Handler = (req: ApiRequest, groups: string[], ctx: RouteContext) => ApiResponse;

interface Route {
  family: ResourceFamily;
  pattern: RegExp;
  /** True for 2010 paths: group 1 is the account SID, checked against the caller's account. */
  accountInPath: boolean;
  operations: Record<string, { operationId: string; handle: Handler }>;
}

export interface MatchedOperation {
  family: ResourceFamily;
  operationId: string;
  /** Path account SID of a 2010 path (undefined for v1). */
  pathAccountSid?: string;
  run(ctx: RouteContext): ApiResponse;
}

const ok = (body: Json): ApiResponse => ({ status: 200, body });
const created = (body: Json): ApiResponse => ({ status: 201, body });
const noContent: ApiResponse = { status: 204, body: null };

/** Filters present in the query, in the given order, to carry into page URIs. */
function presentFilters(query: Params, names: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const name of names) {
    const value = stringParam(query, name);
    if (value !== undefined) out.push([name, value]);
  }
  return out;
}

function parseDateFilter(query: Params, name: string): Date | undefined {
  const value = stringParam(query, name);
  if (value === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw invalidParameter(`Invalid date '${value}' for ${name}`);
  return date;
}

// ---- 2010 API: AvailablePhoneNumbers ----------------------------------------------------------

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

// ---- 2010 API: IncomingPhoneNumbers -----------------------------------------------------------

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

// ---- 2010 API: Messages -----------------------------------------------------------------------

const sendMessage: Handler = (req, _groups, { state }) =>
  created(renderMessage(state.messages.send(req.params), { asCreated: true }));

const listMessages: Handler = (req, _groups, { state }) => {
  const q = req.query;
  const all = state.messages.list({
    to: stringParam(q, "To"),
    from: stringParam(q, "From"),
    dateSent: parseDateFilter(q, "DateSent"),
    dateSentBefore: parseDateFilter(q, "DateSent<"),
    dateSentAfter: parseDateFilter(q, "DateSent>"),
  });
  const pageRequest = readPageRequest(q);
  const result = paginate(all, pageRequest, "desc");
  return ok(
    renderList2010(
      "messages",
      req.path,
      presentFilters(q, ["To", "From", "DateSent", "DateSent<", "DateSent>"]),
      result,
      pageRequest.pageToken,
      result.items.map((m) => renderMessage(m)),
    ),
  );
};

const fetchMessage: Handler = (req, [, sid = ""], { state }) => {
  const message = state.messages.get(sid);
  if (!message) throw notFound(req.path);
  return ok(renderMessage(message));
};

// ---- Messaging v1: Services ---------------------------------------------------------------------

function requireService(state: EmulatorState, sid: string, path: string) {
  const service = state.messagingServices.get(sid);
  if (!service) throw notFound(path);
  return service;
}

const createService: Handler = (req, _groups, { state, render }) =>
  created(renderService(render, state.messagingServices.create(req.params)));

const listServices: Handler = (req, _groups, { state, render }) => {
  const pageRequest = readPageRequest(req.query);
  const result = paginate(state.messagingServices.list(), pageRequest, "asc");
  return ok(
    renderListV1(
      "services",
      `${render.messagingOrigin}/v1/Services`,
      [],
      result,
      pageRequest.pageToken,
      result.items.map((s) => renderService(render, s)),
    ),
  );
};

const fetchService: Handler = (req, [sid = ""], { state, render }) =>
  ok(renderService(render, requireService(state, sid, req.path)));

const updateService: Handler = (req, [sid = ""], { state, render }) =>
  ok(
    renderService(
      render,
      state.messagingServices.update(requireService(state, sid, req.path), req.params),
    ),
  );

const deleteService: Handler = (req, [sid = ""], { state }) => {
  state.messagingServices.delete(requireService(state, sid, req.path));
  return noContent;
};

// ---- Messaging v1: Services/{MG}/PhoneNumbers ----------------------------------------------------

function renderMembership(ctx: RouteContext, membership: ServicePhoneNumberRecord): Json {
  const number = ctx.state.phoneNumbers.get(membership.phoneNumberSid);
  // Releasing a number removes its membership, so a member always has its number.
  if (!number) throw new TwilioError(20500, "Pool member without a phone number");
  return renderServicePhoneNumber(ctx.render, membership, number);
}

const addServiceNumber: Handler = (req, [sid = ""], ctx) => {
  const service = requireService(ctx.state, sid, req.path);
  return created(
    renderMembership(ctx, ctx.state.messagingServices.addPhoneNumber(service, req.params)),
  );
};

const listServiceNumbers: Handler = (req, [sid = ""], ctx) => {
  const service = requireService(ctx.state, sid, req.path);
  const pageRequest = readPageRequest(req.query);
  const result = paginate(
    ctx.state.messagingServices.listPhoneNumbers(service),
    pageRequest,
    "asc",
  );
  return ok(
    renderListV1(
      "phone_numbers",
      `${serviceUrl(ctx.render, service.sid)}/PhoneNumbers`,
      [],
      result,
      pageRequest.pageToken,
      result.items.map((m) => renderMembership(ctx, m)),
    ),
  );
};

function requireMembership(ctx: RouteContext, serviceSid: string, pnSid: string, path: string) {
  const service = requireService(ctx.state, serviceSid, path);
  const membership = ctx.state.messagingServices.getPhoneNumber(service, pnSid);
  if (!membership) throw notFound(path);
  return membership;
}

const fetchServiceNumber: Handler = (req, [sid = "", pnSid = ""], ctx) =>
  ok(renderMembership(ctx, requireMembership(ctx, sid, pnSid, req.path)));

const removeServiceNumber: Handler = (req, [sid = "", pnSid = ""], ctx) => {
  ctx.state.messagingServices.removePhoneNumber(requireMembership(ctx, sid, pnSid, req.path));
  return noContent;
};

// ---- The table ----------------------------------------------------------------------------------

const ACCOUNT = "/2010-04-01/Accounts/([^/]+)";

export const ROUTES: readonly Route[] = [
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
  {
    family: "messages",
    pattern: new RegExp(`^${ACCOUNT}/Messages\\.json$`),
    accountInPath: true,
    operations: {
      GET: { operationId: "ListMessage", handle: listMessages },
      POST: { operationId: "CreateMessage", handle: sendMessage },
    },
  },
  {
    family: "messages",
    pattern: new RegExp(`^${ACCOUNT}/Messages/([^/]+)\\.json$`),
    accountInPath: true,
    operations: { GET: { operationId: "FetchMessage", handle: fetchMessage } },
  },
  {
    family: "messaging-services",
    pattern: /^\/v1\/Services$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "ListService", handle: listServices },
      POST: { operationId: "CreateService", handle: createService },
    },
  },
  {
    family: "messaging-services",
    pattern: /^\/v1\/Services\/([^/]+)$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "FetchService", handle: fetchService },
      POST: { operationId: "UpdateService", handle: updateService },
      DELETE: { operationId: "DeleteService", handle: deleteService },
    },
  },
  {
    family: "messaging-service-phone-numbers",
    pattern: /^\/v1\/Services\/([^/]+)\/PhoneNumbers$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "ListPhoneNumber", handle: listServiceNumbers },
      POST: { operationId: "CreatePhoneNumber", handle: addServiceNumber },
    },
  },
  {
    family: "messaging-service-phone-numbers",
    pattern: /^\/v1\/Services\/([^/]+)\/PhoneNumbers\/([^/]+)$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "FetchPhoneNumber", handle: fetchServiceNumber },
      DELETE: { operationId: "DeletePhoneNumber", handle: removeServiceNumber },
    },
  },
];

/**
 * Finds the operation for a request. Unknown paths are 20404; a known path with a method it does
 * not serve is 20004 (405).
 */
export function matchOperation(req: ApiRequest): MatchedOperation {
  for (const route of ROUTES) {
    const match = route.pattern.exec(req.path);
    if (!match) continue;
    const operation = route.operations[req.method];
    if (!operation) throw new TwilioError(20004, `Method ${req.method} not allowed on ${req.path}`);
    const groups = match.slice(1).map((g) => decodeURIComponent(g));
    return {
      family: route.family,
      operationId: operation.operationId,
      ...(route.accountInPath ? { pathAccountSid: groups[0] } : {}),
      run: (ctx) => operation.handle(req, groups, ctx),
    };
  }
  throw notFound(req.path);
}
