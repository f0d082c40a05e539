/**
 * The shape every family's URL table shares (the emulator's `urls`): a route is a path pattern, the
 * resource family it belongs to, and per HTTP method Twilio's `operationId` with the handler that
 * runs the model operation and renders its result. Families live in their own files next to this
 * one; `../routes.ts` puts them in one table and matches requests against it.
 */
import type { EmulatorState } from "../models/state";
import { type Params, stringParam } from "../params";
import type { Json, RenderContext } from "../render";

/** Resource families, for counting calls (e.g. "no mutating call to messaging-services"). */
export type ResourceFamily =
  | "available-phone-numbers"
  | "incoming-phone-numbers"
  | "messages"
  | "messaging-services"
  | "messaging-service-phone-numbers"
  | "api-keys"
  | "addresses"
  | "end-users"
  | "supporting-documents"
  | "customer-profiles"
  | "trust-products"
  | "trust-hub-entity-assignments"
  | "trust-hub-evaluations"
  | "trust-hub-policies"
  | "brand-registrations"
  | "us-a2p-campaigns"
  | "us-a2p-usecases";

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

/** Runs one operation; `groups` are the pattern's captures (URL-decoded). */
export type Handler = (req: ApiRequest, groups: string[], ctx: RouteContext) => ApiResponse;

export interface Route {
  family: ResourceFamily;
  pattern: RegExp;
  /** True for 2010 paths: group 1 is the account SID, checked against the caller's account. */
  accountInPath: boolean;
  operations: Record<string, { operationId: string; handle: Handler }>;
}

/** `/2010-04-01/Accounts/{AccountSid}` as a pattern source; its capture is the account SID. */
export const ACCOUNT = "/2010-04-01/Accounts/([^/]+)";

export const ok = (body: Json): ApiResponse => ({ status: 200, body });
export const created = (body: Json): ApiResponse => ({ status: 201, body });
export const accepted = (body: Json): ApiResponse => ({ status: 202, body });
export const noContent: ApiResponse = { status: 204, body: null };

/** Filters present in the query, in the given order, to carry into page URIs. */
export function presentFilters(query: Params, names: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const name of names) {
    const value = stringParam(query, name);
    if (value !== undefined) out.push([name, value]);
  }
  return out;
}
