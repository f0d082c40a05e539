/**
 * Incoming phone number (PN…) as a Pulumi dynamic resource: buy in an area code, or adopt an
 * existing number; update in place; release only when the YAML says so.
 *
 * Money rules enforced here (docs/providers.md, invariants 1 and 2):
 * - `diff` never asks for a replacement: every mutable field updates in place, and a change to what
 *   identifies the number (area code, adopted SID) is refused by `check`.
 * - `delete` refuses to release a number that is not marked `release: true`; a marked number is
 *   released by `update`, and the resource stays in state as a tombstone (`released: true`).
 * - Only Twilio's own not-found (20404) means a number is gone (design.md invariant 9). A refresh
 *   that finds it gone keeps it in the state, with its SID and phone number, marked `gone` (in its
 *   outputs and, through `read`'s inputs, in what `check` sees next); the next `up` decides with
 *   the YAML: a declared release is then done (the case of a run killed after Twilio released the
 *   number, before the state recorded it); a bought number still declared active is bought again
 *   by `update` (another phone number: the plan shows it as a release, which needs the approval);
 *   an adopted one fails `check` (docs/providers.md, "A number gone from Twilio").
 * - The resource's id is the SID it was first bought or adopted with; a number bought again keeps
 *   that id and holds its new SID in `sid`, which every Twilio call uses (`sidOf`).
 * - Buying is idempotent across crashes: the number is bought with a marker in its friendly name,
 *   and `create` adopts a number carrying its marker before it buys (creation-markers.ts).
 * - A release has an undo window (docs/providers.md, "Releases with an undo window"): `release:
 *   true` first parks the number (parking.ts) and records when (`parkedAt`, `parkedUntil`); the
 *   Twilio release happens in the first `up` after the window ends (src/util/release-window.ts,
 *   "now" from src/util/clock.ts); taking `release: true` back within the window restores it.
 *   `releaseAfterDays: 0` releases at once. A released number is never restored: `diff` refuses.
 */
import * as pulumi from "@pulumi/pulumi";
import type { IncomingPhoneNumberInstance } from "twilio/lib/rest/api/v2010/account/incomingPhoneNumber";
import type { NumberConfig } from "../src/config/schema";
import { formatUtc, now } from "../src/util/clock";
import { windowEnd, windowPassed } from "../src/util/release-window";
import { AREA_CODE_COUNTRIES } from "../src/validation/phone-numbers";
import {
  createOnce,
  type MarkerIndex,
  markerIndexOf,
  withMarker,
  withoutMarker,
} from "./creation-markers";
import { changedDeclaredFields, definedFields, withoutUndefined } from "./declared-fields";
import { providerStub } from "./implementation";
import { isParkedName, parkedFriendlyName, parkedWebhooks } from "./parking";
import {
  describeTwilioFailure,
  isNotFound,
  twilioCall,
  twilioOperationError,
} from "./twilio-errors";
import { configureFromStack, twilioSession } from "./twilio-session";
import { webhookFailures } from "./webhook-check";

type Webhooks = Pick<NumberConfig, "smsUrl" | "voiceUrl" | "statusCallback">;

/** What the program declares for a number (see pulumi/account.ts). */
export type PhoneNumberInputs = Webhooks & {
  accountId: string;
  numberName: NumberConfig["name"];
  /** Ties a bought number to this resource across crashes: `tm-` and 8 hex digits. */
  marker: string;
  kind: "buy" | "adopt";
  areaCode?: NonNullable<NumberConfig["areaCode"]>;
  country?: string;
  adoptSid?: string;
  adoptPhoneNumber?: string;
  friendlyName: NonNullable<NumberConfig["friendlyName"]>;
  release: NumberConfig["release"];
  /** Days a number marked release: true stays parked first (0: released at once). */
  releaseAfterDays?: number;
  /** Where a parked number's SMS and voice webhooks point; absent: cleared. */
  parkingUrl?: string;
  /**
   * Set by a refresh only (never by the program): Twilio said (20404) that the number no longer
   * exists, before the state recorded a release of it: released by a run that was killed before it
   * could record it, or outside this stack. Holds what the number was, which Twilio no longer can.
   */
  gone?: GoneNumber;
};

