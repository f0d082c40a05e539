/**
 * The sender in a backend of its own (issue 18, item 2): a scratch project outside the repository
 * with its own Prisma schema (the seed's model and column names, its own extra model and fields,
 * text ids), its own generated client (`prisma generate` of its own `prisma` CLI), its own
 * migration applied to a real PostgreSQL scratch database, and the packed sender installed from
 * the tarball. It sends through the emulator from TypeScript (compiled with --strict and full
 * declaration checks against the package's types) and from plain JavaScript, with its own client
 * and with `databaseUrl`.
 *
 * One scratch backend for every case (npm install from the registry or cache: about 20 s).
 */

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrations";
import { createScratchDatabase, type ScratchDatabase } from "../db/scratch-postgres";
import { AUTH_TOKEN, useEmulator } from "../emulator/helpers";
import {
  copyFixture,
  npmInstall,
  PACKAGE_NAME,
  packSender,
  runAsync,
  scratchProject,
  TSC,
} from "./scratch-install";

const t = useEmulator();
let backend = "";
let database: ScratchDatabase | undefined;

/** The backend's versions: Prisma 7 with its pg adapter, as a Prisma 7 backend runs it. */
const BACKEND_MANIFEST = {
  name: "clinic-backend",
  dependencies: {
    "@prisma/adapter-pg": "7.10.1",
    "@prisma/client": "7.10.1",
    pg: "8.23.1",
  },
  devDependencies: { "@types/node": "20.19.43", prisma: "7.10.1" },
};

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []) {
  const client = new Client({ connectionString: database?.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  backend = scratchProject("sender-backend", BACKEND_MANIFEST);
  copyFixture(
    "sender-backend",
    [
      "prisma/schema.prisma",
      "prisma/migrations/migration_lock.toml",
      "prisma/migrations/20260214000000_init/migration.sql",
      "prisma/migrations/20261204233000_us_a2p_campaign_status/migration.sql",
      "tsconfig.json",
      "src/database.ts",
      "src/send.ts",
      "send.cjs",
    ],
    backend,
  );
  const [tarball] = await Promise.all([
    Promise.resolve().then(() => packSender(backend)),
    createScratchDatabase("sender_backend").then((created) => {
      database = created;
    }),
  ]);
  await npmInstall(backend, [tarball as string]);
  // Prisma 7 looks for its native schema engine even for generate, which does not run it; any
  // file satisfies the check (design.md; src/db/generate-client.ts).
  // (Asynchronously: the emulator answers in this process, its event loop must keep running.)
  await runAsync(join(backend, "node_modules", ".bin", "prisma"), ["generate"], backend, {
    PRISMA_SCHEMA_ENGINE_BINARY: join(backend, "prisma", "schema.prisma"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  });
  // The backend's build: its code and its generated client, type-checked against the package.
  await runAsync(process.execPath, [TSC, "-p", "tsconfig.json"], backend);

  // Its own migration, applied and recorded as `prisma migrate deploy` does (src/db/migrations.ts).
  const client = new Client({ connectionString: database?.url });
  await client.connect();
  try {
    await migrate(
      {
        query: async (text, params) => (await client.query(text, params)).rows,
        exec: async (script) => {
          await client.query(script);
        },
      },
      readMigrations(join(backend, "prisma", "migrations")),
    );
  } finally {
    await client.end();
  }
}, 600_000);

afterAll(async () => {
  await database?.drop();
  if (backend) rmSync(backend, { recursive: true, force: true });
});

/** An account of the backend: a Messaging Service in the emulator, its rows in its own tables. */
async function provisionClinic(name: string) {
  const twilio = t.client();
  const number = await twilio.incomingPhoneNumbers.create({ areaCode: "514" });
  const service = await twilio.messaging.v1.services.create({ friendlyName: `${name} - Parlae` });
  await twilio.messaging.v1
    .services(service.sid)
    .phoneNumbers.create({ phoneNumberSid: number.sid });
  const accountId = randomUUID();
  await sql(`INSERT INTO accounts (id, name, updated_at) VALUES ($1, $2, now())`, [
    accountId,
    name,
  ]);
  await sql(
    `INSERT INTO vapi_phone_numbers (id, account_id, vapi_phone_id, phone_number, name,
       twilio_phone_number_sid, twilio_messaging_service_sid, updated_at)
     VALUES ($1, $2, $3, $4, 'Main Line', $5, $6, now())`,
    [randomUUID(), accountId, `vapi-${randomUUID()}`, number.phoneNumber, number.sid, service.sid],
  );
  return { accountId, serviceSid: service.sid };
}

const backendEnv = (extra: Record<string, string>) => ({
  DATABASE_URL: database?.url,
  TWILIO_ACCOUNT_SID: t.emulator.accountSid,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_BASE_URL: t.baseUrl,
  ...extra,
});

describe("a backend with its own Prisma schema and client", () => {
  it("keeps one @prisma/client, its own: the package brings no Prisma and no generated client", () => {
    const copies = execFileSync(
      "find",
      ["node_modules", "-path", "*/@prisma/client/package.json"],
      { cwd: backend, encoding: "utf8" },
    )
      .split("\n")
      .filter(Boolean);
    expect(copies).toEqual(["node_modules/@prisma/client/package.json"]);
    const shipped = execFileSync("find", [".", "-type", "f"], {
      cwd: join(backend, "node_modules", PACKAGE_NAME),
      encoding: "utf8",
    });
    expect(shipped).not.toMatch(/generated|node_modules/);
  });

  it("TypeScript (--strict, declarations checked): sends a reminder and a staff alert through its own client", async () => {
    const clinic = await provisionClinic("Downtown Dental");
    const patient = "+15145550181";
    await sql(
      `INSERT INTO appointments (id, account_id, patient_name, patient_phone, starts_at)
       VALUES ($1, $2, 'Marie Tremblay', $3, now() + interval '1 day')`,
      [randomUUID(), clinic.accountId, patient],
    );
    const out = await runAsync(
      "node",
      ["dist/send.js"],
      backend,
      backendEnv({ ACCOUNT_ID: clinic.accountId, STAFF_PHONE: "+15145550182" }),
    );
    const printed = JSON.parse(out) as {
      reminder: { sid: string };
      alert: string;
      missing: unknown;
    };
    expect(printed).toMatchObject({
      reminder: {
        status: "accepted",
        messagingServiceSid: clinic.serviceSid,
        segments: 1,
        encoding: "GSM-7",
      },
      missing: { typed: true, code: "NO_MESSAGING_SERVICE" },
    });
    const messages = t.emulator.state.messages;
    expect(messages.get(printed.reminder.sid)?.body).toBe(
      "Hi Marie Tremblay, see you tomorrow at Downtown Dental.",
    );
    expect(messages.get(printed.reminder.sid)?.to).toBe(patient);
    expect(messages.get(printed.alert)?.body).toBe(
      "URGENT: Call transfer incoming from Downtown Dental\nReason: Emergency\nSummary: Broken tooth\nPatient: Marie Tremblay",
    );
  });

  it.each([
    ["prisma", "with the backend's compiled client"],
    ["url", "with databaseUrl (the sender reads the rows through pg)"],
  ])("plain JavaScript (CommonJS) %s: %s", async (mode) => {
    const clinic = await provisionClinic(`Clinic ${mode}`);
    const out = await runAsync(
      "node",
      ["send.cjs", mode],
      backend,
      backendEnv({ ACCOUNT_ID: clinic.accountId, TO: "+15145550183" }),
    );
    const printed = JSON.parse(out) as { result: { sid: string } };
    expect(printed).toMatchObject({
      result: { status: "accepted", messagingServiceSid: clinic.serviceSid },
      typedError: true,
      code: "NO_MESSAGING_SERVICE",
    });
    expect(t.emulator.state.messages.get(printed.result.sid)?.body).toBe(
      `Sent from plain JavaScript (${mode})`,
    );
  });
});
