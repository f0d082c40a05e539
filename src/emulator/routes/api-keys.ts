/**
 * URLs of IAM v1 API keys (`/v1/Keys…`, on iam.twilio.com). Model: `models/api-keys.ts`. Who may
 * call them (the auth token, a main key, a restricted key with `/twilio/iam/api-keys/…`; never a
 * standard key) is decided before the handler runs (`../auth.ts`).
 */
import { invalidParameter, notFound } from "../errors";
import type { EmulatorState } from "../models/state";
import { paginate, readPageRequest } from "../paging";
import { stringParam } from "../params";
import { renderListV1 } from "../render";
import { renderKey, renderKeyListItem, renderNewKey } from "../render-iam";
import { created, type Handler, noContent, ok, type Route } from "./route";

function requireKey(state: EmulatorState, sid: string, path: string) {
  const key = state.apiKeys.get(sid);
  if (!key) throw notFound(path);
  return key;
}

const listKeys: Handler = (req, _groups, { state, render }) => {
  const accountSid = stringParam(req.query, "AccountSid");
  if (accountSid === undefined || accountSid === "") {
    throw invalidParameter("Missing required parameter AccountSid in the query");
  }
  state.apiKeys.checkAccount(accountSid);
  const pageRequest = readPageRequest(req.query);
  const result = paginate(state.apiKeys.list(), pageRequest, "asc");
  return ok(
    renderListV1(
      "keys",
      `${render.iamOrigin}/v1/Keys`,
      [["AccountSid", accountSid]],
      result,
      pageRequest.pageToken,
      result.items.map(renderKeyListItem),
    ),
  );
};

const createKey: Handler = (req, _groups, { state }) => {
  const { record, secret } = state.apiKeys.create(req.params);
  return created(renderNewKey(record, secret));
};

const fetchKey: Handler = (req, [sid = ""], { state }) =>
  ok(renderKey(requireKey(state, sid, req.path)));

const updateKey: Handler = (req, [sid = ""], { state }) =>
  ok(renderKey(state.apiKeys.update(requireKey(state, sid, req.path), req.params)));

const deleteKey: Handler = (req, [sid = ""], { state }) => {
  state.apiKeys.delete(requireKey(state, sid, req.path));
  return noContent;
};

export const API_KEY_ROUTES: readonly Route[] = [
  {
    family: "api-keys",
    pattern: /^\/v1\/Keys$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "ListGetKeys", handle: listKeys },
      POST: { operationId: "CreateNewKey", handle: createKey },
    },
  },
  {
    family: "api-keys",
    pattern: /^\/v1\/Keys\/([^/]+)$/,
    accountInPath: false,
    operations: {
      GET: { operationId: "FetchKey", handle: fetchKey },
      POST: { operationId: "UpdateKey", handle: updateKey },
      DELETE: { operationId: "DeleteKey", handle: deleteKey },
    },
  },
];
