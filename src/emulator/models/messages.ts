/**
 * Outbound messages (`SM…`/`MM…`, `/2010-04-01/Accounts/{AC}/Messages.json`) and Twilio's rules for
 * sending them:
 *
 * - `To` is required (21604) and must be E.164 (21211);
 * - a sender is required: `From` (a number owned by the account that can send SMS/MMS, else
 *   21606; not the same as `To`, 21266) or `MessagingServiceSid` (malformed 21705, unknown 21701;
 *   the service picks the sender, see the Messaging Service model; empty pool 21704);
 * - `Body` is required unless `MediaUrl` is given (21602), at most 1600 characters (21617,
 *   counted in UTF-16 code units, so an emoji counts twice as Twilio's docs warn);
 * - `num_segments` follows GSM-7/UCS-2 segmentation, after Smart Encoding when it applies;
 * - a message sent through a service without `From` is answered with status `accepted` and
 *   `from: null` (Twilio picks the sender after accepting); once picked, fetch and list show the
 *   sender and status `queued`. A message with an explicit `From` is `queued` from the start.
 *   The emulator delivers nothing, so statuses go no further than `queued`;
 * - a message from a US local (10DLC) number to a US number whose sender is not in a Messaging
 *   Service with a VERIFIED US A2P campaign is accepted like any other (the create answers 201,
 *   `queued`/`accepted`, no error), then fails: fetch and list show status `failed` with
 *   `error_code` 30034, as Twilio reports carrier-blocked unregistered traffic (see
 *   `compliance.ts`).
 *
 * Twilio's Messages list may lag the create (a message just sent can be missing from
 * `GET …/Messages.json` for a while; fetching it by SID works at once). `listLagMs` models that:
 * `listVisible` (what the API lists) hides messages younger than the lag, on the model's clock;
 * `get` and `list` (what tests inspect) always see every message.
 */

import { countSegments, MAX_BODY_LENGTH, smartEncode } from "../../sms/segments";
import { ERROR_CODES, TwilioError } from "../errors";
import { booleanParam, isE164, isHttpUrl, listParam, type Params, stringParam } from "../params";
import { isSid, newSid } from "../sids";
import { type ModelContext, timestamp } from "./context";
import type { MessagingServiceModel, MessagingServiceRecord } from "./messaging-services";
import type { IncomingPhoneNumberRecord, PhoneNumberModel } from "./phone-numbers";

export interface MessageRecord {
  seq: number;
  sid: string;
  accountSid: string;
  to: string;
  /** The sender actually used (picked from the pool when sent through a service). */
  from: string;
  body: string;
  messagingServiceSid: string | null;
  /** True when Twilio picked the sender: the create response then says `accepted`, `from: null`. */
  senderPickedByService: boolean;
  status: "queued" | "failed";
  /** Why the message failed (30034: unregistered US 10DLC traffic); null otherwise. */
  errorCode?: number | null;
  errorMessage?: string | null;
  numSegments: number;
  mediaUrls: string[];
  statusCallback: string | null;
  dateCreated: string;
  dateUpdated: string;
  dateSent: string;
  /** Creation time in milliseconds (the dates above have whole seconds), for the list lag. */
  createdAtMs?: number;
}

export interface MessageFilters {
  to?: string;
  from?: string;
  /** `DateSent`: same UTC day. */
  dateSent?: Date;
  /** `DateSent<`: sent on or before. */
  dateSentBefore?: Date;
  /** `DateSent>`: sent on or after. */
  dateSentAfter?: Date;
}

