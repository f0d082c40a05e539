/**
 * The campaign status from the stack outputs to the sender: the sync writes it on the account row
 * (`accounts.us_a2p_campaign_status`, in its transaction), and the sender refuses a US recipient
 * through an account whose campaign is not VERIFIED, before any Twilio call, with both route
 * readers (the backend's Prisma client, and pg from a URL). Canadian-only accounts are unaffected.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UsA2pNotVerifiedError } from "../../src/sender";
import type { StackOutputs } from "../../src/sync/contract";
import { syncStackOutputs } from "../../src/sync/sync";
import { useSenderWorld } from "../sender/world";

const world = useSenderWorld("a2p");
const US_RECIPIENT = "+12125550147";
const CA_RECIPIENT = "+15145550142";

/** A number bought in the emulator, in a service of its own, as an account output. */
async function deployed(areaCode: string, usA2p?: { campaignStatus: string | null }) {
  const client = world.t.client();
  const number = await client.incomingPhoneNumbers.create({ areaCode });
  const service = await client.messaging.v1.services.create({ friendlyName: `svc ${areaCode}` });
  await client.messaging.v1
    .services(service.sid)
    .phoneNumbers.create({ phoneNumberSid: number.sid });
  const accountId = randomUUID();
  const output = (status?: {
    campaignStatus: string | null;
  }): StackOutputs["accounts"][number] => ({
    accountId,
    name: `Clinic ${areaCode}`,
    released: false,
    messagingServiceSid: service.sid,
    numbers: [
      {
        name: "main",
        phoneNumber: number.phoneNumber,
        sid: number.sid,
        vapiPhoneId: `vapi-${randomUUID()}`,
        released: false,
      },
    ],
    ...(status ? { usA2p: { ...status, next: "…" } } : {}),
  });
  return { accountId, output, first: output(usA2p) };
}

async function statusColumn(accountId: string): Promise<string | null | undefined> {
  const rows = await world.db.prisma.$queryRaw<{ s: string | null }[]>`
    SELECT "us_a2p_campaign_status" AS s FROM "accounts" WHERE "id" = ${accountId}::uuid`;
  return rows[0]?.s;
}

describe("the US A2P campaign status: sync column and sender guard", () => {
  it("the sync records each account's status, and changes it only when it changed", async () => {
    const us = await deployed("206", { campaignStatus: "IN_PROGRESS" });
    const unregistered = await deployed("312");
    const canadian = await deployed("514");
    const outputs = { accounts: [us.first, unregistered.first, canadian.first] };
    const first = await syncStackOutputs(world.db, outputs);
    expect(first.report.created).toBe(3);
    expect(await statusColumn(us.accountId)).toBe("IN_PROGRESS");
    expect(await statusColumn(unregistered.accountId)).toBe("NOT_REGISTERED");
    expect(await statusColumn(canadian.accountId)).toBeNull();
    // Idempotent: nothing changes the second time.
    const again = await syncStackOutputs(world.db, outputs);
    expect(again.campaignStatusesChanged).toBeUndefined();
    // A verified campaign is a change the caller hears of (it drops the senders' cached routes).
    let heard = 0;
    const verified = await syncStackOutputs(
      world.db,
      { accounts: [us.output({ campaignStatus: "VERIFIED" }), unregistered.first, canadian.first] },
      { onRowsChanged: () => heard++ },
    );
    expect(verified.campaignStatusesChanged).toBe(1);
    expect(heard).toBe(1);
    expect(await statusColumn(us.accountId)).toBe("VERIFIED");
  });

  it("refuses a US recipient before any Twilio call while the campaign is not VERIFIED (Prisma and pg)", async () => {
    const us = await deployed("206", { campaignStatus: "IN_PROGRESS" });
    await syncStackOutputs(world.db, { accounts: [us.first] });
    for (const sender of [
      world.sender(),
      world.sender({ prisma: undefined, databaseUrl: world.databaseUrl }),
    ]) {
      const calls = world.callsSince();
      const refused = await sender
        .sendSms({ accountId: us.accountId, to: US_RECIPIENT, body: "Your cleaning is tomorrow." })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UsA2pNotVerifiedError);
      expect(refused).toMatchObject({ code: "US_A2P_NOT_VERIFIED", campaignStatus: "IN_PROGRESS" });
      expect((refused as Error).message).toMatch(
        /^US A2P 10DLC campaign not verified \(status IN_PROGRESS\)/,
      );
      expect(calls()).toEqual([]);
      // A Canadian recipient is not a US A2P message.
      const ca = await sender.sendSms({ accountId: us.accountId, to: CA_RECIPIENT, body: "Hi" });
      expect(ca.sid).toMatch(/^SM/);
    }
  });

  it("sends once the sync recorded VERIFIED, and always for a Canadian-only account", async () => {
    const us = await deployed("206", { campaignStatus: "FAILED" });
    const canadian = await deployed("438");
    await syncStackOutputs(world.db, { accounts: [us.first, canadian.first] });
    const sender = world.sender();
    await expect(
      sender.sendSms({ accountId: us.accountId, to: US_RECIPIENT, body: "Hi" }),
    ).rejects.toMatchObject({ code: "US_A2P_NOT_VERIFIED", campaignStatus: "FAILED" });
    await syncStackOutputs(
      world.db,
      { accounts: [us.output({ campaignStatus: "VERIFIED" }), canadian.first] },
      { onRowsChanged: () => sender.invalidate() },
    );
    const sent = await sender.sendSms({ accountId: us.accountId, to: US_RECIPIENT, body: "Hi" });
    expect(sent.sid).toMatch(/^SM/);
    const fromCanada = await sender.sendSms({
      accountId: canadian.accountId,
      to: US_RECIPIENT,
      body: "Hi",
    });
    expect(fromCanada.sid).toMatch(/^SM/);
  });

  it("lets a caller opt out (usA2pGuard: false): the message goes, and the emulator fails it with 30034 as Twilio would", async () => {
    const us = await deployed("206");
    await syncStackOutputs(world.db, { accounts: [us.first] });
    expect(await statusColumn(us.accountId)).toBe("NOT_REGISTERED");
    const sent = await world
      .sender({ usA2pGuard: false })
      .sendSms({ accountId: us.accountId, to: US_RECIPIENT, body: "Hi" });
    const message = await world.t.client().messages(sent.sid).fetch();
    expect([message.status, message.errorCode]).toEqual(["failed", 30034]);
  });
});
