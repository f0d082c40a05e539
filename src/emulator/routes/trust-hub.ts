/**
 * URLs of Trust Hub v1 (on trusthub.twilio.com): customer profiles and trust products with their
 * entity assignments and evaluations, end users, supporting documents and policies. Models:
 * `models/trust-hub-*.ts`, wired in `models/compliance.ts`.
 */
import { notFound } from "../errors";
import type { EmulatorState } from "../models/state";
import type { TrustHubItemModel } from "../models/trust-hub-items";
import type { BundleKind } from "../models/trust-hub-policies";
import { POLICIES, policyBySid } from "../models/trust-hub-policies";
import { paginate, readPageRequest } from "../paging";
import { stringParam } from "../params";
import { type RenderContext, renderListV1 } from "../render";
import {
  bundleUrl,
  renderAssignment,
  renderBundle,
  renderEvaluation,
  renderPolicy,
  renderTrustHubItem,
} from "../render-trust-hub";
import {
  created,
  type Handler,
  noContent,
  ok,
  presentFilters,
  type ResourceFamily,
  type Route,
} from "./route";

/** A page of a Trust Hub list (key `results`, as Trust Hub lists are). */
function page<T extends { seq: number }>(
  req: { query: Record<string, string | string[]> },
  url: string,
  filters: [string, string][],
  all: readonly T[],
  render: (item: T) => Record<string, unknown>,
) {
  const pageRequest = readPageRequest(req.query);
  const result = paginate(all, pageRequest, "asc");
  return ok(
    renderListV1("results", url, filters, result, pageRequest.pageToken, result.items.map(render)),
  );
}

function requireBundle(state: EmulatorState, kind: BundleKind, sid: string, path: string) {
  const bundle = state.compliance.bundles.get(kind, sid);
  if (!bundle) throw notFound(path);
  return bundle;
}

