/**
 * What a parked number looks like in Twilio (docs/providers.md, "Releases with an undo window"):
 * a number marked `release: true` first waits, parked, until its release window ends. Parked, it
 * sends and receives for nobody: the program no longer declares its attachment (so it leaves the
 * Messaging Service), its SMS and voice webhooks point at the parking URL or nowhere, its status
 * callback is cleared, and its friendly name says until when it is parked, so a person looking at
 * the Twilio console sees what is going on without this project's state.
 */
import { formatUtc } from "../src/util/clock";
import { withMarker, withoutMarker } from "./creation-markers";

/** Twilio's limit on a friendly name. */
const FRIENDLY_NAME_MAX = 64;
export const PARKED_PREFIX = "parked until ";

interface Named {
  kind: "buy" | "adopt";
  marker: string;
  friendlyName: string;
}

/** "parked until 2026-12-11 09:00 UTC - <name>" (shortened to fit), with a bought number's marker. */
export function parkedFriendlyName(inputs: Named, parkedUntil: string): string {
  const lead = `${PARKED_PREFIX}${formatUtc(parkedUntil)} - `;
  const markerRoom = inputs.kind === "buy" ? ` [${inputs.marker}]`.length : 0;
  const room = FRIENDLY_NAME_MAX - lead.length - markerRoom;
  const name =
    inputs.friendlyName.length <= room
      ? inputs.friendlyName
      : `${inputs.friendlyName.slice(0, room - 1)}…`;
  return inputs.kind === "buy" ? withMarker(lead + name, inputs.marker) : lead + name;
}

/** Whether a friendly name Twilio holds is a parked number's. */
export function isParkedName(twilioFriendlyName: string | undefined): boolean {
  return withoutMarker(twilioFriendlyName ?? "").startsWith(PARKED_PREFIX);
}

/** The webhooks of a parked number: SMS and voice to the parking URL, or none; no status callback. */
export function parkedWebhooks(parkingUrl: string | undefined): {
  smsUrl: string;
  voiceUrl: string;
  statusCallback: string;
} {
  return { smsUrl: parkingUrl ?? "", voiceUrl: parkingUrl ?? "", statusCallback: "" };
}