/** A number Twilio no longer has, as the state last knew it. */
export interface GoneNumber {
  sid: string;
  phoneNumber: string;
}

/** What Twilio says about the number, plus the declaration it belongs to. */
export type PhoneNumberOutputs = PhoneNumberInputs & {
  sid: string;
  phoneNumber: string;
  /** The friendly name as stored in Twilio (with the marker for a bought number). */
  twilioFriendlyName: string;
  smsMethod?: string;
  voiceMethod?: string;
  /** True once the number has been released (a tombstone: nothing is left in Twilio). */
  released: boolean;
  /** When the number was parked (ISO 8601): its release window started then. Absent: not parked. */
  parkedAt?: string;
  /** When its window ends with the days declared at the last `up` (ISO 8601). */
  parkedUntil?: string;
  /** When this stack released it in Twilio (ISO 8601), for a released number. */
  releasedAt?: string;
};

const WEBHOOK_FIELDS = ["smsUrl", "voiceUrl", "statusCallback"] as const;
/** The declaration's fields (the program's inputs), picked from a state's outputs. */
const INPUT_FIELDS = [
  "accountId",
  "numberName",
  "marker",
  "kind",
  "areaCode",
  "country",
  "adoptSid",
  "adoptPhoneNumber",
  "friendlyName",
  "release",
  "releaseAfterDays",
  "parkingUrl",
  ...WEBHOOK_FIELDS,
] as const satisfies readonly (keyof PhoneNumberInputs)[];
/** Fields that identify the number; they cannot change once it exists. */
const IDENTITY_FIELDS = ["kind", "areaCode", "adoptSid", "adoptPhoneNumber"] as const;

/**
 * The declaration with the marker the number was bought with: the marker finds an earlier attempt
 * of a create, so once the number exists it is part of its name in Twilio and never changes. The
 * program derives it from the stack, and an account moved to another shard's stack
 * (npm run shard:move) must not rename its numbers.
 */
function keptMarker(olds: Partial<PhoneNumberOutputs>, news: PhoneNumberInputs): PhoneNumberInputs {
  return olds.marker ? { ...news, marker: olds.marker } : news;
}

/** The friendly name stored in Twilio: a bought number carries its marker. */
export function twilioFriendlyNameOf(inputs: PhoneNumberInputs): string {
  return inputs.kind === "buy"
    ? withMarker(inputs.friendlyName, inputs.marker)
    : inputs.friendlyName;
}

function describe(inputs: Pick<PhoneNumberInputs, "accountId" | "numberName">): string {
  return `number '${inputs.numberName}' of account ${inputs.accountId}`;
}

function outputsOf(
  number: IncomingPhoneNumberInstance,
  inputs: PhoneNumberInputs,
): PhoneNumberOutputs {
  return {
    ...inputs,
    ...definedFields(number, WEBHOOK_FIELDS),
    ...definedFields(number, ["smsMethod", "voiceMethod"] as const),
    // A parked number's Twilio name says so; the declared name is what it gets back on a restore.
    friendlyName: isParkedName(number.friendlyName)
      ? inputs.friendlyName
      : withoutMarker(number.friendlyName),
    sid: number.sid,
    phoneNumber: number.phoneNumber,
    twilioFriendlyName: number.friendlyName,
    released: false,
  };
}

/**
 * A parked number: its declaration, what Twilio holds now (webhooks as Twilio has them, so that a
 * restore sees every declared webhook as a change to send back), and its window.
 */