export class MessageModel {
  private readonly messages = new Map<string, MessageRecord>();
  private seq = 0;
  /** How long a new message stays out of the API's list (0: listed at once). */
  listLagMs = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly phoneNumbers: PhoneNumberModel,
    private readonly services: MessagingServiceModel,
    private readonly a2p: {
      blocksUnregistered(sender: IncomingPhoneNumberRecord, to: string): boolean;
    },
  ) {}

  send(params: Params): MessageRecord {
    const to = stringParam(params, "To");
    if (to === undefined || to === "")
      throw new TwilioError(21604, "A 'To' phone number is required.");
    if (!isE164(to))
      throw new TwilioError(21211, `The 'To' number ${to} is not a valid phone number.`);

    let from = stringParam(params, "From");
    let serviceSid = stringParam(params, "MessagingServiceSid");
    // Twilio also accepts a Messaging Service SID in From.
    if (from?.startsWith("MG") && serviceSid === undefined) {
      serviceSid = from;
      from = undefined;
    }
    if ((from === undefined || from === "") && (serviceSid === undefined || serviceSid === "")) {
      throw new TwilioError(21603);
    }
    const service = serviceSid ? this.requireService(serviceSid) : undefined;

    const body = stringParam(params, "Body") ?? "";
    const mediaUrls = listParam(params, "MediaUrl");
    if (body === "" && mediaUrls.length === 0)
      throw new TwilioError(21602, "Message body is required.");
    if (body.length > MAX_BODY_LENGTH) throw new TwilioError(21617);
    const badMedia = mediaUrls.find((u) => !isHttpUrl(u));
    if (badMedia !== undefined) throw new TwilioError(21620, `Invalid media URL: ${badMedia}`);
    const statusCallback = stringParam(params, "StatusCallback") || null;
    if (statusCallback !== null && !isHttpUrl(statusCallback)) {
      throw new TwilioError(21609, `StatusCallback is not a valid URL: ${statusCallback}`);
    }
    const smartEncoded =
      booleanParam(params, "SmartEncoded") ?? service?.settings.smart_encoding === true;

    let sender: IncomingPhoneNumberRecord;
    if (from) {
      sender = this.requireOwnSender(from);
      if (from === to)
        throw new TwilioError(21266, `'To' and 'From' number cannot be the same: ${to}`);
    } else {
      sender = this.services.chooseSender(service as MessagingServiceRecord, to);
    }

    const blocked = this.a2p.blocksUnregistered(sender, to);
    const now = timestamp(this.ctx);
    const createdAtMs = this.ctx.now().getTime();
    const record: MessageRecord = {
      seq: ++this.seq,
      sid: newSid(mediaUrls.length > 0 ? "MM" : "SM"),
      accountSid: this.ctx.accountSid,
      to,
      from: sender.phoneNumber,
      body,
      messagingServiceSid: service?.sid ?? null,
      senderPickedByService: !from,
      status: blocked ? "failed" : "queued",
      errorCode: blocked ? 30034 : null,
      errorMessage: blocked ? ERROR_CODES[30034].title : null,
      numSegments: countSegments(smartEncoded ? smartEncode(body) : body).segments,
      mediaUrls,
      statusCallback,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
      createdAtMs,
    };
    this.messages.set(record.sid, record);
    this.ctx.changed();
    return record;
  }

  get(sid: string): MessageRecord | undefined {
    return this.messages.get(sid);
  }

  /** Newest first, as Twilio lists messages. */
  list(filters: MessageFilters = {}): MessageRecord[] {
    return [...this.messages.values()]
      .filter((m) => {
        if (filters.to !== undefined && m.to !== filters.to) return false;
        if (filters.from !== undefined && m.from !== filters.from) return false;
        const sent = new Date(m.dateSent);
        if (
          filters.dateSent &&
          sent.toISOString().slice(0, 10) !== filters.dateSent.toISOString().slice(0, 10)
        ) {
          return false;
        }
        if (filters.dateSentBefore && sent > filters.dateSentBefore) return false;
        if (filters.dateSentAfter && sent < filters.dateSentAfter) return false;
        return true;
      })
      .sort((a, b) => b.seq - a.seq);
  }

  /** What Twilio's Messages list shows now: `list`, without messages younger than the lag. */
  listVisible(filters: MessageFilters = {}): MessageRecord[] {
    const all = this.list(filters);
    if (this.listLagMs <= 0) return all;
    const cutoff = this.ctx.now().getTime() - this.listLagMs;
    return all.filter((m) => (m.createdAtMs ?? Date.parse(m.dateCreated)) <= cutoff);
  }

  snapshot(): MessageRecord[] {
    return structuredClone([...this.messages.values()]);
  }

  restore(records: readonly MessageRecord[]): void {
    this.messages.clear();
    for (const r of records) this.messages.set(r.sid, structuredClone(r));
    this.seq = Math.max(0, ...records.map((r) => r.seq));
  }

  private requireService(sid: string): MessagingServiceRecord {
    if (!isSid(sid, "MG")) throw new TwilioError(21705, `The Messaging Service ${sid} is invalid`);
    const service = this.services.get(sid);
    if (!service) throw new TwilioError(21701, `The Messaging Service ${sid} does not exist`);
    return service;
  }

  private requireOwnSender(from: string): IncomingPhoneNumberRecord {
    const owned = this.phoneNumbers.findByNumber(from);
    if (!owned || (!owned.capabilities.sms && !owned.capabilities.mms)) {
      throw new TwilioError(
        21606,
        `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination/account.`,
      );
    }
    return owned;
  }
}
