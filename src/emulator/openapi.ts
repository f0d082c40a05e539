/**
 * Checks requests and responses against Twilio's official OpenAPI descriptions, the ones that ship
 * in `@twilio/cli-core` (`twilio_api_v2010.json`, `twilio_messaging_v1.json`, `twilio_iam_v1.json`,
 * `twilio_trusthub_v1.json`). A `/v1/…` path belongs to whichever v1 description has it: their
 * paths do not overlap, as on Twilio they live on different hosts.
 *
 * The emulator's fidelity claim rests on this: its test suites validate every response it sent (and
 * every request it accepted) here, and fail on any violation. Other suites can run the same check
 * on the emulator's request log to prove the project's code sends what Twilio documents.
 *
 * OpenAPI 3.0 schemas are not quite JSON Schema, so `toJsonSchema` converts them for ajv:
 * - `nullable: true` becomes a `"null"` alternative (added to `type`, to `enum`, or as `anyOf` next
 *   to a `$ref`);
 * - `x-…` extensions and `example(s)` are dropped, except `x-twilio.ignoreFormat`, which Twilio
 *   uses to say "do not check this format" (e.g. `MediaUrl` items) and which drops the format;
 * - `format` on non-string types (`uri-map`, `phone-number-capabilities` on objects) is dropped:
 *   JSON Schema formats only constrain strings;
 * - `format: uri` on a property named `uri` or `*_uri` becomes `uri-reference`: Twilio returns
 *   those as paths (`/2010-04-01/Accounts/…`, as the spec's own examples show), not absolute URIs;
 * - in request schemas, `format: uri` also accepts the empty string: Twilio clears a webhook URL
 *   (`SmsUrl=`, `InboundRequestUrl=`) when given an empty value, which the spec's format omits;
 * - `$ref: "#/components/schemas/X"` becomes `<spec id>#/definitions/X`: the component schemas are
 *   registered with ajv as one schema per spec document, under `definitions`.
 * Twilio's own formats are registered: `phone-number` (E.164, or the `(514) 555-0100` display form
 * Twilio also tags with it: see `friendly_name` of available numbers), `date-time-rfc-2822`,
 * `http-method`, `iso-country-code`, `currency`, and lenient `twiml`/`endpoint`/`ice-server`.
 *
 * Request checks read form and query values as Twilio does (strings coerced to the declared
 * boolean/integer/number/array types) and reject parameters the operation does not declare, so a
 * misspelt parameter name (`SmsURL`) is caught. The spec declares no error bodies; responses with
 * status >= 400 are checked against Twilio's documented error shape instead (`ERROR_BODY_SCHEMA`).
 */
import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { RequestLogEntry } from "./request-log";

type Schema = Record<string, unknown>;

interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: { schemas: Record<string, Schema> };
}

/** One spec document, identified by the `$id` its component schemas are registered under. */
interface LoadedSpec {
  id: string;
  doc: OpenApiDocument;
  templates: { template: string; regex: RegExp; names: string[]; params: number }[];
}

export interface SpecViolation {
  kind: "request" | "response";
  method: string;
  path: string;
  status?: number | null;
  operationId?: string;
  message: string;
}

/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). */
export const ERROR_BODY_SCHEMA = {
  type: "object",
  required: ["code", "message", "more_info", "status"],
  properties: {
    code: { type: "integer" },
    message: { type: "string" },
    more_info: {
      type: "string",
      format: "uri",
      pattern: "^https://www\\.twilio\\.com/docs/errors/\\d+$",
    },
    status: { type: "integer", minimum: 400, maximum: 599 },
  },
} as const;

const SPEC_DIR = "@twilio/cli-core/src/services/twilio-api";
const SPEC_FILES = {
  api_v2010: "twilio_api_v2010.json",
  messaging_v1: "twilio_messaging_v1.json",
  iam_v1: "twilio_iam_v1.json",
  trusthub_v1: "twilio_trusthub_v1.json",
} as const;
type SpecId = keyof typeof SPEC_FILES;
const SPEC_IDS = Object.keys(SPEC_FILES) as SpecId[];

/** The descriptions a path may belong to, by its version prefix. */
function specIdsFor(path: string): SpecId[] {
  if (path.startsWith("/2010-04-01/")) return ["api_v2010"];
  if (path.startsWith("/v1/")) return ["messaging_v1", "iam_v1", "trusthub_v1"];
  return [];
}

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Converts an OpenAPI 3.0 schema object into JSON Schema for ajv (see the module comment).
 * `docId` makes local `$ref`s absolute; `propertyName` is the property the schema describes, if any.
 */
