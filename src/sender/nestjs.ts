/**
 * `twilio-messaging-sender/nestjs`: the sender as a NestJS module, built with Nest's own
 * ConfigurableModuleBuilder so it reads like any other: `forRoot(options)`, `forRootAsync({
 * imports, inject, useFactory | useClass | useExisting })`, `isGlobal` opt-in as in
 * `@nestjs/config` (default false: import it where it is used, or once with `isGlobal: true`).
 *
 *   @Module({ imports: [SmsSenderModule.forRootAsync({ inject: [ConfigService, PrismaService],
 *     useFactory: (config, prisma) => ({ prisma, twilio: { accountSid: …, authToken: … } }) })] })
 *   export class AppModule {}
 *
 *   constructor(@InjectSmsSender() private readonly sms: SmsSender) {}
 *
 * One sender per import of the module, provided under SMS_SENDER and closed by the module's
 * `onModuleDestroy` (`app.close()`, or a signal with `enableShutdownHooks()`). Written without
 * decorator syntax, so it needs neither `experimentalDecorators` nor `emitDecoratorMetadata` from
 * whoever compiles it; `@nestjs/common` (10, 11 or 12) is an optional peer dependency, loaded only
 * by this entry point.
 */
import {
  type ConfigurableModuleAsyncOptions,
  ConfigurableModuleBuilder,
  type ConfigurableModuleCls,
  Inject,
  Module,
  type OnModuleDestroy,
  type Provider,
} from "@nestjs/common";
import { createSmsSender, type SmsSender, type SmsSenderOptions } from "./sender";

/** The injection token of the sender. */
export const SMS_SENDER = "TWILIO_MESSAGING_SENDER";

/** `@InjectSmsSender()` on a constructor parameter injects the sender. */
export const InjectSmsSender = (): PropertyDecorator & ParameterDecorator => Inject(SMS_SENDER);

/** What `useClass` / `useExisting` provide: a class that builds the sender's options. */
export interface SmsSenderOptionsFactory {
  createSmsSenderOptions(): SmsSenderOptions | Promise<SmsSenderOptions>;
}

/** The token of the options the module was given (or its factory built). */
export const SMS_SENDER_OPTIONS = "TWILIO_MESSAGING_SENDER_OPTIONS";

const senderProvider: Provider = {
  provide: SMS_SENDER,
  inject: [SMS_SENDER_OPTIONS],
  useFactory: (options: SmsSenderOptions) => createSmsSender(options),
};

/** Options of the module itself, beside the sender's. */
interface ModuleExtras {
  /** Provide the sender to every module, as `@nestjs/config` does (default false). */
  isGlobal: boolean;
}

/** `SmsSenderModule.forRoot(…)`: the sender's options, and `isGlobal`. */
export type SmsSenderModuleOptions = SmsSenderOptions & Partial<ModuleExtras>;

/** `SmsSenderModule.forRootAsync(…)`: `useFactory`/`useClass`/`useExisting`, `inject`, `imports`, `isGlobal`. */
export type SmsSenderModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  SmsSenderOptions,
  "createSmsSenderOptions"
> &
  Partial<ModuleExtras>;

// Typed by name (not inferred), so the published .d.ts says SmsSenderOptions, not its expansion.
const ConfigurableModuleClass: ConfigurableModuleCls<
  SmsSenderOptions,
  "forRoot",
  "createSmsSenderOptions",
  ModuleExtras
> = new ConfigurableModuleBuilder<SmsSenderOptions>({ optionsInjectionToken: SMS_SENDER_OPTIONS })
  .setClassMethodName("forRoot")
  .setFactoryMethodName("createSmsSenderOptions")
  .setExtras<ModuleExtras>({ isGlobal: false }, (definition, { isGlobal }) => ({
    ...definition,
    global: isGlobal,
    providers: [...(definition.providers ?? []), senderProvider],
    exports: [SMS_SENDER],
  }))
  .build().ConfigurableModuleClass;

export class SmsSenderModule extends ConfigurableModuleClass implements OnModuleDestroy {
  constructor(private readonly sender: SmsSender) {
    super();
  }

  /** Releases what the sender opened (its `pg` pool, its Redis connection). */
  async onModuleDestroy(): Promise<void> {
    await this.sender.close();
  }
}

Inject(SMS_SENDER)(SmsSenderModule, undefined, 0);
Module({})(SmsSenderModule);

export type { SmsSender, SmsSenderOptions } from "./sender";
