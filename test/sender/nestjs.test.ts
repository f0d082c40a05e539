/**
 * The NestJS module in real Nest testing modules (@nestjs/testing 12 on this Node): forRoot and
 * forRootAsync with useFactory, useClass and useExisting; `isGlobal` opt-in as in @nestjs/config;
 * the sender closed by the module's onModuleDestroy. NestJS 10 and 11 run the same conventions
 * from a compiled backend in scratch installs (backend.test.ts, nestjs-10.test.ts).
 */
import "reflect-metadata";
import { Inject, Injectable, Module } from "@nestjs/common";
import { Test } from "@nestjs/testing";
import { describe, expect, it } from "vitest";
import type { SmsSender, SmsSenderOptions } from "../../src/sender";
import {
  InjectSmsSender,
  SMS_SENDER,
  SmsSenderModule,
  type SmsSenderOptionsFactory,
} from "../../src/sender/nestjs";
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
const twilioConfig = () => ({
  accountSid: world.t.emulator.accountSid,
  authToken: AUTH_TOKEN,
  baseUrl: world.t.baseUrl,
});
class ConfigModule {}
Module({
  providers: [{ provide: TWILIO_CONFIG, useFactory: () => twilioConfig() }],
  exports: [TWILIO_CONFIG],
})(ConfigModule);

/** `useClass`: Nest builds it (injecting the config) and calls createSmsSenderOptions. */
class SenderOptionsFromConfig implements SmsSenderOptionsFactory {
  constructor(private readonly twilio: ReturnType<typeof twilioConfig>) {}

  createSmsSenderOptions(): SmsSenderOptions {
    return { prisma: world.db.prisma, twilio: this.twilio };
  }
}
Injectable()(SenderOptionsFromConfig);
Inject(TWILIO_CONFIG)(SenderOptionsFromConfig, undefined, 0);

/** `useExisting`: a provider the backend already has, exported by one of its modules. */
class SettingsModule {}
Module({
  imports: [ConfigModule],
  providers: [SenderOptionsFromConfig],
  exports: [SenderOptionsFromConfig],
})(SettingsModule);

/** A feature module that uses the sender without importing SmsSenderModule itself. */
class FeatureModule {}
Module({ providers: [TransferAlerts], exports: [TransferAlerts] })(FeatureModule);

async function sendsThrough(imports: unknown[], providers: unknown[] = [TransferAlerts]) {
  const account = await world.provisionAccount({ name: "Nest Clinic" });
  const app = await Test.createTestingModule({
    imports: imports as never[],
    providers: providers as never[],
  }).compile();
  await app.init();
  try {
    const result = await app.get(TransferAlerts).notifyStaff(account.vapiPhoneId, "+15145550160");
    expect(result).toMatchObject({ status: "accepted", messagingServiceSid: account.serviceSid });
    expect(world.t.emulator.state.messages.get(result.sid)?.body).toMatch(
      /^URGENT: Call transfer incoming from Nest Clinic\n/,
    );
    return { app, account };
  } catch (error) {
    await app.close();
    throw error;
  }
}

describe("SmsSenderModule", () => {
  it("forRootAsync with useFactory: injects the sender; app.close() closes it (onModuleDestroy)", async () => {
    const { app, account } = await sendsThrough([
      SmsSenderModule.forRootAsync({
        imports: [ConfigModule],
        inject: [TWILIO_CONFIG],
        useFactory: (twilio: ReturnType<typeof twilioConfig>) => ({
          prisma: world.db.prisma,
          twilio,
        }),
      }),
    ]);
    const sender = app.get<SmsSender>(SMS_SENDER);
    await app.close();
    await expect(
      sender.sendSms({ accountId: account.accountId, to: "+15145550160", body: "after close" }),
    ).rejects.toThrow("SMS sender is closed");
  });

  it("forRootAsync with useClass: Nest builds the options factory", async () => {
    const { app } = await sendsThrough([
      SmsSenderModule.forRootAsync({ imports: [ConfigModule], useClass: SenderOptionsFromConfig }),
    ]);
    await app.close();
  });

  it("forRootAsync with useExisting: the backend's own provider builds the options", async () => {
    const { app } = await sendsThrough([
      SmsSenderModule.forRootAsync({
        imports: [SettingsModule],
        useExisting: SenderOptionsFromConfig,
      }),
    ]);
    await app.close();
  });

  it("isGlobal: true lets a feature module inject the sender without importing the module", async () => {
    const { app } = await sendsThrough(
      [
        SmsSenderModule.forRoot({
          prisma: world.db.prisma,
          twilio: twilioConfig(),
          isGlobal: true,
        }),
        FeatureModule,
      ],
      [],
    );
    await app.close();
  });

  it("is not global by default: a feature module that does not import it cannot inject the sender", async () => {
    const compiling = Test.createTestingModule({
      imports: [
        SmsSenderModule.forRoot({ prisma: world.db.prisma, twilio: twilioConfig() }),
        FeatureModule,
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(/can't resolve dependencies of the TransferAlerts/);
  });
});
