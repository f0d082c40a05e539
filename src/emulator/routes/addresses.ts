/** URLs of the 2010 API's Addresses (`/2010-04-01/Accounts/{AC}/Addresses…`). Model: `models/addresses.ts`. */
import { notFound } from "../errors";
import type { EmulatorState } from "../models/state";
import { paginate, readPageRequest } from "../paging";
import { booleanParam, stringParam } from "../params";
import { renderList2010 } from "../render";
import { renderAddress } from "../render-addresses";
import { ACCOUNT, created, type Handler, noContent, ok, presentFilters, type Route } from "./route";

function requireAddress(state: EmulatorState, sid: string, path: string) {
  const address = state.compliance.addresses.get(sid);
  if (!address) throw notFound(path);
  return address;
}

const listAddresses: Handler = (req, _groups, { state }) => {
  const q = req.query;
  const all = state.compliance.addresses.list({
    customerName: stringParam(q, "CustomerName"),
    friendlyName: stringParam(q, "FriendlyName"),
    isoCountry: stringParam(q, "IsoCountry"),
    emergencyEnabled: booleanParam(q, "EmergencyEnabled"),
  });
  const pageRequest = readPageRequest(q);
  const result = paginate(all, pageRequest, "asc");
  return ok(
    renderList2010(
      "addresses",
      req.path,
      presentFilters(q, ["CustomerName", "FriendlyName", "EmergencyEnabled", "IsoCountry"]),
      result,
      pageRequest.pageToken,
      result.items.map(renderAddress),
    ),
  );
};

const createAddress: Handler = (req, _groups, { state }) =>
  created(renderAddress(state.compliance.addresses.create(req.params)));

const fetchAddress: Handler = (req, [, sid = ""], { state }) =>
  ok(renderAddress(requireAddress(state, sid, req.path)));

const updateAddress: Handler = (req, [, sid = ""], { state }) =>
  ok(
    renderAddress(
      state.compliance.addresses.update(requireAddress(state, sid, req.path), req.params),
    ),
  );

const deleteAddress: Handler = (req, [, sid = ""], { state }) => {
  state.compliance.addresses.delete(requireAddress(state, sid, req.path));
  return noContent;
};

export const ADDRESS_ROUTES: readonly Route[] = [
  {
    family: "addresses",
    pattern: new RegExp(`^${ACCOUNT}/Addresses\\.json$`),
    accountInPath: true,
    operations: {
      GET: { operationId: "ListAddress", handle: listAddresses },
      POST: { operationId: "CreateAddress", handle: createAddress },
    },
  },
  {
    family: "addresses",
    pattern: new RegExp(`^${ACCOUNT}/Addresses/([^/]+)\\.json$`),
    accountInPath: true,
    operations: {
      GET: { operationId: "FetchAddress", handle: fetchAddress },
      POST: { operationId: "UpdateAddress", handle: updateAddress },
      DELETE: { operationId: "DeleteAddress", handle: deleteAddress },
    },
  },
];
