/**
 * URLs of the 2010 API's Messages resource (`/2010-04-01/Accounts/{AC}/Messages…`). Model:
 * `models/messages.ts`.
 */
import { invalidParameter, notFound } from "../errors";
import { paginate, readPageRequest } from "../paging";
import { type Params, stringParam } from "../params";
import { renderList2010, renderMessage } from "../render";
import { ACCOUNT, created, type Handler, ok, presentFilters, type Route } from "./route";

function parseDateFilter(query: Params, name: string): Date | undefined {
  const value = stringParam(query, name);
  if (value === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw invalidParameter(`Invalid date '${value}' for ${name}`);
  return date;
}

const sendMessage: Handler = (req, _groups, { state }) =>
  created(renderMessage(state.messages.send(req.params), { asCreated: true }));

const listMessages: Handler = (req, _groups, { state }) => {
  const q = req.query;
  const all = state.messages.listVisible({
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

export const MESSAGE_ROUTES: readonly Route[] = [
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
];