function parkedOutputs(
  number: IncomingPhoneNumberInstance,
  inputs: PhoneNumberInputs,
  parkedAt: string,
): PhoneNumberOutputs {
  const outputs: PhoneNumberOutputs = {
    ...outputsOf(number, inputs),
    parkedAt,
    parkedUntil: windowEnd(parkedAt, inputs.releaseAfterDays ?? 0),
  };
  // Left out, not undefined: the engine cannot serialize an undefined output.
  for (const field of WEBHOOK_FIELDS) {
    if (number[field]) outputs[field] = number[field];
    else delete outputs[field];
  }
  return outputs;
}

function releasedOutputs(
  olds: Partial<PhoneNumberOutputs>,
  news: PhoneNumberInputs,
  releasedAt?: string,
): PhoneNumberOutputs {
  return {
    ...news,
    sid: olds.sid ?? "",
    phoneNumber: olds.phoneNumber ?? "",
    twilioFriendlyName: olds.twilioFriendlyName ?? "",
    released: true,
    ...(olds.parkedAt ? { parkedAt: olds.parkedAt, parkedUntil: olds.parkedUntil } : {}),
    ...(releasedAt ? { releasedAt } : {}),
  };
}

/**
 * What the next `up` does with a number that is neither released nor gone, at time `at`:
 * - active: the YAML keeps it (and it is not parked);
 * - park: `release: true`, not parked yet, with a window;
 * - parked: parked, its window not over (the end moves if the declared days changed);
 * - release: `release: true` with no window (0 days), or a window that has ended;
 * - restore: parked, and the YAML no longer marks it `release: true`.
 */
export type NumberLifecycle = "active" | "park" | "parked" | "release" | "restore";

export function lifecycleOf(
  olds: Pick<PhoneNumberOutputs, "parkedAt">,
  news: Pick<PhoneNumberInputs, "release" | "releaseAfterDays">,
  at: Date,
): NumberLifecycle {
  const parkedAt = olds.parkedAt;
  if (news.release !== true) return parkedAt ? "restore" : "active";
  const days = news.releaseAfterDays ?? 0;
  if (!parkedAt) return days === 0 ? "release" : "park";
  return windowPassed(parkedAt, days, at) ? "release" : "parked";
}

/** Whether a parked number differs in Twilio from how it is parked (or its window moved). */
function parkedDrift(olds: PhoneNumberOutputs, news: PhoneNumberInputs): boolean {
  const parkedAt = olds.parkedAt ?? "";
  const until = windowEnd(parkedAt, news.releaseAfterDays ?? 0);
  const webhooks = parkedWebhooks(news.parkingUrl);
  return (
    until !== olds.parkedUntil ||
    parkedFriendlyName(news, until) !== olds.twilioFriendlyName ||
    WEBHOOK_FIELDS.some((field) => (olds[field] ?? "") !== webhooks[field])
  );
}

/** Parks the number in Twilio (one update): friendly name with its date, webhooks cleared or parked. */
async function park(
  sid: string,
  inputs: PhoneNumberInputs,
  parkedAt: string,
): Promise<PhoneNumberOutputs> {
  const { client } = twilioSession();
  const until = windowEnd(parkedAt, inputs.releaseAfterDays ?? 0);
  const number = await twilioCall(`park ${describe(inputs)} (${sid})`, () =>
    client.incomingPhoneNumbers(sid).update({
      friendlyName: parkedFriendlyName(inputs, until),
      ...parkedWebhooks(inputs.parkingUrl),
    }),
  );
  return parkedOutputs(number, inputs, parkedAt);
}

/** Why a released number cannot come back (its `release: true` was taken back too late). */
function releasedForGood(inputs: PhoneNumberInputs, olds: PhoneNumberOutputs): string {
  const number = [olds.phoneNumber, olds.sid].filter(Boolean).join(", ");
  const when = olds.releasedAt ? ` on ${formatUtc(olds.releasedAt)}` : "";
  return (
    `${describe(inputs)}${number ? ` (${number})` : ""} was released in Twilio${when}: it is gone and cannot be restored or bought back. ` +
    "Put release: true back on the entry (or remove the entry); to give the account a number again, add an entry with another name"
  );
}

