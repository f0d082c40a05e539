/**
 * The things Trust Hub bundles are made of: end users (`IT…`, `/v1/EndUsers`: the business, its
 * authorized representatives, its A2P messaging profile) and supporting documents (`RD…`,
 * `/v1/SupportingDocuments`: the business address, pointing at a 2010 API Address). One model
 * serves both; their rules:
 *
 * - `FriendlyName` and `Type` are required (20001); the type must be one the emulated policies use
 *   (`END_USER_TYPES`, `SUPPORTING_DOCUMENT_TYPES`; 20001 otherwise);
 * - `Attributes` is a JSON object (20001 otherwise); which fields it needs is checked by a bundle's
 *   evaluation, not here, as on Twilio;
 * - update sets `FriendlyName` and replaces `Attributes`; delete removes the item (a bundle that
 *   still lists it evaluates as if it were missing).
 */
import { invalidParameter } from "../errors";
import { type Params, stringParam } from "../params";
import { newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { RecordStore } from "./record-store";

export const END_USER_TYPES = [
  "customer_profile_business_information",
  "authorized_representative_1",
  "authorized_representative_2",
  "us_a2p_messaging_profile_information",
] as const;

export const SUPPORTING_DOCUMENT_TYPES = ["customer_profile_address"] as const;

export type TrustHubItemKind = "end-user" | "supporting-document";

export interface TrustHubItemRecord {
  seq: number;
  sid: string;
  accountSid: string;
  kind: TrustHubItemKind;
  friendlyName: string;
  type: string;
  attributes: Record<string, unknown>;
  dateCreated: string;
  dateUpdated: string;
}

function readAttributes(params: Params): Record<string, unknown> | undefined {
  const text = stringParam(params, "Attributes");
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter("Attributes must be a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidParameter("Attributes must be a JSON object");
  }
  return value as Record<string, unknown>;
}

export class TrustHubItemModel {
  private readonly items = new RecordStore<TrustHubItemRecord>();

  constructor(
    private readonly ctx: ModelContext,
    readonly kind: TrustHubItemKind,
  ) {}

  private get types(): readonly string[] {
    return this.kind === "end-user" ? END_USER_TYPES : SUPPORTING_DOCUMENT_TYPES;
  }

  create(params: Params): TrustHubItemRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const type = stringParam(params, "Type");
    if (!friendlyName)
      throw invalidParameter("Missing required parameter FriendlyName in the post body");
    if (!type) throw invalidParameter("Missing required parameter Type in the post body");
    if (!this.types.includes(type)) {
      throw invalidParameter(`Type must be one of ${this.types.join(", ")}, got '${type}'`);
    }
    const now = timestamp(this.ctx);
    const record: TrustHubItemRecord = {
      seq: this.items.nextSeq(),
      sid: newSid(this.kind === "end-user" ? "IT" : "RD"),
      accountSid: this.ctx.accountSid,
      kind: this.kind,
      friendlyName,
      type,
      attributes: readAttributes(params) ?? {},
      dateCreated: now,
      dateUpdated: now,
    };
    this.items.add(record);
    this.ctx.changed();
    return record;
  }

  get(sid: string): TrustHubItemRecord | undefined {
    return this.items.get(sid);
  }

  list(): TrustHubItemRecord[] {
    return this.items.values();
  }

  update(record: TrustHubItemRecord, params: Params): TrustHubItemRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const attributes = readAttributes(params);
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw invalidParameter("FriendlyName cannot be empty");
      record.friendlyName = friendlyName;
    }
    if (attributes) record.attributes = attributes;
    record.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return record;
  }

  delete(record: TrustHubItemRecord): void {
    this.items.delete(record.sid);
    this.ctx.changed();
  }

  snapshot(): TrustHubItemRecord[] {
    return this.items.snapshot();
  }

  restore(records: readonly TrustHubItemRecord[]): void {
    this.items.restore(records);
  }
}
