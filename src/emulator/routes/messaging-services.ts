/**
 * URLs of Messaging v1 Services and their sender pools (`/v1/Services…`, on
 * messaging.twilio.com). Model: `models/messaging-services.ts`.
 */
import { notFound, TwilioError } from "../errors";
import type { ServicePhoneNumberRecord } from "../models/messaging-services";
import type { EmulatorState } from "../models/state";
import { paginate, readPageRequest } from "../paging";
import {
  type Json,
  renderListV1,
  renderService,
  renderServicePhoneNumber,
  serviceUrl,
} from "../render";
import { created, type Handler, noContent, ok, type Route, type RouteContext } from "./route";

export function requireService(state: EmulatorState, sid: string, path: string) {
  const service = state.messagingServices.get(sid);
  if (!service) throw notFound(path);
  return service;
}

/** Does the service have a VERIFIED US A2P campaign (`us_app_to_person_registered`)? */
const registered = (state: EmulatorState, sid: string) => state.compliance.hasVerifiedCampaign(sid);

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
      result.items.map((s) => renderService(render, s, registered(state, s.sid))),
    ),
  );
};

const fetchService: Handler = (req, [sid = ""], { state, render }) =>
  ok(renderService(render, requireService(state, sid, req.path), registered(state, sid)));

const updateService: Handler = (req, [sid = ""], { state, render }) =>
  ok(
    renderService(
      render,
      state.messagingServices.update(requireService(state, sid, req.path), req.params),
      registered(state, sid),
    ),
  );

const deleteService: Handler = (req, [sid = ""], { state }) => {
  state.messagingServices.delete(requireService(state, sid, req.path));
  return noContent;
};

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

export const MESSAGING_SERVICE_ROUTES: readonly Route[] = [
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