/** Why a parked number's entry cannot leave the YAML (or the stack) before its window ends. */
function stillParked(inputs: PhoneNumberOutputs): string {
  return (
    `refusing to release ${inputs.phoneNumber || inputs.sid} (${describe(inputs)}) before its release window ends: it is parked until ${formatUtc(inputs.parkedUntil ?? "")}. ` +
    "Put the entry back with release: true and let a later up release it, or remove release: true to restore the number"
  );
}

/** The number's managed fields as Twilio holds them (from a fetch, or from the last state). */
type CurrentFields = Webhooks & { twilioFriendlyName?: string };

/** Update parameters for the declared fields that differ from Twilio's; undefined when none do. */
function declaredUpdate(
  current: CurrentFields,
  inputs: PhoneNumberInputs,
): Record<string, string> | undefined {
  const desired: CurrentFields = {
    ...pick(inputs, WEBHOOK_FIELDS),
    twilioFriendlyName: twilioFriendlyNameOf(inputs),
  };
  const changed = changedDeclaredFields(current, desired, [
    ...WEBHOOK_FIELDS,
    "twilioFriendlyName",
  ]);
  if (changed.length === 0) return undefined;
  const params: Record<string, string> = {};
  for (const field of changed) {
    params[field === "twilioFriendlyName" ? "friendlyName" : field] = desired[field] as string;
  }
  return params;
}

async function updateNumber(
  sid: string,
  current: CurrentFields,
  inputs: PhoneNumberInputs,
): Promise<IncomingPhoneNumberInstance | undefined> {
  const params = declaredUpdate(current, inputs);
  if (!params) return undefined;
  const { client } = twilioSession();
  return twilioCall(`update ${describe(inputs)} (${sid})`, () =>
    client.incomingPhoneNumbers(sid).update(params),
  );
}

/** Brings a number Twilio already holds to the declared fields (no call when they match). */
async function applyDeclared(
  number: IncomingPhoneNumberInstance,
  inputs: PhoneNumberInputs,
): Promise<IncomingPhoneNumberInstance> {
  const current = {
    ...definedFields(number, WEBHOOK_FIELDS),
    twilioFriendlyName: number.friendlyName,
  };
  return (await updateNumber(number.sid, current, inputs)) ?? number;
}

function pick<T extends object, K extends keyof T>(
  source: T,
  fields: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

/** The account's numbers by purchase marker (one list per provider process). */
function numbersByMarker(): MarkerIndex<IncomingPhoneNumberInstance> {
  const { client } = twilioSession();
  return markerIndexOf(client, "incoming phone numbers", () =>
    client.incomingPhoneNumbers.list({ pageSize: 1000 }),
  );
}

/**
 * Buys a number in the area code, at most once for this resource: a number carrying the
 * resource's marker (bought by an earlier attempt, or an earlier run that crashed before Pulumi
 * recorded it) is adopted instead, whatever its friendly name is now.
 */
async function buyOnce(inputs: PhoneNumberInputs): Promise<IncomingPhoneNumberInstance> {
  const { client } = twilioSession();
  return createOnce({
    action: `buy ${describe(inputs)} in area code ${inputs.areaCode}`,
    what: "number",
    marker: inputs.marker,
    index: numbersByMarker(),
    label: (number) => number.phoneNumber,
    adopt: (earlier) => applyDeclared(earlier, inputs),
    create: () =>
      client.incomingPhoneNumbers.create({
        areaCode: inputs.areaCode,
        friendlyName: twilioFriendlyNameOf(inputs),
        ...pick(inputs, WEBHOOK_FIELDS),
      }),
  });
}

/** The number to adopt as Twilio holds it; undefined when Twilio says the account has no such number. */
async function findAdopted(
  inputs: PhoneNumberInputs,
): Promise<IncomingPhoneNumberInstance | undefined> {
  const { client } = twilioSession();
  if (inputs.adoptSid) {
    const sid = inputs.adoptSid;
    try {
      return await client.incomingPhoneNumbers(sid).fetch();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw describeTwilioFailure(`adopt ${describe(inputs)} (${sid})`, error);
    }
  }
  const phoneNumber = inputs.adoptPhoneNumber ?? "";
  const found = await twilioCall(`adopt ${describe(inputs)} (${phoneNumber})`, () =>
    client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }),
  );
  return found[0];
}

