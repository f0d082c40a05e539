/**
 * Settable fields of a resource, declared once: the request parameter that sets a field, the field's
 * name in Twilio's JSON, how the value is validated (with the Twilio error code for a bad value) and
 * Twilio's default when the parameter is omitted.
 *
 * Phone numbers and Messaging Services each declare a table of these; create applies defaults then
 * the given parameters, update applies only the given ones. An empty string clears a nullable URL
 * or SID field (how Twilio's console and API "unset" a webhook).
 */
import { isSid } from "../../validation/sids";
import { invalidParameter, TwilioError, type TwilioErrorCode } from "../errors";
import { booleanParam, isHttpUrl, type Params, stringParam } from "../params";

export type SettingValue = string | number | boolean | null;

export type SettingKind =
  | { type: "string" }
  | { type: "url"; code: TwilioErrorCode }
  | { type: "method"; code: TwilioErrorCode }
  | { type: "boolean" }
  | { type: "sid"; prefix: string }
  | { type: "enum"; values: readonly string[]; code?: TwilioErrorCode }
  | { type: "integer"; min: number; max: number; code: TwilioErrorCode };

export interface SettingSpec {
  /** PascalCase request parameter, e.g. `SmsUrl`. */
  readonly param: string;
  /** snake_case field in the JSON resource, e.g. `sms_url`. */
  readonly field: string;
  readonly kind: SettingKind;
  readonly default: SettingValue;
}

export type Settings = Record<string, SettingValue>;

/** Twilio's defaults for every field in the table. */
export function defaultSettings(specs: readonly SettingSpec[]): Settings {
  const settings: Settings = {};
  for (const spec of specs) settings[spec.field] = spec.default;
  return settings;
}

/** The fields set by the parameters present in `params`, validated; absent parameters are skipped. */
export function readSettings(params: Params, specs: readonly SettingSpec[]): Settings {
  const settings: Settings = {};
  for (const spec of specs) {
    if (params[spec.param] === undefined) continue;
    settings[spec.field] = readOne(params, spec);
  }
  return settings;
}

function readOne(params: Params, spec: SettingSpec): SettingValue {
  const { kind, param } = spec;
  if (kind.type === "boolean") return booleanParam(params, param) ?? null;
  const raw = stringParam(params, param) ?? "";
  switch (kind.type) {
    case "string":
      return raw;
    case "url":
      if (raw === "") return null;
      if (!isHttpUrl(raw)) throw new TwilioError(kind.code, `${param} is not a valid URL: ${raw}`);
      return raw;
    case "method": {
      const method = raw.toUpperCase();
      if (method !== "GET" && method !== "POST") {
        throw new TwilioError(kind.code, `${param} must be GET or POST, got '${raw}'`);
      }
      return method;
    }
    case "sid":
      if (raw === "") return null;
      if (!isSid(raw, kind.prefix)) {
        throw invalidParameter(`${param} must be a ${kind.prefix} SID, got '${raw}'`);
      }
      return raw;
    case "enum":
      if (!kind.values.includes(raw)) {
        const message = `${param} must be one of ${kind.values.join(", ")}, got '${raw}'`;
        throw kind.code ? new TwilioError(kind.code, message) : invalidParameter(message);
      }
      return raw;
    case "integer": {
      const message = `${param} must be an integer between ${kind.min} and ${kind.max}, got '${raw}'`;
      if (!/^-?\d+$/.test(raw.trim())) throw new TwilioError(kind.code, message);
      const value = Number.parseInt(raw, 10);
      if (value < kind.min || value > kind.max) throw new TwilioError(kind.code, message);
      return value;
    }
  }
}
