/**
 * `twilio-messaging-iac/sender/nestjs`: the sender as a NestJS module, for the backend.
 *
 *   @Module({ imports: [SmsSenderModule.forRootAsync({ inject: [ConfigService, PrismaService],
 *     useFactory: (config, prisma) => ({ prisma, twilio: { accountSid: …, authToken: … } }) })] })
 *   export class AppModule {}
 *
 *   constructor(@InjectSmsSender() private readonly sms: SmsSender) {}
 *
 * One sender for the application (the module is global unless `global: false`), closed when the
 * application closes (`app.close()`, or a signal with `enableShutdownHooks()`). Written without decorator syntax, so it needs neither
 * `experimentalDecorators` nor `emitDecoratorMetadata` from whoever compiles it; `@nestjs/common`
 * (10, 11 or 12) is an optional peer dependency, loaded only by this entry point.
 */
import {
  type DynamicModule,
  Inject,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OptionalFactoryDependency,
  type Provider,
} from "@nestjs/common";
import { createSmsSender, type SmsSender, type SmsSenderOptions } from "./sender";

/** The injection token of the sender. */
export const SMS_SENDER = "TWILIO_MESSAGING_IAC_SMS_SENDER";

/** `@InjectSmsSender()` on a constructor parameter injects the sender. */
export const InjectSmsSender = (): PropertyDecorator & ParameterDecorator => Inject(SMS_SENDER);

export interface SmsSenderModuleOptions extends SmsSenderOptions {
  /** Provide the sender to every module (default true). */
  global?: boolean;
}

export interface SmsSenderModuleAsyncOptions extends Pick<ModuleMetadata, "imports"> {
  /** Builds the options, e.g. from ConfigService and the backend's PrismaService. */
  useFactory: (...deps: never[]) => SmsSenderOptions | Promise<SmsSenderOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  global?: boolean;
}

/** The sender, closed by Nest when the application (or testing module) shuts down. */
function managed(options: SmsSenderOptions): SmsSender & { onModuleDestroy(): Promise<void> } {
  const sender = createSmsSender(options);
  return { ...sender, onModuleDestroy: () => sender.close() };
}

// biome-ignore lint/complexity/noStaticOnlyClass: a NestJS module is a class with static forRoot/forRootAsync
export class SmsSenderModule {
  static forRoot(options: SmsSenderModuleOptions): DynamicModule {
    const { global = true, ...senderOptions } = options;
    return SmsSenderModule.build(global, [], {
      provide: SMS_SENDER,
      useFactory: () => managed(senderOptions),
    });
  }

  static forRootAsync(options: SmsSenderModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (
      ...deps: unknown[]
    ) => ReturnType<typeof options.useFactory>;
    return SmsSenderModule.build(options.global ?? true, options.imports ?? [], {
      provide: SMS_SENDER,
      inject: options.inject ?? [],
      useFactory: async (...deps: unknown[]) => managed(await factory(...deps)),
    });
  }

  private static build(
    global: boolean,
    imports: NonNullable<ModuleMetadata["imports"]>,
    provider: Provider,
  ): DynamicModule {
    return {
      module: SmsSenderModule,
      global,
      imports,
      providers: [provider],
      exports: [SMS_SENDER],
    };
  }
}

Module({})(SmsSenderModule);

export type { SmsSender, SmsSenderOptions } from "./sender";