export function toJsonSchema(
  node: unknown,
  docId: string,
  propertyName?: string,
  mode: "response" | "request" = "response",
): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, docId, undefined, mode));
  if (!isObject(node)) return node;
  const out: Schema = {};
  const twilioExt = isObject(node["x-twilio"]) ? node["x-twilio"] : {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || key === "example" || key === "examples" || key === "nullable")
      continue;
    if (key === "deprecated" || key === "discriminator" || key === "xml" || key === "externalDocs")
      continue;
    if (key === "properties" && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [
          name,
          toJsonSchema(schema, docId, name, mode),
        ]),
      );
    } else if (key === "$ref" && typeof value === "string") {
      out.$ref = value.startsWith("#/components/schemas/")
        ? `${docId}#/definitions/${value.slice("#/components/schemas/".length)}`
        : value;
    } else {
      out[key] = toJsonSchema(value, docId, undefined, mode);
    }
  }
  if (typeof out.format === "string") {
    if (twilioExt.ignoreFormat === true || (out.type !== undefined && out.type !== "string"))
      delete out.format;
    else if (out.format === "uri" && propertyName !== undefined && /(^|_)uri$/.test(propertyName)) {
      out.format = "uri-reference";
    } else if (out.format === "uri" && mode === "request") {
      out.format = "uri-or-empty";
    }
  }
  if (node.nullable === true) {
    if (typeof out.$ref === "string") return { anyOf: [{ $ref: out.$ref }, { type: "null" }] };
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/** Twilio's formats (see the module comment); the display form is what Twilio tags too. */
function addTwilioFormats(ajv: Ajv): void {
  ajv.addFormat("phone-number", /^(\+[1-9]\d{1,14}|\(\d{3}\) \d{3}-\d{4})$/);
  ajv.addFormat(
    "date-time-rfc-2822",
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/,
  );
  ajv.addFormat("http-method", /^(GET|POST|PUT|DELETE|PATCH|HEAD)$/);
  ajv.addFormat("iso-country-code", /^[A-Z]{2}$/);
  ajv.addFormat("currency", /^[A-Z]{3}$/);
  // Request URL parameters: an empty value is how a webhook URL is cleared (see the module comment).
  ajv.addFormat("uri-or-empty", /^$|^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/);
  for (const lenient of [
    "twiml",
    "endpoint",
    "ice-server",
    "uri-map",
    "phone-number-capabilities",
  ]) {
    ajv.addFormat(lenient, true);
  }
}

function coerce(
  value: string | string[],
  schema: Schema | undefined,
  resolve: (s: Schema) => Schema,
): unknown {
  const s = schema ? resolve(schema) : undefined;
  const type = s?.type;
  if (type === "array") {
    const items = isObject(s?.items) ? (s?.items as Schema) : undefined;
    return (Array.isArray(value) ? value : [value]).map((v) => coerce(v, items, resolve));
  }
  if (Array.isArray(value)) return value;
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  return value;
}

export class TwilioSpecValidator {
  private readonly ajv: Ajv;
  private readonly specs: Record<SpecId, LoadedSpec>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly errorValidator: ValidateFunction;

  /** Loads the spec files from `@twilio/cli-core` (a dev dependency). */
  constructor() {
    this.ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    addTwilioFormats(this.ajv);
    const load = (id: SpecId): LoadedSpec => {
      const file = require.resolve(`${SPEC_DIR}/${SPEC_FILES[id]}`);
      const doc = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
      this.ajv.addSchema(
        { $id: id, definitions: toJsonSchema(doc.components.schemas, id) } as Schema,
        id,
      );
      const templates = Object.keys(doc.paths)
        .map((template) => {
          const names: string[] = [];
          const source = template
            .split(/(\{[^}]+\})/)
            .map((part) => {
              const param = /^\{([^}]+)\}$/.exec(part);
              if (!param?.[1]) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
              names.push(param[1]);
              return "([^/]+)";
            })
            .join("");
          return { template, regex: new RegExp(`^${source}$`), names, params: names.length };
        })
        // Literal segments win over parameters: `/v1/Services/Usecases` before `/v1/Services/{Sid}`.
        .sort((a, b) => a.params - b.params);
      return { id, doc, templates };
    };
    this.specs = Object.fromEntries(SPEC_IDS.map((id) => [id, load(id)])) as Record<
      SpecId,
      LoadedSpec
    >;
    this.errorValidator = this.ajv.compile(ERROR_BODY_SCHEMA);
  }

  /** Problems with a response Twilio's spec would not allow; empty when it conforms. */
  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    if (status >= 400) return this.errors(this.errorValidator, body, "error body");
    const found = this.findOperation(method, path);
    if (!found) return [`${method} ${path} is not an operation in Twilio's spec`];
    const { spec, operation } = found;
    const declared = operation.responses?.[String(status)];
    if (!declared) {
      const statuses = Object.keys(operation.responses ?? {}).join(", ");
      return [`${operation.operationId} answered ${status}, the spec declares ${statuses}`];
    }
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema)
      return body === null || body === undefined || body === ""
        ? []
        : [`${status} must have no body`];
    const key = `${spec.id} ${operation.operationId} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema, spec.id) as Schema);
      this.compiled.set(key, validate);
    }
    return this.errors(validate, body, `${operation.operationId} ${status}`);
  }

  /**
   * Problems with a request the spec would not allow: path parameters, query parameters and the
   * form body, read as Twilio reads them; undeclared parameters are problems too.
   */
  validateRequest(
    method: string,
    path: string,
    query: Record<string, string | string[]>,
    params: Record<string, string | string[]>,
  ): string[] {
    const found = this.findOperation(method, path);
    if (!found) return [`${method} ${path} is not an operation in Twilio's spec`];
    const { spec, operation, pathParams } = found;
    const resolve = (s: Schema) => this.resolve(spec, s);
    const problems: string[] = [];
    const declared = operation.parameters ?? [];

    const pathProps: Schema = {};
    const pathValues: Record<string, unknown> = {};
    const queryProps: Schema = {};
    const queryRequired: string[] = [];
    for (const p of declared) {
      if (p.in === "path")
        pathProps[p.name] = toJsonSchema(p.schema ?? {}, spec.id, p.name, "request");
      if (p.in === "query") {
        queryProps[p.name] = toJsonSchema(p.schema ?? {}, spec.id, p.name, "request");
        if (p.required) queryRequired.push(p.name);
      }
    }
    for (const [name, value] of Object.entries(pathParams)) {
      const p = declared.find((d) => d.in === "path" && d.name === name);
      pathValues[name] = coerce(value, p?.schema, resolve);
    }
    const queryValues: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) {
      const p = declared.find((d) => d.in === "query" && d.name === name);
      queryValues[name] = coerce(value, p?.schema, resolve);
    }
    problems.push(
      ...this.check(
        `${spec.id} path ${operation.operationId}`,
        { type: "object", properties: pathProps },
        pathValues,
        "path",
      ),
      ...this.check(
        `${spec.id} query ${operation.operationId}`,
        {
          type: "object",
          properties: queryProps,
          required: queryRequired,
          additionalProperties: false,
        },
        queryValues,
        "query",
      ),
    );

    const bodySchema =
      operation.requestBody?.content?.["application/x-www-form-urlencoded"]?.schema;
    if (!bodySchema) {
      if (Object.keys(params).length > 0)
        problems.push(`${operation.operationId} takes no body parameters`);
      return problems;
    }
    const resolvedBody = resolve(bodySchema);
    const props = isObject(resolvedBody.properties) ? resolvedBody.properties : {};
    const bodyValues: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params)) {
      bodyValues[name] = coerce(
        value,
        isObject(props[name]) ? (props[name] as Schema) : undefined,
        resolve,
      );
    }
    const converted = toJsonSchema(resolvedBody, spec.id, undefined, "request") as Schema;
    problems.push(
      ...this.check(
        `${spec.id} body ${operation.operationId}`,
        { ...converted, additionalProperties: false },
        bodyValues,
        "body",
      ),
    );
    return problems;
  }

  /**
   * Checks one logged exchange: the response always, the request when the emulator accepted it
   * (2xx). Requests the emulator rejected may be deliberately invalid (error-path tests).
   */
  validateExchange(entry: RequestLogEntry): SpecViolation[] {
    const base = {
      method: entry.method,
      path: entry.path,
      status: entry.status,
      ...(entry.operationId ? { operationId: entry.operationId } : {}),
    };
    const violations: SpecViolation[] = [];
    if (entry.status !== null) {
      for (const message of this.validateResponse(
        entry.method,
        entry.path,
        entry.status,
        entry.responseBody,
      )) {
        violations.push({ kind: "response", ...base, message });
      }
    }
    if (entry.status === null || (entry.status >= 200 && entry.status < 300)) {
      for (const message of this.validateRequest(
        entry.method,
        entry.path,
        entry.query,
        entry.params,
      )) {
        violations.push({ kind: "request", ...base, message });
      }
    }
    return violations;
  }

  private findOperation(method: string, path: string) {
    for (const id of specIdsFor(path)) {
      const spec = this.specs[id];
      for (const t of spec.templates) {
        const match = t.regex.exec(path);
        if (!match) continue;
        const operation = spec.doc.paths[t.template]?.[method.toLowerCase()];
        if (!isObject(operation)) continue;
        const pathParams: Record<string, string> = {};
        t.names.forEach((name, i) => {
          pathParams[name] = decodeURIComponent(match[i + 1] ?? "");
        });
        return { spec, operation: operation as OpenApiOperation, pathParams };
      }
    }
    return undefined;
  }

  private resolve(spec: LoadedSpec, schema: Schema): Schema {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const target = name ? spec.doc.components.schemas[name] : undefined;
    return target ? this.resolve(spec, target) : schema;
  }

  private check(key: string, schema: Schema, value: unknown, label: string): string[] {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return this.errors(validate, value, label);
  }

  private errors(validate: ValidateFunction, value: unknown, label: string): string[] {
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => {
      const where = e.instancePath || "/";
      const extra =
        e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
      return `${label} ${where}: ${e.message ?? e.keyword}${extra}`;
    });
  }
}

let shared: TwilioSpecValidator | undefined;

/** One validator per process (loading and compiling the specs takes a moment). */
export function twilioSpecValidator(): TwilioSpecValidator {
  shared ??= new TwilioSpecValidator();
  return shared;
}