/** The routes of one bundle kind: `/v1/CustomerProfiles…` or `/v1/TrustProducts…`. */
function bundleRoutes(kind: BundleKind): Route[] {
  const collection = kind === "customer-profile" ? "CustomerProfiles" : "TrustProducts";
  const op = kind === "customer-profile" ? "CustomerProfile" : "TrustProduct";
  const family: ResourceFamily =
    kind === "customer-profile" ? "customer-profiles" : "trust-products";
  const listUrl = (render: RenderContext) => `${render.trustHubOrigin}/v1/${collection}`;

  const list: Handler = (req, _groups, { state, render }) => {
    const q = req.query;
    const all = state.compliance.bundles.list(kind, {
      status: stringParam(q, "Status"),
      friendlyName: stringParam(q, "FriendlyName"),
      policySid: stringParam(q, "PolicySid"),
    });
    const filters = presentFilters(q, ["Status", "FriendlyName", "PolicySid"]);
    return page(req, listUrl(render), filters, all, (b) => renderBundle(render, b));
  };
  const create: Handler = (req, _groups, { state, render }) =>
    created(renderBundle(render, state.compliance.bundles.create(kind, req.params)));
  const fetch: Handler = (req, [sid = ""], { state, render }) =>
    ok(renderBundle(render, requireBundle(state, kind, sid, req.path)));
  const update: Handler = (req, [sid = ""], { state, render }) =>
    ok(
      renderBundle(
        render,
        state.compliance.bundles.update(requireBundle(state, kind, sid, req.path), req.params),
      ),
    );
  const remove: Handler = (req, [sid = ""], { state }) => {
    state.compliance.bundles.delete(requireBundle(state, kind, sid, req.path));
    return noContent;
  };

  const listAssignments: Handler = (req, [sid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    const objectType = stringParam(req.query, "ObjectType");
    const all = state.compliance.bundles.assignmentsOf(bundle, objectType);
    return page(
      req,
      `${bundleUrl(render, bundle)}/EntityAssignments`,
      presentFilters(req.query, ["ObjectType"]),
      all,
      (a) => renderAssignment(render, bundle, a),
    );
  };
  const assign: Handler = (req, [sid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    return created(
      renderAssignment(render, bundle, state.compliance.bundles.assign(bundle, req.params)),
    );
  };
  const fetchAssignment: Handler = (req, [sid = "", bvSid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    const assignment = state.compliance.bundles.getAssignment(bundle, bvSid);
    if (!assignment) throw notFound(req.path);
    return ok(renderAssignment(render, bundle, assignment));
  };
  const unassign: Handler = (req, [sid = "", bvSid = ""], { state }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    const assignment = state.compliance.bundles.getAssignment(bundle, bvSid);
    if (!assignment) throw notFound(req.path);
    state.compliance.bundles.unassign(bundle, assignment);
    return noContent;
  };

  const listEvaluations: Handler = (req, [sid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    return page(
      req,
      `${bundleUrl(render, bundle)}/Evaluations`,
      [],
      state.compliance.bundles.evaluationsOf(bundle),
      (e) => renderEvaluation(render, bundle, e),
    );
  };
  const evaluate: Handler = (req, [sid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    return created(
      renderEvaluation(render, bundle, state.compliance.bundles.evaluate(bundle, req.params)),
    );
  };
  const fetchEvaluation: Handler = (req, [sid = "", elSid = ""], { state, render }) => {
    const bundle = requireBundle(state, kind, sid, req.path);
    const evaluation = state.compliance.bundles.getEvaluation(bundle, elSid);
    if (!evaluation) throw notFound(req.path);
    return ok(renderEvaluation(render, bundle, evaluation));
  };

  const base = `^\\/v1\\/${collection}`;
  return [
    {
      family,
      pattern: new RegExp(`${base}$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `List${op}`, handle: list },
        POST: { operationId: `Create${op}`, handle: create },
      },
    },
    {
      family,
      pattern: new RegExp(`${base}\\/([^/]+)$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `Fetch${op}`, handle: fetch },
        POST: { operationId: `Update${op}`, handle: update },
        DELETE: { operationId: `Delete${op}`, handle: remove },
      },
    },
    {
      family: "trust-hub-entity-assignments",
      pattern: new RegExp(`${base}\\/([^/]+)\\/EntityAssignments$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `List${op}EntityAssignment`, handle: listAssignments },
        POST: { operationId: `Create${op}EntityAssignment`, handle: assign },
      },
    },
    {
      family: "trust-hub-entity-assignments",
      pattern: new RegExp(`${base}\\/([^/]+)\\/EntityAssignments\\/([^/]+)$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `Fetch${op}EntityAssignment`, handle: fetchAssignment },
        DELETE: { operationId: `Delete${op}EntityAssignment`, handle: unassign },
      },
    },
    {
      family: "trust-hub-evaluations",
      pattern: new RegExp(`${base}\\/([^/]+)\\/Evaluations$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `List${op}Evaluation`, handle: listEvaluations },
        POST: { operationId: `Create${op}Evaluation`, handle: evaluate },
      },
    },
    {
      family: "trust-hub-evaluations",
      pattern: new RegExp(`${base}\\/([^/]+)\\/Evaluations\\/([^/]+)$`),
      accountInPath: false,
      operations: { GET: { operationId: `Fetch${op}Evaluation`, handle: fetchEvaluation } },
    },
  ];
}

/** The routes of end users (`/v1/EndUsers`) or supporting documents (`/v1/SupportingDocuments`). */
function itemRoutes(
  collection: "EndUsers" | "SupportingDocuments",
  op: "EndUser" | "SupportingDocument",
  family: ResourceFamily,
  model: (state: EmulatorState) => TrustHubItemModel,
): Route[] {
  const requireItem = (state: EmulatorState, sid: string, path: string) => {
    const item = model(state).get(sid);
    if (!item) throw notFound(path);
    return item;
  };
  const list: Handler = (req, _groups, { state, render }) =>
    page(req, `${render.trustHubOrigin}/v1/${collection}`, [], model(state).list(), (i) =>
      renderTrustHubItem(render, i),
    );
  const create: Handler = (req, _groups, { state, render }) =>
    created(renderTrustHubItem(render, model(state).create(req.params)));
  const fetch: Handler = (req, [sid = ""], { state, render }) =>
    ok(renderTrustHubItem(render, requireItem(state, sid, req.path)));
  const update: Handler = (req, [sid = ""], { state, render }) =>
    ok(
      renderTrustHubItem(
        render,
        model(state).update(requireItem(state, sid, req.path), req.params),
      ),
    );
  const remove: Handler = (req, [sid = ""], { state }) => {
    model(state).delete(requireItem(state, sid, req.path));
    return noContent;
  };
  return [
    {
      family,
      pattern: new RegExp(`^\\/v1\\/${collection}$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `List${op}`, handle: list },
        POST: { operationId: `Create${op}`, handle: create },
      },
    },
    {
      family,
      pattern: new RegExp(`^\\/v1\\/${collection}\\/([^/]+)$`),
      accountInPath: false,
      operations: {
        GET: { operationId: `Fetch${op}`, handle: fetch },
        POST: { operationId: `Update${op}`, handle: update },
        DELETE: { operationId: `Delete${op}`, handle: remove },
      },
    },
  ];
}

const listPolicies: Handler = (req, _groups, { render }) =>
  page(
    req,
    `${render.trustHubOrigin}/v1/Policies`,
    [],
    POLICIES.map((policy, i) => ({ policy, seq: i + 1 })),
    ({ policy }) => renderPolicy(render, policy),
  );

const fetchPolicy: Handler = (req, [sid = ""], { render }) => {
  const policy = policyBySid(sid);
  if (!policy) throw notFound(req.path);
  return ok(renderPolicy(render, policy));
};

export const TRUST_HUB_ROUTES: readonly Route[] = [
  ...bundleRoutes("customer-profile"),
  ...bundleRoutes("trust-product"),
  ...itemRoutes("EndUsers", "EndUser", "end-users", (state) => state.compliance.endUsers),
  ...itemRoutes(
    "SupportingDocuments",
    "SupportingDocument",
    "supporting-documents",
    (state) => state.compliance.supportingDocuments,
  ),
  {
    family: "trust-hub-policies",
    pattern: /^\/v1\/Policies$/,
    accountInPath: false,
    operations: { GET: { operationId: "ListPolicies", handle: listPolicies } },
  },
  {
    family: "trust-hub-policies",
    pattern: /^\/v1\/Policies\/([^/]+)$/,
    accountInPath: false,
    operations: { GET: { operationId: "FetchPolicies", handle: fetchPolicy } },
  },
];
