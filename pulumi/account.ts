/**
 * One customer account as a component: its numbers, its Messaging Service, and the attachments of
 * the numbers to the service. Lifecycle comes from the YAML only:
 * - an active number is `protect`ed (the engine refuses to delete it) and attached to the service;
 * - a number marked `release: true` loses protection and leaves the service (its attachment is no
 *   longer declared); its provider parks it, and releases it in the first `up` after its release
 *   window (`releaseAfterDays`; 0: at once). Taking `release: true` back restores it: the
 *   attachment is declared again and the provider puts the declared fields back;
 * - a released account lets every number go that way and deletes its service (a restored account
 *   gets a new one, with the YAML's settings).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MessagingService } from "../providers/messaging-service";
import { PhoneNumber, type PhoneNumberInputs } from "../providers/phone-number";
import { ServiceNumber } from "../providers/service-number";
import type { ResolvedAccount, ResolvedNumber } from "../src/config/load";
import type { StackAccountOutput } from "../src/sync/contract";
import { declareUsA2pRegistration } from "./us-a2p";

/** What the post-deploy sync reads for each account (stack output `accounts`): src/sync/contract.ts. */
export type AccountOutput = StackAccountOutput;

/**
 * The purchase marker of a number: stable for (project, stack, account, number name), short enough
 * to fit Twilio's 64-character friendly name next to a 48-character name.
 */
export function purchaseMarker(accountId: string, numberName: string): string {
  const scope = `${pulumi.getProject()}/${pulumi.getStack()}/${accountId}/${numberName}`;
  return `tm-${createHash("sha256").update(scope).digest("hex").slice(0, 8)}`;
}

function phoneNumberInputs(account: ResolvedAccount, number: ResolvedNumber): PhoneNumberInputs {
  const common = {
    accountId: account.id,
    numberName: number.name,
    marker: purchaseMarker(account.id, number.name),
    friendlyName: number.friendlyName,
    smsUrl: number.smsUrl,
    voiceUrl: number.voiceUrl,
    statusCallback: number.statusCallback,
    release: number.release,
    // Only a number being let go carries its window: a changed default then touches no other.
    ...(number.release
      ? { releaseAfterDays: number.releaseAfterDays, parkingUrl: number.parkingUrl }
      : {}),
  };
  return number.kind === "buy"
    ? { ...common, kind: "buy", areaCode: number.areaCode, country: number.country }
    : { ...common, kind: "adopt", adoptSid: number.sid, adoptPhoneNumber: number.phoneNumber };
}

/** Values per number in the account output's flat list: SID, phone number, released, parked until, id. */
const NUMBER_FIELDS = 5;

export class AccountResources extends pulumi.ComponentResource {
  readonly output: pulumi.Output<AccountOutput>;

  constructor(account: ResolvedAccount, opts?: pulumi.ComponentResourceOptions) {
    super("twilio-messaging:index:Account", account.id, {}, opts);
    const child = { parent: this };

    const service = account.release
      ? undefined
      : new MessagingService(
          `${account.id}-service`,
          // "#service" is no number name (the schema allows none with "#"): its own marker.
          {
            accountId: account.id,
            marker: purchaseMarker(account.id, "#service"),
            ...account.messagingService,
          },
          child,
        );

    // "#us-a2p" is no number name either: the registration's own marker.
    const usA2p = account.usA2p;
    const registration =
      service && usA2p
        ? declareUsA2pRegistration(
            { ...account, usA2p },
            service.id,
            purchaseMarker(account.id, "#us-a2p"),
            child,
          )
        : undefined;

    const numbers = account.numbers.map((number) => {
      const resource = new PhoneNumber(
        `${account.id}-${number.name}`,
        phoneNumberInputs(account, number),
        {
          ...child,
          // Defence in depth next to the number guard: the engine itself refuses to delete it.
          protect: !number.release,
        },
      );
      if (service && !number.release) {
        new ServiceNumber(
          `${account.id}-${number.name}-attachment`,
          // The ids (MG…, PN…), not the `sid` outputs: an id stays known while a preview plans an
          // update of the service or number, a declared output does not (see providers/service-number.ts).
          // `attachSid`: the number's SID now, which differs from its id once it was bought again.
          { serviceSid: service.id, phoneNumberSid: resource.id, attachSid: resource.sid },
          child,
        );
      }
      return { config: number, resource };
    });

    // Released numbers stay in the output (released: true) so the sync clears their rows; a
    // number released before it was ever bought has no SID or phone number (null). A parked
    // number is not released yet: `parkedUntil` says until when, and the sync marks its row
    // inactive (what the resource did, not only what the YAML says). One `all` over a flat list
    // (the service SID, the registration's status and next step, then NUMBER_FIELDS per number):
    // every Output the program makes per account costs some twenty promises (pulumi/lazy-outputs.ts).
    const values: pulumi.Input<unknown>[] = [
      service?.sid ?? null,
      registration?.campaignStatus ?? null,
      registration?.next ?? null,
      ...numbers.flatMap((n) => [
        n.resource.sid,
        n.resource.phoneNumber,
        n.resource.released,
        n.resource.parkedUntil,
        n.resource.id,
      ]),
    ];
    // The SDK's Unwrap of `unknown` loses the element type: the values are read by position below.
    this.output = (pulumi.all(values) as pulumi.Output<unknown[]>).apply(
      ([serviceSid, campaignStatus, next, ...fields]): AccountOutput => ({
        accountId: account.id,
        name: account.name,
        released: account.release,
        messagingServiceSid: (serviceSid as string | null) || null,
        // Only for an account that declares a registration (docs/a2p.md).
        ...(registration
          ? {
              usA2p: {
                campaignStatus: (campaignStatus as string | null | undefined) ?? null,
                next: next as string,
              },
            }
          : {}),
        numbers: numbers.map((n, i) => {
          const [sid, phoneNumber, releasedInTwilio, parkedUntilOutput, id] = fields.slice(
            i * NUMBER_FIELDS,
            (i + 1) * NUMBER_FIELDS,
          ) as [string?, string?, boolean?, string?, string?];
          const released = n.config.release && releasedInTwilio === true;
          const parkedUntil = n.config.release && !released ? parkedUntilOutput : undefined;
          return {
            name: n.config.name,
            phoneNumber: phoneNumber || null,
            sid: sid || null,
            vapiPhoneId: n.config.vapiPhoneId ?? null,
            released,
            // Only on a parked number: the outputs of every other number read as before.
            ...(parkedUntil ? { parkedUntil } : {}),
            // Only on a number bought again (its id is the first SID): the sync moves its row.
            ...(sid && id && id !== sid ? { replacesSid: id } : {}),
          };
        }),
      }),
    );
    this.registerOutputs({ output: this.output });
  }
}
