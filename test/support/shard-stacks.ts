/**
 * Real shards for end-to-end tests: one Twilio emulator, one file backend, one stack per shard,
 * and a shards manifest whose accounts files live in a scratch folder inside the repository
 * (`.local/`, ignored by git: the manifest names paths from the repository root).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  DEFAULT_ACCOUNT_SID,
  DEFAULT_AUTH_TOKEN,
  type RunningEmulator,
  startEmulator,
} from "../../src/emulator/server";
import { LOCAL_STACK_PASSPHRASE, type PulumiWorkspace } from "../../src/pulumi/environment";
import { type EngineEvent, runPulumiWithEvents } from "../../src/pulumi/events";
import { initStack, type PulumiResult, type RunOptions, runPulumi } from "../../src/pulumi/run";
import { repoRoot } from "../../src/util/repo-root";

export interface TestShard {
  name: string;
  stack: string;
  /** The accounts file, from the repository root (as the manifest names it). */
  file: string;
}

export interface ShardStacks {
  emulator: RunningEmulator;
  ws: PulumiWorkspace;
  shards: TestShard[];
  /** The manifest, from the repository root. */
  manifest: string;
  /** The environment a person's `npm run …` gets for these stacks (backend, passphrase, Twilio). */
  env: NodeJS.ProcessEnv;
  writeAccounts(shard: string, yaml: string): void;
  pulumi(
    shard: string,
    args: string[],
    options?: RunOptions,
  ): Promise<PulumiResult & { events: EngineEvent[] }>;
  dispose(): Promise<void>;
}

let counter = 0;

export async function createShardStacks(names: string[]): Promise<ShardStacks> {
  const emulator = await startEmulator();
  mkdirSync(join(repoRoot, ".local"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, ".local", "shards-test-"));
  const ws: PulumiWorkspace = {
    projectDir: repoRoot,
    stateDir: join(dir, "state"),
    env: { TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN },
  };
  const run = `${process.pid}-${++counter}`;
  const shards = names.map((name) => ({
    name,
    stack: `shard-${name}-${run}`,
    file: relative(repoRoot, join(dir, `${name}.yaml`)),
  }));
  const manifest = relative(repoRoot, join(dir, "shards.yaml"));
  writeFileSync(
    join(repoRoot, manifest),
    `shards:\n${shards.map((s) => `  - name: ${s.name}\n    stack: ${s.stack}\n    accounts: ${s.file}\n`).join("")}`,
  );
  for (const shard of shards) {
    writeFileSync(join(repoRoot, shard.file), "accounts: []\n");
    // The same config in every shard's stack: the program finds its shard by its stack's name.
    await initStack(ws, shard.stack, {
      plain: {
        shards: manifest,
        twilioAccountSid: DEFAULT_ACCOUNT_SID,
        twilioBaseUrl: emulator.baseUrl,
      },
    });
  }
  const stackOf = (name: string) => {
    const shard = shards.find((s) => s.name === name);
    if (!shard) throw new Error(`no shard ${name}`);
    return shard;
  };
  return {
    emulator,
    ws,
    shards,
    manifest,
    env: {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${ws.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: LOCAL_STACK_PASSPHRASE,
      TWILIO_ACCOUNT_SID: DEFAULT_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: DEFAULT_AUTH_TOKEN,
      TWILIO_BASE_URL: emulator.baseUrl,
    },
    writeAccounts(name, yaml) {
      writeFileSync(join(repoRoot, stackOf(name).file), yaml);
    },
    pulumi(name, args, options) {
      return runPulumiWithEvents(ws, [...args, "--stack", stackOf(name).stack], options);
    },
    async dispose() {
      for (const shard of shards) {
        await runPulumi(ws, ["stack", "rm", shard.stack, "--yes", "--force"], { check: false });
      }
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
