/**
 * `npm run bench:sender`: what the runtime sender costs per message, next to the seed's approach
 * (a new Twilio client and a `findFirst` per message, then `messages.create`), in the same run,
 * against the emulator (in a child process, so its CPU is not ours) and a scratch PostgreSQL
 * database (created and dropped here). Prints figures; asserts nothing.
 *
 * - throughput: messages per second, one message at a time and `--concurrency` at once;
 * - overhead per message with the emulator's latency excluded: each message is paired with a bare
 *   `messages.create` on one reused client (the floor: SDK + HTTP + emulator), and the median of
 *   the paired differences is reported; plus the sender's own steps timed alone (checks, cached
 *   lookup, segments and cost).
 * Targets (issue 10): sender throughput ≥ 5× the seed's, median overhead < 0.5 ms with a warm cache.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { defineCommand, EXIT, main, UsageError } from "../src/cli/command";
import { type Database, migrateDatabase, openDatabase } from "../src/db";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../src/emulator/auth";
import { createSmsSender, estimateSms } from "../src/sender";
import { RouteCache } from "../src/sender/lookup";
import { prismaRoutes } from "../src/sender/prisma-routes";
import { checkBody, checkRecipient } from "../src/sender/validate";
import { createTwilioClient, type TwilioClient } from "../src/twilio/client";
import { createScratchDatabase } from "../test/db/scratch-postgres";

const HELP = `Usage: npm run bench:sender -- [--messages N] [--concurrency C] [--accounts A]

Sends N messages (default 400) per scenario through the emulator (a child process on 127.0.0.1)
with a scratch PostgreSQL database of A accounts (default 20): the seed's approach, the sender,
and a bare messages.create; one at a time, then C at once (default 16). Prints a table.`;

const TO = "+15145550199";
const BODY = "Your appointment is confirmed for tomorrow at 9:00. Reply STOP to opt out.";

interface Args {
  messages: number;
  concurrency: number;
  accounts: number;
}

/** A whole number in 1..max, or the default; a usage error otherwise. */
function count(name: string, raw: string | undefined, fallback: number, max: number): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be 1..${max}`);
  return n;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startEmulatorProcess(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");
  const child = spawn(
    tsx,
    [join(__dirname, "..", "src", "cli", "emulator.ts"), "--port", `${port}`],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { baseUrl, child };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Runs `count` calls of `fn`, `concurrency` at a time; returns messages per second. */
async function throughput(count: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function benchmark(args: Args): Promise<void> {
  const scratch = await createScratchDatabase("bench_sender");
  const { baseUrl, child } = await startEmulatorProcess();
  let db: Database | undefined;
  try {
    process.stderr.write(
      `emulator ${baseUrl}, database ${scratch.name}: provisioning ${args.accounts} accounts…\n`,
    );
    await migrateDatabase({ databaseUrl: scratch.url });
    db = await openDatabase({ databaseUrl: scratch.url });
    const prisma = db.prisma;
    const twilioOptions = {
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: DEFAULT_AUTH_TOKEN,
      baseUrl,
    };
    const setup = createTwilioClient(twilioOptions);
    const accounts: { id: string; serviceSid: string }[] = [];
    for (let i = 0; i < args.accounts; i++) {
      const number = await setup.incomingPhoneNumbers.create({
        areaCode: ["514", "438", "416"][i % 3] ?? "514",
      });
      const service = await setup.messaging.v1.services.create({
        friendlyName: `Bench ${i} - Parlae`,
      });
      await setup.messaging.v1
        .services(service.sid)
        .phoneNumbers.create({ phoneNumberSid: number.sid });
      const account = await prisma.account.create({ data: { name: `Bench clinic ${i}` } });
      await prisma.vapiPhoneNumber.create({
        data: {
          accountId: account.id,
          vapiPhoneId: `bench-${i}`,
          phoneNumber: number.phoneNumber,
          name: "Main Line",
          twilioPhoneNumberSid: number.sid,
          twilioMessagingServiceSid: service.sid,
        },
      });
      accounts.push({ id: account.id, serviceSid: service.sid });
    }
    const accountOf = (i: number) =>
      accounts[i % accounts.length] as { id: string; serviceSid: string };

    /** The seed's NotificationService + TwilioMessagingService, per message. */
    const seedSend = async (i: number) => {
      const account = accountOf(i);
      const row = await prisma.vapiPhoneNumber.findFirst({
        where: { accountId: account.id, isActive: true },
      });
      if (!row?.twilioMessagingServiceSid)
        throw new Error("No Messaging Service configured for this account");
      const client: TwilioClient = createTwilioClient(twilioOptions);
      await client.messages.create({
        messagingServiceSid: row.twilioMessagingServiceSid,
        to: TO,
        body: BODY,
      });
    };
    const sender = createSmsSender({ prisma, twilio: twilioOptions });
    const senderSend = (i: number) =>
      sender.sendSms({ accountId: accountOf(i).id, to: TO, body: BODY });
    const bare = createTwilioClient(twilioOptions);
    const bareSend = (i: number) =>
      bare.messages.create({ messagingServiceSid: accountOf(i).serviceSid, to: TO, body: BODY });

    // Warm up: connections, JIT, the sender's cache (every account looked up once).
    for (let i = 0; i < Math.max(50, accounts.length); i++) {
      await seedSend(i);
      await senderSend(i);
      await bareSend(i);
    }

    // Throughput in interleaved rounds, so that load from other work on the machine falls on
    // every scenario alike rather than on whichever ran during a busy spell.
    process.stderr.write("measuring throughput…\n");
    const scenarios = [
      ["seed (new client + findFirst per message)", seedSend],
      ["sender (warm cache)", senderSend],
      ["bare messages.create (floor)", bareSend],
    ] as const;
    const ROUNDS = 5;
    const perRound = Math.max(1, Math.round(args.messages / ROUNDS));
    const elapsed = scenarios.map(() => ({ one: 0, many: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order too: the seed leaves a new connection per message behind, which the
      // emulator closes during whatever runs next.
      for (let k = 0; k < scenarios.length; k++) {
        const index = (round + k) % scenarios.length;
        const fn = (scenarios[index] as (typeof scenarios)[number])[1];
        const slot = elapsed[index] as { one: number; many: number };
        slot.one += perRound / (await throughput(perRound, 1, fn));
        slot.many += perRound / (await throughput(perRound, args.concurrency, fn));
      }
    }
    const total = perRound * ROUNDS;
    const rows: [string, number, number][] = scenarios.map(([name], index) => {
      const slot = elapsed[index] as { one: number; many: number };
      return [name, total / slot.one, total / slot.many];
    });

    process.stderr.write("measuring paired overhead…\n");
    const senderOverhead: number[] = [];
    const seedOverhead: number[] = [];
    for (let i = 0; i < args.messages; i++) {
      const floor = await timed(() => bareSend(i));
      senderOverhead.push((await timed(() => senderSend(i))) - floor);
      const floor2 = await timed(() => bareSend(i));
      seedOverhead.push((await timed(() => seedSend(i))) - floor2);
    }

    // The sender's own steps, alone: what it adds before the Twilio call with a warm cache.
    const routes = new RouteCache(prismaRoutes(prisma), 60_000);
    for (const account of accounts) await routes.resolve({ accountId: account.id });
    const steps: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const start = performance.now();
      checkRecipient(TO);
      checkBody(BODY);
      await routes.resolve({ accountId: accountOf(i).id });
      estimateSms(BODY);
      steps.push(performance.now() - start);
    }

    const [seedRow, senderRow, bareRow] = rows as [
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
    ];
    const fmt = (n: number) => n.toFixed(0).padStart(8);
    const lines = [
      "",
      `Sender benchmark: ${args.messages} messages per scenario, ${args.accounts} accounts, emulator in a child process, PostgreSQL on 127.0.0.1`,
      "",
      `| scenario                                   | msg/s, 1 at a time | msg/s, ${String(args.concurrency).padStart(2)} at once |`,
      "| ------------------------------------------ | ------------------ | ----------------- |",
      ...rows.map(
        ([name, one, many]) =>
          `| ${name.padEnd(42)} | ${fmt(one).padStart(18)} | ${fmt(many).padStart(17)} |`,
      ),
      "",
      `sender vs seed throughput: ${(senderRow[1] / seedRow[1]).toFixed(1)}× one at a time, ${(senderRow[2] / seedRow[2]).toFixed(1)}× at ${args.concurrency} (target ≥ 5×)`,
      `median overhead per message over a bare create (paired, emulator excluded): sender ${median(senderOverhead).toFixed(3)} ms (target < 0.5 ms), seed ${median(seedOverhead).toFixed(3)} ms: the sender's own work is ${(median(seedOverhead) / median(senderOverhead)).toFixed(1)}× lighter`,
      `the sender's own steps alone (checks, cached lookup, segments and cost): median ${(median(steps) * 1000).toFixed(1)} µs`,
      `bare create floor: ${(1000 / bareRow[1]).toFixed(2)} ms per message one at a time (the emulator and the SDK; every scenario pays it)`,
    ];
    console.log(lines.join("\n"));
    await sender.close();
  } finally {
    await db?.close();
    child.kill("SIGTERM");
    await scratch.drop();
  }
}

main(
  defineCommand({
    script: "bench:sender",
    usage: HELP,
    options: {
      messages: { type: "string" },
      concurrency: { type: "string" },
      accounts: { type: "string" },
    },
    async run({ values }) {
      await benchmark({
        messages: count("messages", values.messages, 400, 5_000),
        concurrency: count("concurrency", values.concurrency, 16, 64),
        accounts: count("accounts", values.accounts, 20, 500),
      });
      return EXIT.ok;
    },
  }),
);
