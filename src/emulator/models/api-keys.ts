/**
 * API keys (`SK…`, IAM v1 `/v1/Keys` on iam.twilio.com), and Twilio's rules for them:
 *
 * - three types: `main` (everything, like the auth token; Twilio creates these only in its Console,
 *   the emulator through its options, CLI and admin API), `standard` (everything except the
 *   Accounts and Keys resources) and `restricted` (only what its policy allows);
 * - `POST /v1/Keys` creates a standard key, or with `KeyType=restricted` a restricted one whose
 *   `Policy` is `{"allow":[permission, …]}`: 1 to 100 permissions (else 70001), each a permission
 *   Twilio knows (else 70002 "assertion '…' is invalid"; see `../permissions.ts`);
 * - `AccountSid` is required and must be the caller's account (20003 otherwise);
 * - `FriendlyName` is optional (null when absent) and at most 64 characters (70001);
 * - the secret (32 base62 characters) is answered once, by the create; the state keeps a salted
 *   SHA-256 of it, so neither the state file nor any read ever holds it;
 * - an update changes `FriendlyName`, and `Policy` for restricted keys only; a deleted key stops
 *   authenticating at once.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { authenticationError, invalidParameter, TwilioError } from "../errors";
import { type Params, stringParam } from "../params";
import { permissionProblem } from "../permissions";
import { isSid, newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { RecordStore } from "./record-store";

export type ApiKeyType = "main" | "standard" | "restricted";

export interface ApiKeyPolicy {
  allow: string[];
}

export interface ApiKeyRecord {
  seq: number;
  sid: string;
  accountSid: string;
  friendlyName: string | null;
  type: ApiKeyType;
  /** Restricted keys only. */
  policy: ApiKeyPolicy | null;
  secretSalt: string;
  /** SHA-256 of salt + secret, hex. */
  secretHash: string;
  dateCreated: string;
  dateUpdated: string;
}

/** A key made outside the API (emulator options, CLI, admin API). */
export interface ApiKeySpec {
  /** Default: a new SID. An existing SID is replaced. */
  sid?: string;
  /** Default: a new random secret. */
  secret?: string;
  friendlyName?: string;
  /** Default `standard`. */
  type?: ApiKeyType;
  /** Permissions of a restricted key (an allow list, or the policy object). */
  policy?: ApiKeyPolicy | readonly string[];
}

export interface CreatedApiKey {
  record: ApiKeyRecord;
  /** The only time the secret is known. */
  secret: string;
}

/** Twilio: "It can be up to 64 characters long." (65 is answered 70001.) */
const MAX_FRIENDLY_NAME = 64;
/** Twilio: "Restricted API keys have a limit of 100 permissions". */
const MAX_PERMISSIONS = 100;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function newSecret(): string {
  let secret = "";
  for (const byte of randomBytes(32)) secret += BASE62[byte % BASE62.length];
  return secret;
}

function hashSecret(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update(secret).digest("hex");
}

function constraintViolation(detail: string): TwilioError {
  return new TwilioError(70001, `The request has constraint violations: ${detail}`);
}

/** Reads and checks a policy: the `Policy` parameter's JSON text, or an allow list given in code. */
export function parsePolicy(input: string | ApiKeyPolicy | readonly string[]): ApiKeyPolicy {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw constraintViolation("Policy is not JSON");
    }
  }
  const allow = Array.isArray(value) ? value : (value as { allow?: unknown } | null)?.allow;
  if (!Array.isArray(allow) || !allow.every((entry) => typeof entry === "string")) {
    throw constraintViolation('Policy must be {"allow": [permission, …]}');
  }
  if (allow.length === 0 || allow.length > MAX_PERMISSIONS) {
    throw constraintViolation(`a policy holds 1 to ${MAX_PERMISSIONS} permissions`);
  }
  for (const name of allow as string[]) {
    const problem = permissionProblem(name);
    if (problem) throw new TwilioError(70002, problem);
  }
  return { allow: [...new Set(allow as string[])] };
}

function checkFriendlyName(name: string | undefined): string | null {
  if (name === undefined || name === "") return null;
  if (name.length > MAX_FRIENDLY_NAME) {
    throw constraintViolation(`FriendlyName is longer than ${MAX_FRIENDLY_NAME} characters`);
  }
  return name;
}

export class ApiKeyModel {
  private readonly keys = new RecordStore<ApiKeyRecord>();

  constructor(private readonly ctx: ModelContext) {}

