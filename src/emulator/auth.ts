/**
 * Who is calling, and may they run this operation? HTTP Basic authentication as Twilio does it:
 * the username is the account SID with the auth token as password, or an API key SID (`SK…`) with
 * its secret. Anything else is 401 with code 20003 and a `WWW-Authenticate` challenge. A valid
 * caller asking for another account's 2010 path is also 20003: Twilio's documented cause
 * "credentials scoped to the wrong account".
 *
 * Authorization follows the key's type (models/api-keys.ts): the auth token and main keys may do
 * everything; a standard key everything but the Keys resource (20003, 401, as Twilio answers a
 * standard key there); a restricted key only the operations whose permission its policy holds
 * (`permissions.ts`); anything else is 70051 (401) "Authorization Error: required permission … is
 * missing", the status, code and wording Twilio's live API answers. A refused request changes
 * nothing: it is answered before the operation runs.
 *
 * The defaults below are test credentials for local use only; they are not secrets.
 */
import { timingSafeEqual } from "node:crypto";
import { isSid } from "../validation/sids";
import { authenticationError, TwilioError } from "./errors";
import type { ApiKeyRecord, ApiKeySpec } from "./models/api-keys";
import { permissionFor, policyAllows } from "./permissions";
import type { ResourceFamily } from "./routes/route";

/** Account SID the emulator serves unless told otherwise. */
export const DEFAULT_ACCOUNT_SID = "ACe1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
/** Auth token of `DEFAULT_ACCOUNT_SID` in the emulator. Not a secret: test value only. */
export const DEFAULT_AUTH_TOKEN = "emulator-test-auth-token";

/** An API key the emulator starts with (SID and secret generated when not given). */
export type ApiKeyCredential = ApiKeySpec;

export interface AccountCredentials {
  accountSid: string;
  authToken: string;
  apiKeys: { authenticate(sid: string, secret: string): ApiKeyRecord | undefined };
}

export type Caller = { kind: "account" } | { kind: "api-key"; key: ApiKeyRecord };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const rejected = authenticationError;

/** Checks an `Authorization` header; throws 20003 unless it names this account or one of its keys. */
export function authenticate(header: string | undefined, account: AccountCredentials): Caller {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match?.[1]) throw rejected();
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw rejected();
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === account.accountSid && sameSecret(password, account.authToken))
    return { kind: "account" };
  const key = isSid(username, "SK") ? account.apiKeys.authenticate(username, password) : undefined;
  if (key) return { kind: "api-key", key };
  throw rejected();
}

/** Throws Twilio's refusal unless this caller may run this operation. */
export function authorize(
  caller: Caller,
  operation: { operationId: string; family: ResourceFamily },
): void {
  if (caller.kind === "account" || caller.key.type === "main") return;
  if (caller.key.type === "standard") {
    if (operation.family === "api-keys") throw rejected();
    return;
  }
  const permission = permissionFor(operation.operationId);
  if (permission !== undefined && policyAllows(caller.key.policy?.allow ?? [], permission)) return;
  const name = permission === undefined ? operation.operationId : permission.replace(/^\//, "");
  throw new TwilioError(70051, `Authorization Error: required permission ${name} is missing`);
}

/** A 2010 path names an account: it must be the caller's (20003 otherwise, 20404 if not a SID). */
export function checkPathAccount(pathAccountSid: string, accountSid: string, path: string): void {
  if (pathAccountSid === accountSid) return;
  if (!isSid(pathAccountSid, "AC")) {
    throw new TwilioError(20404, `The requested resource ${path} was not found`);
  }
  throw rejected();
}
