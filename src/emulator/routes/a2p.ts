/**
 * URLs of US A2P 10DLC on Messaging v1 (messaging.twilio.com): brand registrations
 * (`/v1/a2p/BrandRegistrations…`), a service's campaign (`/v1/Services/{MG}/Compliance/Usa2p…`)
 * and the use case lists (`…/Usa2p/Usecases`, `/v1/Services/Usecases`). Models:
 * `models/brand-registrations.ts`, `models/us-a2p-campaigns.ts`. These routes come before the
 * Messaging Service routes in the table: `/v1/Services/Usecases` is not a service SID.
 */
import { notFound } from "../errors";
import { USECASES } from "../models/messaging-services";
import type { EmulatorState } from "../models/state";
import { usecasesFor } from "../models/us-a2p-campaigns";
import { paginate, readPageRequest } from "../paging";
import { stringParam } from "../params";
import { renderListV1, serviceUrl } from "../render";
import { renderA2pUsecases, renderBrand, renderCampaign } from "../render-a2p";
import { requireService } from "./messaging-services";
import { accepted, created, type Handler, noContent, ok, type Route } from "./route";

function requireBrand(state: EmulatorState, sid: string, path: string) {
  const brand = state.compliance.brands.get(sid);
  if (!brand) throw notFound(path);
  return brand;
}

const listBrands: Handler = (req, _groups, { state, render }) => {
  const pageRequest = readPageRequest(req.query);
  const result = paginate(state.compliance.brands.list(), pageRequest, "asc");
  return ok(
    renderListV1(
      "data",
      `${render.messagingOrigin}/v1/a2p/BrandRegistrations`,
      [],
      result,
      pageRequest.pageToken,
      result.items.map((b) => renderBrand(render, b)),
    ),
  );
};

const createBrand: Handler = (req, _groups, { state, render }) =>
  created(renderBrand(render, state.compliance.brands.create(req.params)));

const fetchBrand: Handler = (req, [sid = ""], { state, render }) =>
  ok(renderBrand(render, requireBrand(state, sid, req.path)));

/** Twilio answers a brand resubmission 202 Accepted. */
const resubmitBrand: Handler = (req, [sid = ""], { state, render }) =>
  accepted(
    renderBrand(render, state.compliance.brands.resubmit(requireBrand(state, sid, req.path))),
  );

function requireCampaign(state: EmulatorState, serviceSid: string, sid: string, path: string) {
  const service = requireService(state, serviceSid, path);
  const campaign = state.compliance.campaigns.get(service, sid);
  if (!campaign) throw notFound(path);
  return campaign;
}

const listCampaigns: Handler = (req, [mgSid = ""], { state, render }) => {
  const service = requireService(state, mgSid, req.path);
  const campaign = state.compliance.campaigns.ofService(service.sid);
  const pageRequest = readPageRequest(req.query);
  const result = paginate(campaign ? [campaign] : [], pageRequest, "asc");
  return ok(
    renderListV1(
      "compliance",
      `${serviceUrl(render, service.sid)}/Compliance/Usa2p`,
      [],
      result,
      pageRequest.pageToken,
      result.items.map((c) => renderCampaign(render, c)),
    ),
  );
};

const createCampaign: Handler = (req, [mgSid = ""], { state, render }) => {
  const service = requireService(state, mgSid, req.path);
  return created(renderCampaign(render, state.compliance.campaigns.create(service, req.params)));
};

const fetchCampaign: Handler = (req, [mgSid = "", sid = ""], { state, render }) =>
  ok(renderCampaign(render, requireCampaign(state, mgSid, sid, req.path)));

const updateCampaign: Handler = (req, [mgSid = "", sid = ""], { state, render }) =>
  ok(
    renderCampaign(
      render,
      state.compliance.campaigns.update(requireCampaign(state, mgSid, sid, req.path), req.params),
    ),
  );

const deleteCampaign: Handler = (req, [mgSid = "", sid = ""], { state }) => {
  state.compliance.campaigns.delete(requireCampaign(state, mgSid, sid, req.path));
  return noContent;
};

const campaignUsecases: Handler = (req, [mgSid = ""], { state }) => {
  requireService(state, mgSid, req.path);
  const brandSid = stringParam(req.query, "BrandRegistrationSid");
  const brand = brandSid !== undefined ? requireBrand(state, brandSid, req.path) : undefined;
  return ok(renderA2pUsecases(usecasesFor(brand?.brandType)));
};

const USECASE_PURPOSES: Record<string, string> = {
  notifications: "Send notifications such as reminders, alerts and account updates",
  marketing: "Send promotions, offers and other marketing content",
  verification: "Send one-time passwords and verification codes",
  discussion: "Hold conversations with customers",
  poll: "Run polls and surveys",
  undeclared: "No use case declared",
};

const serviceUsecases: Handler = () =>
  ok({
    usecases: USECASES.map((usecase) => ({
      usecase,
      description: USECASE_PURPOSES[usecase] ?? usecase,
      purpose: USECASE_PURPOSES[usecase] ?? usecase,
    })),
  });

export const A2P_ROUTES: readonly Route[] = [
  {
    family: "brand-registrations",
    pattern: /^\/v1\/a2p\/BrandRegistrations$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "ListBrandRegistrations", handle: listBrands },
      POST: { operationId: "CreateBrandRegistrations", handle: createBrand },
    },
  },
  {
    family: "brand-registrations",
    pattern: /^\/v1\/a2p\/BrandRegistrations\/([^/]+)$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "FetchBrandRegistrations", handle: fetchBrand },
      POST: { operationId: "UpdateBrandRegistrations", handle: resubmitBrand },
    },
  },
  {
    family: "us-a2p-usecases",
    pattern: /^\/v1\/Services\/Usecases$/,
    accountInPath: false,
    operations: { GET: { operationId: "FetchUsecase", handle: serviceUsecases } },
  },
  {
    family: "us-a2p-usecases",
    pattern: /^\/v1\/Services\/([^/]+)\/Compliance\/Usa2p\/Usecases$/,
    accountInPath: false,
    operations: { GET: { operationId: "FetchUsAppToPersonUsecase", handle: campaignUsecases } },
  },
  {
    family: "us-a2p-campaigns",
    pattern: /^\/v1\/Services\/([^/]+)\/Compliance\/Usa2p$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "ListUsAppToPerson", handle: listCampaigns },
      POST: { operationId: "CreateUsAppToPerson", handle: createCampaign },
    },
  },
  {
    family: "us-a2p-campaigns",
    pattern: /^\/v1\/Services\/([^/]+)\/Compliance\/Usa2p\/([^/]+)$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "FetchUsAppToPerson", handle: fetchCampaign },
      POST: { operationId: "UpdateUsAppToPerson", handle: updateCampaign },
      DELETE: { operationId: "DeleteUsAppToPerson", handle: deleteCampaign },
    },
  },
];
