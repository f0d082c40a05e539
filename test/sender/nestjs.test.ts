/**
 * The NestJS module in a real Nest testing module (@nestjs/testing 12 on this Node): a service of
 * the "backend" gets the sender injected and sends through the emulator; closing the application
 * closes the sender.
 */
import "reflect-metadata";
import { Injectable, Module } from "@nestjs/common";
import { Test } from "@nestjs/testing";
import { describe, expect, it } from "vitest";
import type { SmsSender } from "../../src/sender";
import { InjectSmsSender, SMS_SENDER, SmsSenderModule } from "../../src/sender/nestjs";
import { AUTH_TOKEN } from "../emulator/helpers";
import { useSenderWorld } from "./world";

const world = useSenderWorld("nestjs");

/** What a backend service looks like (decorators applied by hand: no decorator syntax here). */
class TransferAlerts {
  constructor(private readonly sms: SmsSender) {}

  notifyStaff(vapiPhoneId: string, to: string) {
    return this.sms.sendStaffAlert({ vapiPhoneId, to, reason: "Emergency", summary: "Pain" });
  }
}
Injectable()(TransferAlerts);
InjectSmsSender()(TransferAlerts, undefined, 0);

/** A stand-in for the backend's configuration module. */
const TWILIO_CONFIG = "TWILIO_CONFIG";
class ConfigModule {}
Module({
  providers: [{ provide: TWILIO_CONFIG, useFactory: () => twilioConfig() }],
  exports: [TWILIO_CONFIG],
})(ConfigModule);
const twilioConfig = () => ({
  accountSid: world.t.emulator.accountSid,
  authToken: AUTH_TOKEN,
  baseUrl: world.t.baseUrl,
});

describe("SmsSenderModule", () => {
  it("forRootAsync: injects the sender into a backend service, which sends through the emulator", async () => {
    const account = await world.provisionAccount({ name: "Nest Clinic" });
    const app = await Test.createTestingModule({
      imports: [
        SmsSenderModule.forRootAsync({
          imports: [ConfigModule],
          inject: [TWILIO_CONFIG],
          useFactory: (twilio: ReturnType<typeof twilioConfig>) => ({
            prisma: world.db.prisma,
            twilio,
          }),
        }),
      ],
      providers: [TransferAlerts],
    }).compile();
    await app.init();
    const result = await app.get(TransferAlerts).notifyStaff(account.vapiPhoneId, "+15145550160");
    expect(result).toMatchObject({ status: "accepted", messagingServiceSid: account.serviceSid });
    expect(world.t.emulator.state.messages.get(result.sid)?.body).toMatch(
      /^URGENT: Call transfer incoming from Nest Clinic\n/,
    );
    const sender = app.get<SmsSender>(SMS_SENDER);
    await app.close();
    await expect(
      sender.sendSms({ accountId: account.accountId, to: "+15145550160", body: "after close" }),
    ).rejects.toThrow("SMS sender is closed");
  });

  it("forRoot: a global module, so feature modules inject the sender without importing it", async () => {
    const account = await world.provisionAccount();
    class FeatureModule {}
    Module({ providers: [TransferAlerts], exports: [TransferAlerts] })(FeatureModule);
    const app = await Test.createTestingModule({
      imports: [
        SmsSenderModule.forRoot({ prisma: world.db.prisma, twilio: twilioConfig() }),
        FeatureModule,
      ],
    }).compile();
    try {
      const result = await app.get(TransferAlerts).notifyStaff(account.vapiPhoneId, "+15145550161");
      expect(result.messagingServiceSid).toBe(account.serviceSid);
    } finally {
      await app.close();
    }
  });
});
