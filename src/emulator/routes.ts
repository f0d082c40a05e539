/**
 * The emulator's URL table: every family's routes (`routes/*.ts`) in one list, and the matching of
 * a request against it. Families answer on one port whatever Twilio host they live on: the 2010
 * API (`/2010-04-01/Accounts/{AC}/…`, api.twilio.com), Messaging v1 (`/v1/Services…`,
 * `/v1/a2p/…`, messaging.twilio.com), IAM v1 (`/v1/Keys…`, iam.twilio.com) and Trust Hub v1
 * (`/v1/CustomerProfiles…` and friends, trusthub.twilio.com): their paths do not overlap.
 *
 * Each operation carries Twilio's `operationId` from the official OpenAPI description (e.g.
 * `CreateIncomingPhoneNumber`), which faults match on, the request log records and restricted API
 * keys are checked by (`permissions.ts`).
 */
import { notFound, TwilioError } from "./errors";
import { A2P_ROUTES } from "./routes/a2p";
import { ADDRESS_ROUTES } from "./routes/addresses";
import { API_KEY_ROUTES } from "./routes/api-keys";
import { MESSAGE_ROUTES } from "./routes/messages";
import { MESSAGING_SERVICE_ROUTES } from "./routes/messaging-services";
import { PHONE_NUMBER_ROUTES } from "./routes/phone-numbers";
import type { ApiRequest, ApiResponse, ResourceFamily, Route, RouteContext } from "./routes/route";
import { TRUST_HUB_ROUTES } from "./routes/trust-hub";

export type {
  ApiRequest,
  ApiResponse,
  ResourceFamily,
  Route,
  RouteContext,
} from "./routes/route";

/**
 * Every route, in matching order: a path with a literal segment must come before a route whose
 * parameter would also match it (`/v1/Services/Usecases` before `/v1/Services/{Sid}`).
 */
export const ROUTES: readonly Route[] = [
  ...PHONE_NUMBER_ROUTES,
  ...MESSAGE_ROUTES,
  ...ADDRESS_ROUTES,
  ...A2P_ROUTES,
  ...MESSAGING_SERVICE_ROUTES,
  ...API_KEY_ROUTES,
  ...TRUST_HUB_ROUTES,
];

export interface MatchedOperation {
  family: ResourceFamily;
  operationId: string;
  /** Path account SID of a 2010 path (undefined for v1). */
  pathAccountSid?: string;
  run(ctx: RouteContext): ApiResponse;
}

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
