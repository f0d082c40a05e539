/**
 * One customer account as a component: its numbers, its Messaging Service, and the attachments of
 * the numbers to the service. Lifecycle comes from the YAML only:
 * - an active number is `protect`ed (the engine refuses to delete it) and attached to the service;
 * - a number marked `release: true` loses protection and is released by its provider's update;
 * - a released account releases every number and deletes its service.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MessagingService } from "../providers/messaging-service";
import { PhoneNumber, type PhoneNumberInputs } from "../providers/phone-number";
import { ServiceNumber } from "../providers/service-number";
import type { ResolvedAccount, ResolvedNumber } from "../src/config/load";
import type { StackAccountOutput } from "../src/sync/contract";

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
  };
  return number.kind === "buy"
    ? { ...common, kind: "buy", areaCode: number.areaCode, country: number.country }
    : { ...common, kind: "adopt", adoptSid: number.sid, adoptPhoneNumber: number.phoneNumber };
}

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
          { serviceSid: service.id, phoneNumberSid: resource.id },
          child,
        );
      }
      return { config: number, resource };
    });

    // Released numbers stay in the output (released: true) so the sync clears their rows; a
    // number released before it was ever bought has no SID or phone number (null). One `all` over
    // a flat list (service SID, then each number's SID and phone number): every Output the program
    // makes per account costs some twenty promises (pulumi/lazy-outputs.ts).
    this.output = pulumi
      .all([
        service?.sid ?? null,
        ...numbers.flatMap((n) => [n.resource.sid, n.resource.phoneNumber]),
      ])
      .apply(
        ([serviceSid, ...identities]): AccountOutput => ({
          accountId: account.id,
          name: account.name,
          released: account.release,
          messagingServiceSid: serviceSid || null,
          numbers: numbers.map((n, i) => ({
            name: n.config.name,
            phoneNumber: identities[2 * i + 1] || null,
            sid: identities[2 * i] || null,
            vapiPhoneId: n.config.vapiPhoneId ?? null,
            released: n.config.release,
          })),
        }),
      );
    this.registerOutputs({ output: this.output });
  }
}
