/**
 * The program's side of an account's US A2P 10DLC registration: the YAML's compliance.usA2p as the
 * inputs of providers/us-a2p-registration.ts, the personal data (tax id, representative's email and
 * phone) as a Pulumi secret, so the state keeps it encrypted and no preview prints it.
 */
import * as pulumi from "@pulumi/pulumi";
import { type PersonalData, UsA2pRegistration } from "../providers/us-a2p-registration";
import type { ResolvedAccount } from "../src/config/load";
import type { UsA2pConfig } from "../src/config/schema";

/** The registration of an account that declares compliance.usA2p, on its Messaging Service. */
export function declareUsA2pRegistration(
  account: ResolvedAccount & { usA2p: UsA2pConfig },
  serviceSid: pulumi.Input<string>,
  marker: string,
  opts: pulumi.CustomResourceOptions,
): UsA2pRegistration {
  const { taxId, representative, ...brand } = account.usA2p.brand;
  const { email, phone, ...publicRepresentative } = representative;
  const personal: PersonalData = { taxId, email, phone };
  return new UsA2pRegistration(
    `${account.id}-us-a2p`,
    {
      accountId: account.id,
      accountName: account.name,
      marker,
      serviceSid,
      brand: { ...brand, representative: publicRepresentative },
      personal: pulumi.secret(personal),
      campaign: account.usA2p.campaign,
    },
    opts,
  );
}