  /** `POST /v1/Keys`: a standard key, or a restricted one. */
  create(params: Params): CreatedApiKey {
    const accountSid = stringParam(params, "AccountSid");
    if (accountSid === undefined || accountSid === "") {
      throw invalidParameter("Missing required parameter AccountSid in the post body");
    }
    this.checkAccount(accountSid);
    const friendlyName = checkFriendlyName(stringParam(params, "FriendlyName"));
    const keyType = stringParam(params, "KeyType");
    if (keyType !== undefined && keyType !== "restricted") {
      throw invalidParameter(`KeyType must be restricted, got '${keyType}'`);
    }
    const policyText = stringParam(params, "Policy");
    if (keyType === "restricted" && policyText === undefined) {
      throw constraintViolation("a restricted key needs a Policy");
    }
    if (keyType !== "restricted" && policyText !== undefined) {
      throw constraintViolation("Policy is only for KeyType=restricted");
    }
    const policy = policyText !== undefined ? parsePolicy(policyText) : null;
    return this.insert({ friendlyName, type: policy ? "restricted" : "standard", policy });
  }

  /** A key made by the emulator's options, CLI or admin API (any type; known SID or secret). */
  add(spec: ApiKeySpec): CreatedApiKey {
    if (spec.friendlyName !== undefined && typeof spec.friendlyName !== "string") {
      throw new Error("API key friendlyName must be a string");
    }
    if (spec.secret !== undefined && typeof spec.secret !== "string") {
      throw new Error("API key secret must be a string");
    }
    if (spec.sid !== undefined && !isSid(spec.sid, "SK")) {
      throw new Error(`API key SID must be SK followed by 32 hex digits, got '${spec.sid}'`);
    }
    const type = spec.type ?? (spec.policy ? "restricted" : "standard");
    if (!["main", "standard", "restricted"].includes(type)) {
      throw new Error(`API key type must be main, standard or restricted, got '${type}'`);
    }
    if ((type === "restricted") !== (spec.policy !== undefined)) {
      throw new Error("a restricted API key needs a policy, and only a restricted key has one");
    }
    if (spec.secret !== undefined && spec.secret === "") throw new Error("API key secret is empty");
    const policy = spec.policy !== undefined ? parsePolicy(spec.policy) : null;
    if (spec.sid !== undefined) this.keys.delete(spec.sid);
    return this.insert({
      sid: spec.sid,
      secret: spec.secret,
      friendlyName: checkFriendlyName(spec.friendlyName),
      type,
      policy,
    });
  }

  /** The key these credentials name, or undefined when the SID or the secret is wrong. */
  authenticate(sid: string, secret: string): ApiKeyRecord | undefined {
    const key = this.keys.get(sid);
    if (!key) return undefined;
    const given = Buffer.from(hashSecret(key.secretSalt, secret), "hex");
    const expected = Buffer.from(key.secretHash, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected) ? key : undefined;
  }

  get(sid: string): ApiKeyRecord | undefined {
    return this.keys.get(sid);
  }

  list(): ApiKeyRecord[] {
    return this.keys.values();
  }

  /** `POST /v1/Keys/{Sid}`: the name, and the policy of a restricted key. */
  update(record: ApiKeyRecord, params: Params): ApiKeyRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const policyText = stringParam(params, "Policy");
    if (policyText !== undefined && record.type !== "restricted") {
      throw constraintViolation("only a restricted key has a Policy");
    }
    const policy = policyText !== undefined ? parsePolicy(policyText) : undefined;
    if (friendlyName !== undefined) record.friendlyName = checkFriendlyName(friendlyName);
    if (policy) record.policy = policy;
    record.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return record;
  }

  delete(record: ApiKeyRecord): void {
    this.keys.delete(record.sid);
    this.ctx.changed();
  }

  /** A path or parameter naming another account: Twilio's "credentials scoped to the wrong account". */
  checkAccount(accountSid: string): void {
    if (accountSid !== this.ctx.accountSid) throw authenticationError();
  }

  snapshot(): ApiKeyRecord[] {
    return this.keys.snapshot();
  }

  restore(records: readonly ApiKeyRecord[]): void {
    this.keys.restore(records);
  }

  private insert(fields: {
    sid?: string | undefined;
    secret?: string | undefined;
    friendlyName: string | null;
    type: ApiKeyType;
    policy: ApiKeyPolicy | null;
  }): CreatedApiKey {
    const secret = fields.secret ?? newSecret();
    const salt = randomBytes(16).toString("hex");
    const now = timestamp(this.ctx);
    const record: ApiKeyRecord = {
      seq: this.keys.nextSeq(),
      sid: fields.sid ?? newSid("SK"),
      accountSid: this.ctx.accountSid,
      friendlyName: fields.friendlyName,
      type: fields.type,
      policy: fields.policy,
      secretSalt: salt,
      secretHash: hashSecret(salt, secret),
      dateCreated: now,
      dateUpdated: now,
    };
    this.keys.add(record);
    this.ctx.changed();
    return { record, secret };
  }
}
