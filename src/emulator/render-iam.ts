/**
 * Twilio's JSON for API keys (IAM v1, `iam.twilio.com/v1/Keys`). Dates are RFC 2822 here, unlike
 * the other v1 APIs. The secret appears in the create response only. In lists, standard and main
 * keys carry `flags: ["rest_api", "signing"]`; restricted keys carry none and fetches never do (as
 * Twilio's live API answers).
 */
import type { ApiKeyRecord } from "./models/api-keys";
import { type Json, rfc2822 } from "./render";

function keyFields(key: ApiKeyRecord): Json {
  return {
    sid: key.sid,
    friendly_name: key.friendlyName,
    date_created: rfc2822(key.dateCreated),
    date_updated: rfc2822(key.dateUpdated),
  };
}

/** `POST /v1/Keys`: the one answer that holds the secret. */
export function renderNewKey(key: ApiKeyRecord, secret: string): Json {
  return {
    ...keyFields(key),
    secret,
    policy: key.policy ? { allow: [...key.policy.allow] } : null,
  };
}

/** `GET`/`POST /v1/Keys/{Sid}`. */
export function renderKey(key: ApiKeyRecord): Json {
  return { ...keyFields(key), policy: key.policy ? { allow: [...key.policy.allow] } : null };
}

/** An item of `GET /v1/Keys`. */
export function renderKeyListItem(key: ApiKeyRecord): Json {
  return key.type === "restricted"
    ? keyFields(key)
    : { ...keyFields(key), flags: ["rest_api", "signing"] };
}
