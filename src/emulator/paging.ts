/**
 * Twilio's list paging: `PageSize` (default 50, at most 1000), `Page` (the page number Twilio echoes)
 * and `PageToken` (an opaque cursor Twilio puts in `next_page_uri`/`next_page_url`).
 *
 * The emulator's tokens are `PA<seq>` ("the page after the record with this creation number") and
 * `PB<seq>` ("the page before it"). A cursor survives deletions between pages, which is why Twilio
 * pages with tokens instead of offsets. Without a token, `Page` × `PageSize` is the offset.
 * Clients must treat tokens as opaque, as with Twilio.
 */
import { type Params, stringParam } from "./params";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  pageSize: number;
  page: number;
  pageToken?: string;
}

export interface PageResult<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** Index of the first item in the whole list. */
  start: number;
  nextToken?: string;
  previousToken?: string;
}

export function readPageRequest(query: Params): PageRequest {
  const size = Number.parseInt(stringParam(query, "PageSize") ?? "", 10);
  const page = Number.parseInt(stringParam(query, "Page") ?? "", 10);
  const token = stringParam(query, "PageToken");
  return {
    pageSize: Number.isFinite(size)
      ? Math.min(Math.max(size, 1), MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE,
    page: Number.isFinite(page) && page >= 0 ? page : 0,
    ...(token ? { pageToken: token } : {}),
  };
}

/**
 * One page of `all`, which is in list order; `order` says whether that order is ascending or
 * descending creation number (`seq`), so a cursor can find its place even if its record is gone.
 */
export function paginate<T extends { seq: number }>(
  all: readonly T[],
  request: PageRequest,
  order: "asc" | "desc",
): PageResult<T> {
  const after = (a: number, b: number) => (order === "asc" ? a > b : a < b);
  let start = request.page * request.pageSize;
  const token = /^(PA|PB)(\d+)$/.exec(request.pageToken ?? "");
  if (token) {
    const seq = Number(token[2]);
    const firstAfter = all.findIndex((item) => after(item.seq, seq));
    const boundary = firstAfter === -1 ? all.length : firstAfter;
    if (token[1] === "PA") {
      start = boundary;
    } else {
      // The page before the record `seq`: the items strictly before it.
      const exactOrAfter = all.findIndex((item) => item.seq === seq || after(item.seq, seq));
      const end = exactOrAfter === -1 ? all.length : exactOrAfter;
      start = Math.max(0, end - request.pageSize);
    }
  }
  const items = all.slice(start, start + request.pageSize);
  const last = items[items.length - 1];
  const first = items[0];
  return {
    items,
    page: request.page,
    pageSize: request.pageSize,
    start,
    ...(last && start + items.length < all.length ? { nextToken: `PA${last.seq}` } : {}),
    ...(first && start > 0 ? { previousToken: `PB${first.seq}` } : {}),
  };
}
