/**
 * The NestJS module on the NestJS lines a backend may run besides the repository's 12: a scratch
 * NestJS backend per line (10 and 11, the newest release of each on the npm registry when this was
 * written), with decorators and emitDecoratorMetadata as Nest's starter compiles them, installs the
 * packed sender and `pg`, compiles against both packages' types and runs: forRoot and forRootAsync
 * with useFactory, useClass and useExisting each send a staff alert through the emulator from a
 * feature module (`isGlobal: true`), the sender is closed with the application, and without
 * `isGlobal` a module that does not import SmsSenderModule cannot inject it.
 *
 * The two installs run side by side (npm registry or cache: about 20 s).
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_TOKEN } from "../emulator/helpers";
import {
  copyFixture,
  npmInstall,
  packSender,
  runAsync,
  scratchProject,
  TSC,
} from "./scratch-install";
import { useSenderWorld } from "./world";

const NEST_LINES = { "10": "10.4.22", "11": "11.2.12" } as const;
type NestLine = keyof typeof NEST_LINES;
const FIXTURE_FILES = ["tsconfig.json", "src/app.ts", "entries.mjs", "typed.mts"];

const world = useSenderWorld("nest_lines");
const projects = {} as Record<NestLine, string>;
let packDir = "";

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), "sender-pack-"));
  const tarball = packSender(packDir);
  await Promise.all(
    (Object.entries(NEST_LINES) as [NestLine, string][]).map(async ([line, version]) => {
      const dir = scratchProject(`sender-nestjs${line}`, {
        name: `nest${line}-backend`,
        dependencies: {
          "@nestjs/common": version,
          "@nestjs/core": version,
          pg: "8.23.1",
          "reflect-metadata": "0.2.2",
          rxjs: "7.8.2",
        },
        devDependencies: { "@types/node": "20.19.43" },
      });
      projects[line] = dir;
      copyFixture("sender-nestjs", FIXTURE_FILES, dir);
      await npmInstall(dir, [tarball]);
      await runAsync(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
    }),
  );
}, 600_000);

afterAll(() => {
  for (const dir of [packDir, ...Object.values(projects)])
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(Object.keys(NEST_LINES) as NestLine[])("NestJS %s", (line) => {
  it("forRoot and forRootAsync (useFactory, useClass, useExisting) send from a feature module; app.close() closes the sender; not global by default", async () => {
    const account = await world.provisionAccount({ name: `Nest ${line} Clinic` });
    const out = await runAsync("node", ["dist/app.js"], projects[line], {
      DATABASE_URL: world.databaseUrl,
      TWILIO_ACCOUNT_SID: world.t.emulator.accountSid,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_BASE_URL: world.t.baseUrl,
      VAPI_PHONE_ID: account.vapiPhoneId,
      STAFF_PHONE: "+15145550171",
    });
    const printed = JSON.parse(out) as {
      nestVersion: string;
      sent: Record<string, { sid: string; messagingServiceSid: string; afterClose: string }>;
      notGlobal: string;
    };
    expect(printed.nestVersion).toBe(NEST_LINES[line]);
    expect(Object.keys(printed.sent)).toEqual(["forRoot", "useFactory", "useClass", "useExisting"]);
    for (const [way, sent] of Object.entries(printed.sent)) {
      expect(sent, way).toMatchObject({
        messagingServiceSid: account.serviceSid,
        afterClose: "SMS sender is closed",
      });
      expect(world.t.emulator.state.messages.get(sent.sid)?.body, way).toMatch(
        new RegExp(`^URGENT: Call transfer incoming from Nest ${line} Clinic\\n`),
      );
    }
    expect(printed.notGlobal).toMatch(/can't resolve dependencies of the TransferAlerts/i);
  });

  it("an ES module imports both entry points, and importing opens nothing (the process ends)", async () => {
    const stdout = await runAsync("node", ["entries.mjs"], projects[line]);
    expect(JSON.parse(stdout)).toEqual({
      createSmsSender: "function",
      forRoot: "function",
      forRootAsync: "function",
      token: "TWILIO_MESSAGING_SENDER",
      segments: { encoding: "GSM-7", segments: 2 },
    });
  });

  it("TypeScript checks a backend file against the package's types (nodenext and node10 resolution)", async () => {
    // Declaration files are not checked themselves here (zod's alone cost 10 s a run;
    // backend.test.ts checks every one once): a type of Nest the package's .d.ts names that this
    // line lacks would turn the module's API into `any`, and the file's expect-error markers
    // would then fail.
    const dir = projects[line];
    const strict = ["--noEmit", "--strict", "--types", "node", "--skipLibCheck"];
    const nodenext = ["--module", "nodenext", "--moduleResolution", "nodenext"];
    await runAsync(process.execPath, [TSC, ...strict, ...nodenext, "typed.mts"], dir);
    copyFileSync(join(dir, "typed.mts"), join(dir, "typed.ts"));
    const node10 = ["--module", "commonjs", "--moduleResolution", "node10", "--esModuleInterop"];
    await runAsync(process.execPath, [TSC, ...strict, ...node10, "typed.ts"], dir);
  });
});
