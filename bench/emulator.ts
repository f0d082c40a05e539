/**
 * `npm run bench:emulator`: what the emulator costs per request, next to a bare node:http server
 * answering the same JSON bytes, measured in the same run over keep-alive connections.
 *
 * Scenarios: fetch of one incoming phone number (GET …/IncomingPhoneNumbers/{Sid}.json) at 1, 16
 * and 64 concurrent clients, and a list of 20 numbers at 1 client. Each client sends its requests
 * one after another; latency is measured per request on the client side. Loop counts are bounded
 * and every run also stops after a few seconds; all traffic stays on 127.0.0.1.
 * Target: emulator p50 under 1 ms at 1 client.
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { defineCommand, EXIT, main } from "../src/cli/command";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, startEmulator } from "../src/emulator/server";

const CONCURRENCY = [1, 16, 64];
const WARMUP_REQUESTS = 300;
const REQUESTS_PER_RUN = 4000;
const MAX_RUN_MS = 8000;
const AUTH = `Basic ${Buffer.from(`${DEFAULT_ACCOUNT_SID}:${DEFAULT_AUTH_TOKEN}`).toString("base64")}`;

interface Target {
  port: number;
  path: string;
}

function get(agent: Agent, target: Target): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.path,
        agent,
        headers: { Authorization: AUTH },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Latencies (ms) of `total` requests spread over `clients` sequential loops. */
async function run(target: Target, clients: number, total: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let remaining = total;
  const deadline = performance.now() + MAX_RUN_MS;
  const loop = async () => {
    while (remaining > 0 && performance.now() < deadline) {
      remaining--;
      const start = performance.now();
      const { status } = await get(agent, target);
      latencies.push(performance.now() - start);
      if (status !== 200) throw new Error(`unexpected status ${status} from ${target.path}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  agent.destroy();
  return latencies.sort((a, b) => a - b);
}

/** A bare node:http server answering every request with the given JSON bytes. */
async function baselineServer(body: Buffer) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": body.length,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

const fmt = (ms: number) => ms.toFixed(3).padStart(8);

async function compare(
  name: string,
  emulatorTarget: Target,
  baselineTarget: Target,
  clients: number,
) {
  await run(emulatorTarget, clients, WARMUP_REQUESTS);
  await run(baselineTarget, clients, WARMUP_REQUESTS);
  const base = await run(baselineTarget, clients, REQUESTS_PER_RUN);
  const emu = await run(emulatorTarget, clients, REQUESTS_PER_RUN);
  const row = [
    name.padEnd(26),
    String(clients).padStart(7),
    String(emu.length).padStart(6),
    fmt(percentile(base, 50)),
    fmt(percentile(base, 99)),
    fmt(percentile(emu, 50)),
    fmt(percentile(emu, 99)),
    fmt(percentile(emu, 50) - percentile(base, 50)),
    fmt(percentile(emu, 99) - percentile(base, 99)),
  ];
  console.log(row.join(" "));
  return { clients, emulatorP50: percentile(emu, 50) };
}

async function measure(): Promise<void> {
  const emulator = await startEmulator({ port: 0, requestLogLimit: 1000 });
  const numbers = [];
  for (let i = 0; i < 20; i++) numbers.push(emulator.state.phoneNumbers.buy({ AreaCode: "514" }));
  const first = numbers[0];
  if (!first) throw new Error("no number bought");
  const account = `/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}`;
  const fetchPath = `${account}/IncomingPhoneNumbers/${first.sid}.json`;
  const listPath = `${account}/IncomingPhoneNumbers.json?PageSize=50`;

  const probe = new Agent({ keepAlive: true });
  const fetchBody = (await get(probe, { port: emulator.port, path: fetchPath })).body;
  const listBody = (await get(probe, { port: emulator.port, path: listPath })).body;
  probe.destroy();
  const fetchBaseline = await baselineServer(fetchBody);
  const listBaseline = await baselineServer(listBody);

  console.log(
    `emulator ${emulator.baseUrl}, node ${process.version}; latencies in ms (client side, keep-alive)`,
  );
  console.log(
    [
      "scenario".padEnd(26),
      "clients",
      "  reqs",
      "base p50",
      "base p99",
      " emu p50",
      " emu p99",
      "ovh p50",
      " ovh p99",
    ].join(" "),
  );
  const results = [];
  for (const clients of CONCURRENCY) {
    results.push(
      await compare(
        `fetch number (${fetchBody.length} B)`,
        { port: emulator.port, path: fetchPath },
        { port: fetchBaseline.port, path: "/" },
        clients,
      ),
    );
  }
  await compare(
    `list 20 numbers (${listBody.length} B)`,
    { port: emulator.port, path: listPath },
    { port: listBaseline.port, path: "/" },
    1,
  );
  const single = results.find((r) => r.clients === 1);
  console.log(
    `target p50 < 1 ms at 1 client: ${single && single.emulatorP50 < 1 ? "met" : "NOT met"} (${single?.emulatorP50.toFixed(3)} ms)`,
  );

  fetchBaseline.close();
  listBaseline.close();
  await emulator.close();
}

const HELP = `Usage: npm run bench:emulator

Measures the emulator's cost per request next to a bare node:http server answering the same JSON,
in the same run: fetch of one number at 1, 16 and 64 concurrent clients, and a list of 20 numbers.
Prints a table to stdout (docs/benchmarks.md). No options besides -h, --help.`;

main(
  defineCommand({
    script: "bench:emulator",
    usage: HELP,
    options: {},
    async run() {
      await measure();
      return EXIT.ok;
    },
  }),
);
