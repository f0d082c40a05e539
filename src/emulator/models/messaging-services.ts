/**
 * Messaging Services (`MG…`, Messaging v1 `/v1/Services`) and their sender pools
 * (`/v1/Services/{MG}/PhoneNumbers`), with Twilio's rules:
 *
 * - `FriendlyName` is required on create (20001); every other setting in the official spec is
 *   accepted, validated (ValidityPeriod 1..36000 → 21624, Usecase → 21713) and echoed, with
 *   Twilio's defaults when omitted;
 * - a phone number belongs to at most one service: adding it twice is 21710, adding it while it is
 *   in another service is 21712; an unknown or malformed `PhoneNumberSid` is 21421; a number that
 *   can neither send SMS nor MMS is 21715;
 * - deleting a service frees its numbers; releasing a number takes it out of its service;
 * - sending through a service picks a sender from the pool: sticky sender keeps the same sender for
 *   the same `To` while that number stays in the pool; area-code geomatch prefers a sender in the
 *   recipient's area code; otherwise senders are used in turn. An empty pool is 21704.
 */
import { invalidParameter, TwilioError } from "../errors";
import { type Params, stringParam } from "../params";
import { isSid, newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import { areaCodeOf } from "./nanp";
import type { IncomingPhoneNumberRecord, PhoneNumberModel } from "./phone-numbers";
import { defaultSettings, readSettings, type SettingSpec, type Settings } from "./settings";

/** Messaging Service use cases Twilio accepts (error 21713 lists these). */
export const USECASES = [
  "notifications",
  "marketing",
  "verification",
  "discussion",
  "poll",
  "undeclared",
] as const;

/** Every setting in the spec's CreateServiceRequest/UpdateServiceRequest, with Twilio's default. */
export const SERVICE_SETTINGS: readonly SettingSpec[] = [
  {
    param: "InboundRequestUrl",
    field: "inbound_request_url",
    kind: { type: "url", code: 20001 },
    default: null,
  },
  {
    param: "InboundMethod",
    field: "inbound_method",
    kind: { type: "method", code: 20001 },
    default: "POST",
  },
  {
    param: "FallbackUrl",
    field: "fallback_url",
    kind: { type: "url", code: 20001 },
    default: null,
  },
  {
    param: "FallbackMethod",
    field: "fallback_method",
    kind: { type: "method", code: 20001 },
    default: "POST",
  },
  {
    param: "StatusCallback",
    field: "status_callback",
    kind: { type: "url", code: 20001 },
    default: null,
  },
  { param: "StickySender", field: "sticky_sender", kind: { type: "boolean" }, default: true },
  { param: "MmsConverter", field: "mms_converter", kind: { type: "boolean" }, default: true },
  { param: "SmartEncoding", field: "smart_encoding", kind: { type: "boolean" }, default: true },
  {
    param: "ScanMessageContent",
    field: "scan_message_content",
    kind: { type: "enum", values: ["inherit", "enable", "disable"] },
    default: "inherit",
  },
  {
    param: "FallbackToLongCode",
    field: "fallback_to_long_code",
    kind: { type: "boolean" },
    default: true,
  },
  {
    param: "AreaCodeGeomatch",
    field: "area_code_geomatch",
    kind: { type: "boolean" },
    default: true,
  },
  {
    param: "ValidityPeriod",
    field: "validity_period",
    kind: { type: "integer", min: 1, max: 36000, code: 21624 },
    default: 36000,
  },
  {
    param: "SynchronousValidation",
    field: "synchronous_validation",
    kind: { type: "boolean" },
    default: true,
  },
  {
    param: "Usecase",
    field: "usecase",
    kind: { type: "enum", values: USECASES, code: 21713 },
    default: "undeclared",
  },
  {
    param: "UseInboundWebhookOnNumber",
    field: "use_inbound_webhook_on_number",
    kind: { type: "boolean" },
    default: false,
  },
];

/** Twilio: "A descriptive string … It can be up to 64 characters long." */
const MAX_FRIENDLY_NAME = 64;

export interface MessagingServiceRecord {
  seq: number;
  sid: string;
  accountSid: string;
  friendlyName: string;
  dateCreated: string;
  dateUpdated: string;
  settings: Settings;
}

/** A phone number in a service's sender pool. */
export interface ServicePhoneNumberRecord {
  seq: number;
  serviceSid: string;
  phoneNumberSid: string;
  dateCreated: string;
  dateUpdated: string;
}

export interface MessagingServicesSnapshot {
  services: MessagingServiceRecord[];
  phoneNumbers: ServicePhoneNumberRecord[];
  /** serviceSid → (To → sender PN SID), for sticky sender. */
  sticky: Record<string, Record<string, string>>;
  /** serviceSid → how many senders were handed out, for turn-taking. */
  turns: Record<string, number>;
}

export class MessagingServiceModel {
  private readonly services = new Map<string, MessagingServiceRecord>();
  /** Keyed by phone number SID: a number is in at most one service. */
  private readonly pool = new Map<string, ServicePhoneNumberRecord>();
  private readonly sticky = new Map<string, Map<string, string>>();
  private readonly turns = new Map<string, number>();
  private readonly deleteListeners: ((record: MessagingServiceRecord) => void)[] = [];
  private seq = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly phoneNumbers: PhoneNumberModel,
  ) {
    // A released number leaves its service's pool (sticky entries pointing at it are skipped).
    phoneNumbers.onRelease((released) => this.pool.delete(released.sid));
  }

  create(params: Params): MessagingServiceRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    if (friendlyName === undefined || friendlyName === "") {
      throw invalidParameter("Missing required parameter FriendlyName in the post body");
    }
    checkFriendlyName(friendlyName);
    const settings = readSettings(params, SERVICE_SETTINGS);
    const now = timestamp(this.ctx);
    const record: MessagingServiceRecord = {
      seq: ++this.seq,
      sid: newSid("MG"),
      accountSid: this.ctx.accountSid,
      friendlyName,
      dateCreated: now,
      dateUpdated: now,
      settings: { ...defaultSettings(SERVICE_SETTINGS), ...settings },
    };
    this.services.set(record.sid, record);
    this.ctx.changed();
    return record;
  }

  list(): MessagingServiceRecord[] {
    return [...this.services.values()];
  }

  get(sid: string): MessagingServiceRecord | undefined {
    return this.services.get(sid);
  }

  update(record: MessagingServiceRecord, params: Params): MessagingServiceRecord {
    const friendlyName = stringParam(params, "FriendlyName");
    const settings = readSettings(params, SERVICE_SETTINGS);
    if (friendlyName !== undefined) {
      if (friendlyName === "") throw invalidParameter("FriendlyName cannot be empty");
      checkFriendlyName(friendlyName);
      record.friendlyName = friendlyName;
    }
    Object.assign(record.settings, settings);
    record.dateUpdated = timestamp(this.ctx);
    this.ctx.changed();
    return record;
  }

  /** Deletes the service; its numbers are freed (they stay in the account). */
  delete(record: MessagingServiceRecord): void {
    this.services.delete(record.sid);
    for (const [pnSid, membership] of this.pool) {
      if (membership.serviceSid === record.sid) this.pool.delete(pnSid);
    }
    this.sticky.delete(record.sid);
    this.turns.delete(record.sid);
    for (const listener of this.deleteListeners) listener(record);
    this.ctx.changed();
  }

  /** Called when a service is deleted (its US A2P campaign goes with it). */
  onDelete(listener: (record: MessagingServiceRecord) => void): void {
    this.deleteListeners.push(listener);
  }

  /** Adds a number to the sender pool (POST /v1/Services/{MG}/PhoneNumbers). */
  addPhoneNumber(service: MessagingServiceRecord, params: Params): ServicePhoneNumberRecord {
    const pnSid = stringParam(params, "PhoneNumberSid");
    if (pnSid === undefined || pnSid === "") {
      throw invalidParameter("Missing required parameter PhoneNumberSid in the post body");
    }
    const number = isSid(pnSid, "PN") ? this.phoneNumbers.get(pnSid) : undefined;
    if (!number) throw new TwilioError(21421, `PhoneNumberSid ${pnSid} is invalid`);
    if (!number.capabilities.sms && !number.capabilities.mms) {
      throw new TwilioError(
        21715,
        `Phone Number ${number.phoneNumber} has neither SMS nor MMS capability`,
      );
    }
    const existing = this.pool.get(pnSid);
    if (existing?.serviceSid === service.sid) {
      throw new TwilioError(
        21710,
        `Phone Number ${number.phoneNumber} is already in the Messaging Service`,
      );
    }
    if (existing) {
      throw new TwilioError(
        21712,
        `Phone Number ${number.phoneNumber} is associated with another Messaging Service (${existing.serviceSid})`,
      );
    }
    const now = timestamp(this.ctx);
    const membership: ServicePhoneNumberRecord = {
      seq: ++this.seq,
      serviceSid: service.sid,
      phoneNumberSid: pnSid,
      dateCreated: now,
      dateUpdated: now,
    };
    this.pool.set(pnSid, membership);
    this.ctx.changed();
    return membership;
  }

  listPhoneNumbers(service: MessagingServiceRecord): ServicePhoneNumberRecord[] {
    return [...this.pool.values()]
      .filter((m) => m.serviceSid === service.sid)
      .sort((a, b) => a.seq - b.seq);
  }

  getPhoneNumber(
    service: MessagingServiceRecord,
    pnSid: string,
  ): ServicePhoneNumberRecord | undefined {
    const membership = this.pool.get(pnSid);
    return membership?.serviceSid === service.sid ? membership : undefined;
  }

  /** The service a number is in, if any. */
  serviceOf(pnSid: string): string | undefined {
    return this.pool.get(pnSid)?.serviceSid;
  }

  removePhoneNumber(membership: ServicePhoneNumberRecord): void {
    this.pool.delete(membership.phoneNumberSid);
    this.ctx.changed();
  }

  /**
   * Picks the sender for a message to `to` (what Twilio does after accepting a message sent with a
   * MessagingServiceSid and no From).
   */
  chooseSender(service: MessagingServiceRecord, to: string): IncomingPhoneNumberRecord {
    const candidates = this.listPhoneNumbers(service)
      .map((m) => this.phoneNumbers.get(m.phoneNumberSid))
      .filter(
        (n): n is IncomingPhoneNumberRecord =>
          n !== undefined && (n.capabilities.sms || n.capabilities.mms),
      );
    if (candidates.length === 0) {
      throw new TwilioError(
        21704,
        `The Messaging Service ${service.sid} contains no phone numbers`,
      );
    }
    const stickyMap = this.sticky.get(service.sid) ?? new Map<string, string>();
    if (service.settings.sticky_sender === true) {
      const previous = stickyMap.get(to);
      const stillInPool = candidates.find((n) => n.sid === previous);
      if (stillInPool) return stillInPool;
    }
    let pool = candidates;
    const toAreaCode = areaCodeOf(to);
    if (service.settings.area_code_geomatch === true && toAreaCode !== undefined) {
      const local = candidates.filter((n) => areaCodeOf(n.phoneNumber) === toAreaCode);
      if (local.length > 0) pool = local;
    }
    const turn = this.turns.get(service.sid) ?? 0;
    const sender = pool[turn % pool.length] as IncomingPhoneNumberRecord;
    this.turns.set(service.sid, turn + 1);
    if (service.settings.sticky_sender === true) {
      stickyMap.set(to, sender.sid);
      this.sticky.set(service.sid, stickyMap);
    }
    return sender;
  }

  snapshot(): MessagingServicesSnapshot {
    const sticky: Record<string, Record<string, string>> = {};
    for (const [sid, map] of this.sticky) sticky[sid] = Object.fromEntries(map);
    return structuredClone({
      services: [...this.services.values()],
      phoneNumbers: [...this.pool.values()],
      sticky,
      turns: Object.fromEntries(this.turns),
    });
  }

  restore(snapshot: MessagingServicesSnapshot): void {
    this.services.clear();
    this.pool.clear();
    this.sticky.clear();
    this.turns.clear();
    for (const s of snapshot.services) this.services.set(s.sid, structuredClone(s));
    for (const m of snapshot.phoneNumbers) this.pool.set(m.phoneNumberSid, { ...m });
    for (const [sid, map] of Object.entries(snapshot.sticky))
      this.sticky.set(sid, new Map(Object.entries(map)));
    for (const [sid, turn] of Object.entries(snapshot.turns)) this.turns.set(sid, turn);
    this.seq = Math.max(
      0,
      ...snapshot.services.map((s) => s.seq),
      ...snapshot.phoneNumbers.map((m) => m.seq),
    );
  }
}

function checkFriendlyName(name: string): void {
  if (name.length > MAX_FRIENDLY_NAME) {
    throw invalidParameter(`FriendlyName must be at most ${MAX_FRIENDLY_NAME} characters long`);
  }
}