function notInAccount(inputs: PhoneNumberInputs): Error {
  const which = inputs.adoptSid ?? inputs.adoptPhoneNumber ?? "";
  return twilioOperationError(
    `could not adopt ${describe(inputs)}: ${which} is not a number of this Twilio account (Twilio error 20404); hint: check the ${inputs.adoptSid ? "SID" : "number"}, or buy one with areaCode`,
    20404,
    404,
  );
}

/**
 * Why `up` stops on a number that is gone from Twilio while the YAML still declares it active: a
 * released number cannot be bought back, and buying another one would change the customer's
 * number without anyone having decided it.
 */
function goneButDeclaredActive(inputs: PhoneNumberInputs, gone: GoneNumber): string {
  const number = [gone.phoneNumber, gone.sid].filter(Boolean).join(", ");
  return (
    `${describe(inputs)} (${number}) is no longer in Twilio (Twilio error 20404 at the refresh: released outside this stack?). ` +
    "A released number cannot be bought back, and this stack does not buy another one in its place on its own. " +
    "Mark the entry release: true (up then records the release as done, and the post-deploy sync clears its row); " +
    "to give the account a new number, also add an entry with another name"
  );
}

/** The SID Twilio knows the number by now: `sid` (a number bought again), else the resource id. */
function sidOf(id: string, state: Partial<PhoneNumberOutputs> | undefined): string {
  return state?.sid || id;
}

async function release(sid: string, inputs: PhoneNumberInputs): Promise<void> {
  const { client } = twilioSession();
  try {
    await client.incomingPhoneNumbers(sid).remove();
  } catch (error) {
    // Already gone (e.g. released by a run that died before recording it): the desired state holds.
    if (!isNotFound(error))
      throw describeTwilioFailure(`release ${describe(inputs)} (${sid})`, error);
  }
  numbersByMarker().forget(sid);
}

export const phoneNumberProvider: pulumi.dynamic.ResourceProvider<
  PhoneNumberInputs,
  PhoneNumberOutputs
