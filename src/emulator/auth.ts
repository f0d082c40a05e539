/**
 * HTTP Basic authentication as Twilio does it: the username is the account SID with the auth token
 * as password, or an API key SID (`SK…`) with its secret. Anything else is 401 with code 20003
 * and a `WWW-Authenticate` challenge. A valid caller asking for another account's 2010 path is
 * also 20003: Twilio's documented cause "credentials scoped to the wrong account".
 *
 * The defaults below are test credentials for local use only; they are not secrets.
 */
import { timingSafeEqual } from "node:crypto";
import { isSid } from "../validation/sids";
import { TwilioError } from "./errors";

/** Account SID the emulator serves unless told otherwise. */
export const DEFAULT_ACCOUNT_SID = "ACe1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
/** Auth token of `DEFAULT_ACCOUNT_SID` in the emulator. Not a secret: test value only. */
export const DEFAULT_AUTH_TOKEN = "emulator-test-auth-token";

export interface ApiKeyCredential {
  /** `SK…` */
  sid: string;
  secret: string;
}

export interface AccountCredentials {
  accountSid: string;
  authToken: string;
  apiKeys: readonly ApiKeyCredential[];
}

export type Caller = { kind: "account" } | { kind: "api-key"; sid: string };

export const AUTH_CHALLENGE = { "WWW-Authenticate": 'Basic realm="Twilio API"' };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function rejected(): TwilioError {
  return new TwilioError(20003, "Authenticate", { headers: AUTH_CHALLENGE });
}

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
  const key = account.apiKeys.find((k) => k.sid === username);
  if (key && sameSecret(password, key.secret)) return { kind: "api-key", sid: key.sid };
  throw rejected();
}

/** A 2010 path names an account: it must be the caller's (20003 otherwise, 20404 if not a SID). */
export function checkPathAccount(pathAccountSid: string, accountSid: string, path: string): void {
  if (pathAccountSid === accountSid) return;
  if (!isSid(pathAccountSid, "AC")) {
    throw new TwilioError(20404, `The requested resource ${path} was not found`);
  }
  throw rejected();
}
