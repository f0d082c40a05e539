/**
 * `npm run shard:move` end to end: two shards (two stacks on one backend, one Twilio emulator),
 * an account moved from one to the other with Pulumi's `pulumi state move`, and afterwards the
 * plans of both shards (`npm run plan`, refreshing from Twilio) show no Twilio change and the
 * emulator saw no mutating call; a move killed in the middle is finished by running it again.
 * Invariants 1 and 2 (design.md): the number is never released nor bought again by a move.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../src/util/repo-root";
import { accountsYaml, THREE_ACCOUNTS } from "../support/accounts-yaml";
import { runCommand } from "../support/run-command";
import { createShardStacks, type ShardStacks } from "../support/shard-stacks";

const [A, B, C] = THREE_ACCOUNTS as [
  (typeof THREE_ACCOUNTS)[0],
  (typeof THREE_ACCOUNTS)[0],
  (typeof THREE_ACCOUNTS)[0],
];
const TSX = join(repoRoot, "node_modules", ".bin", "tsx");

let shards: ShardStacks;
const stackOf = (name: string) => shards.shards.find((s) => s.name === name)?.stack as string;
const yamlOf = (name: string) =>
  readFileSync(join(repoRoot, shards.shards.find((s) => s.name === name)?.file as string), "utf8");

function npmRun(script: string, args: string[]) {
  return runCommand(TSX, [join(repoRoot, "src", "cli", `${script}.ts`), ...args], {
    cwd: repoRoot,
    env: shards.env,
  });
}

const move = (account: string, from: string, to: string) => [
  "--account",
  account,
  "--from",
  from,
  "--to",
  to,
  "--manifest",
  shards.manifest,
];

/** The plan a pull request would show for the shard, as text. */
async function planText(shard: string): Promise<string> {
  const result = await npmRun("plan", ["--stack", stackOf(shard), "--format", "text"]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/**
 * Both shards' plans say "No changes to Twilio", and a `pulumi up` of each then makes no mutating
 * Twilio call (the plan leaves out updates of bookkeeping inputs only, such as a number's purchase
 * marker, which an `up` would still send to Twilio: only the ups prove nothing changes).
 */
async function expectNoTwilioChange(): Promise<void> {
  for (const shard of ["west", "east"]) {
    expect(await planText(shard)).toBe(
      `Twilio plan for stack ${stackOf(shard)}\n\nNo changes to Twilio.\n`,
    );
  }
  for (const shard of ["west", "east"]) {
    await shards.pulumi(shard, ["up", "--yes", "--skip-preview", "--refresh"]);
  }
  expect(shards.emulator.requestLog.entries().filter((e) => e.method !== "GET")).toEqual([]);
}

beforeAll(async () => {
  shards = await createShardStacks(["west", "east"]);
  shards.writeAccounts("west", accountsYaml([A, B]));
  shards.writeAccounts("east", accountsYaml([C]));
  await shards.pulumi("west", ["up", "--yes", "--skip-preview"]);
  await shards.pulumi("east", ["up", "--yes", "--skip-preview"]);
}, 300_000);

afterAll(async () => {
  await shards?.dispose();
});

describe("npm run shard:move", () => {
  it("moves an account's resources and YAML; both shards' plans then show no Twilio change and their ups make no Twilio call", async () => {
    shards.emulator.requestLog.clear();
    const result = await npmRun("shard-move", move(B.id, "west", "east"));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `[shard:move] moving 4 resources of account ${B.id} from stack ${stackOf("west")} to ${stackOf("east")} (pulumi state move)`,
    );
    expect(result.stdout).toBe(
      `moved account ${B.id} from shard west (stack ${stackOf("west")}) to shard east (stack ${stackOf("east")}): 4 resource(s) moved in this run, 2 guard(s) updated, YAML now in ${shards.shards[1]?.file}\n`,
    );
    expect(result.code).toBe(0);
    expect(yamlOf("west")).not.toContain(B.id);
    expect(yamlOf("east")).toContain(B.id);
    const validate = await npmRun("validate", ["--shards", shards.manifest]);
    expect(validate.stdout).toContain("ok: 3 accounts in 2 shards");

    await expectNoTwilioChange();
    // Run again: nothing left to do, and it says so.
    const again = await npmRun("shard-move", move(B.id, "west", "east"));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      "0 resource(s) moved in this run, 0 guard(s) updated, YAML already in",
    );
  }, 300_000);

  it("a move killed in the middle is finished by running the command again", async () => {
    shards.emulator.requestLog.clear();
    // Killed while the destination's guard is written, after `pulumi state move` moved the
    // resources: the account's resources are in west, its YAML still in east.
    const killed = await new Promise<string>((resolvePromise) => {
      const child = spawn(
        TSX,
        [join(repoRoot, "src", "cli", "shard-move.ts"), ...move(B.id, "east", "west")],
        {
          cwd: repoRoot,
          env: shards.env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (stderr.includes("the number guard now guards") && child.pid !== undefined) {
          process.kill(-child.pid, "SIGKILL");
        }
      });
      child.on("close", () => resolvePromise(stderr));
    });
    expect(killed).toContain("(pulumi state move)");
    expect(killed).not.toContain("removed");
    expect(yamlOf("east")).toContain(B.id);

    const rerun = await npmRun("shard-move", move(B.id, "east", "west"));
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(
      `the resources of account ${B.id} are in stack ${stackOf("west")} already`,
    );
    expect(yamlOf("west")).toContain(B.id);
    expect(yamlOf("east")).not.toContain(B.id);
    await expectNoTwilioChange();
  }, 300_000);
});