> = {
  configure: configureFromStack,

  async check(olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const existed = olds.kind !== undefined;
    if (existed) {
      for (const field of IDENTITY_FIELDS) {
        if (olds[field] !== news[field]) {
          failures.push({
            property: field,
            reason: `${describe(news)}: '${field}' cannot change once the number exists (was ${JSON.stringify(
              olds[field],
            )}, now ${JSON.stringify(news[field])}). To get another number, add a new entry with its own name and mark this one release: true`,
          });
        }
      }
      // Taking release: true back is a restore while the number is parked; `diff`, which sees
      // whether it was released already (an output), refuses it then.
    }
    if (
      news.kind === "buy" &&
      !(AREA_CODE_COUNTRIES as readonly string[]).includes(news.country ?? "")
    ) {
      failures.push({
        property: "country",
        reason: `${describe(news)}: buying by area code is supported in ${AREA_CODE_COUNTRIES.join(
          " and ",
        )}, not ${news.country}; adopt a number bought in the Twilio console instead`,
      });
    }
    if (olds.gone && news.release !== true && news.kind !== "buy") {
      // An adopted number cannot be adopted again. (A bought one is bought again by `update`.)
      // No property: the engine would print the property's value before the reason.
      failures.push({ property: "", reason: goneButDeclaredActive(news, olds.gone) });
    }
    failures.push(...webhookFailures(news, WEBHOOK_FIELDS, describe(news)));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    if (olds.released) {
      // Thrown, not a check failure: only the state's outputs say that the release happened.
      if (news.release !== true) throw new Error(releasedForGood(news, olds));
      return { changes: false };
    }
    news = keptMarker(olds, news);
    // Found gone by a refresh: the state changes whatever the YAML says (a declared release is
    // recorded as done; `check` refuses anything else). Also what a refresh shows for it.
    if (olds.gone) return { changes: true, replaces: [], deleteBeforeReplace: false };
    const lifecycle = lifecycleOf(olds, news, now());
    if (lifecycle !== "active") {
      const changes = lifecycle !== "parked" || parkedDrift(olds, news);
      return { changes, replaces: [], deleteBeforeReplace: false };
    }
    const changed: string[] = [];
    if (twilioFriendlyNameOf(news) !== olds.twilioFriendlyName) changed.push("friendlyName");
    changed.push(...changedDeclaredFields(olds, news, WEBHOOK_FIELDS));
    // Never a replacement: a released number usually cannot be bought back.
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    if (inputs.release && inputs.kind === "buy") {
      // Declared and released before it was ever bought: there is nothing to buy or release.
      return { id: `unbought-${inputs.marker}`, outs: releasedOutputs({}, inputs) };
    }
    let number: IncomingPhoneNumberInstance;
    if (inputs.kind === "buy") {
      number = await buyOnce(inputs);
    } else {
      const adopted = await findAdopted(inputs);
      if (!adopted) {
        if (!inputs.release) throw notInAccount(inputs);
        // Adopted only to be released, and Twilio says it is not there: released already (by a
        // run killed before the state recorded it, or outside). The release is done.
        const released = { sid: inputs.adoptSid, phoneNumber: inputs.adoptPhoneNumber };
        return {
          id: inputs.adoptSid ?? `gone-${inputs.marker}`,
          outs: releasedOutputs(released, inputs),
        };
      }
      number = await applyDeclared(adopted, inputs);
    }
    if (inputs.release) {
      // Adopted for the explicit purpose of letting it go: parked first, like any release.
      if ((inputs.releaseAfterDays ?? 0) > 0) {
        return { id: number.sid, outs: await park(number.sid, inputs, now().toISOString()) };
      }
      await release(number.sid, inputs);
      const outs = releasedOutputs(outputsOf(number, inputs), inputs, now().toISOString());
      return { id: number.sid, outs };
    }
    return { id: number.sid, outs: outputsOf(number, inputs) };
  },

  async read(id, props) {
    if (props?.released) return { id, props };
    const { client } = twilioSession();
    try {
      const number = await client.incomingPhoneNumbers(sidOf(id, props)).fetch();
      return { id, props: outputsOf(number, props ?? ({} as PhoneNumberInputs)) };
    } catch (error) {
      if (!isNotFound(error)) throw describeTwilioFailure(`read number ${id}`, error);
      // Twilio says it is gone. Nothing to keep for a read without state (an import).
      if (!props?.sid) return { id: "", props: {} as PhoneNumberOutputs };
      // A release the state already declares is simply done.
      if (props.release) return { id, props: { ...props, released: true } };
      // Kept, not dropped: its SID and phone number are what the sync needs to clear its row, and
      // the next up decides with the YAML what the loss means. Returned as inputs too, so that
      // the next `check` sees it next to the YAML's declaration.
      const gone: GoneNumber = { sid: props.sid, phoneNumber: props.phoneNumber };
      const declared: PhoneNumberInputs = {
        ...pick(props, INPUT_FIELDS),
        gone,
      } as PhoneNumberInputs;
      // (The SDK types a read's inputs as outputs; the engine takes them as the new inputs.)
      return { id, props: { ...props, gone }, inputs: declared as PhoneNumberOutputs };
    }
  },

  async update(id, olds, news) {
    news = keptMarker(olds, news);
    // A number the refresh found gone needs no call: Twilio already said it is not there.
    if (news.release && olds.gone) return { outs: releasedOutputs(olds, news) };
    if (olds.gone) {
      // `check` refuses an adopted number gone from Twilio; this is its backstop.
      if (news.kind !== "buy") throw new Error(goneButDeclaredActive(news, olds.gone));
      // Declared active and gone: bought again (its marker finds a purchase a killed run made).
      // Another phone number: the plan showed it as such, and the deploy needed the approval.
      return { outs: outputsOf(await buyOnce(news), news) };
    }
    const sid = sidOf(id, olds);
    const at = now();
    switch (lifecycleOf(olds, news, at)) {
      case "release":
        await release(sid, news);
        return { outs: releasedOutputs(olds, news, at.toISOString()) };
      case "park":
        return { outs: await park(sid, news, at.toISOString()) };
      case "parked":
        // The declared days changed (the window's end moves), or the parked fields drifted.
        return { outs: await park(sid, news, olds.parkedAt ?? at.toISOString()) };
      case "restore": {
        // Everything declared goes back; the window is forgotten.
        const updated = await updateNumber(sid, olds, news);
        if (updated) return { outs: outputsOf(updated, news) };
        const { parkedAt: _at, parkedUntil: _until, ...rest } = olds;
        return { outs: { ...rest, ...withoutUndefined(news), released: false } };
      }
      case "active":
        break;
    }
    // The state holds what Twilio had at the last create/read/update: one call, for what differs.
    const updated = await updateNumber(sid, olds, news);
    if (updated) return { outs: outputsOf(updated, news) };
    // Nothing to send (the difference was already in Twilio): keep what Twilio has, with the new declaration.
    return { outs: { ...olds, ...withoutUndefined(news), friendlyName: olds.friendlyName } };
  },

  async delete(id, props) {
    // Nothing in Twilio to release: released already, or gone (Twilio said so at the refresh).
    if (props.released || props.gone) return;
    if (props.release) {
      // A parked number leaves only through its window: removing the entry early is refused.
      if (props.parkedAt && lifecycleOf(props, props, now()) !== "release") {
        throw new Error(stillParked(props));
      }
      await release(sidOf(id, props), props);
      return;
    }
    // The number guard fails any removal from the YAML before this point, so a deletion that gets
    // here comes from the engine itself: in practice `pulumi up --replace` after `state unprotect`.
    throw new Error(
      `refusing to release ${props.phoneNumber || id} (${describe(props)}): the YAML does not mark it release: true, so this deletion does not come from the YAML. ` +
        `If the number was replaced (pulumi up --replace, after pulumi state unprotect), the replacement took over the same Twilio number (${id}) and this is the old state entry, left pending deletion; nothing was released. ` +
        `To recover, remove that old entry from the state, not the number from Twilio: pulumi stack export --file state.json, delete the resource whose urn ends in ::${props.accountId}-${props.numberName} and whose "delete" is true, then pulumi stack import --file state.json. ` +
        "Numbers are never replaced: to change one, mark it release: true and add a new entry",
    );
  },
};

/** An incoming phone number of the Twilio account. */
export class PhoneNumber extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly phoneNumber: pulumi.Output<string>;
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly released: pulumi.Output<boolean>;
  declare readonly parkedUntil: pulumi.Output<string | undefined>;

  constructor(name: string, inputs: PhoneNumberInputs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerStub("phoneNumber"),
      name,
      {
        ...inputs,
        sid: undefined,
        phoneNumber: undefined,
        twilioFriendlyName: undefined,
        released: undefined,
        parkedAt: undefined,
        parkedUntil: undefined,
        releasedAt: undefined,
      },
      opts,
      "twilio",
      "PhoneNumber",
    );
  }
}
