/**
 * Runs the real `pulumi preview --json` of the project's program for a stack, through the pinned
 * CLI (scripts/lib/pulumi.ts), optionally with other accounts files than the stack's own.
 *
 * Backends: `--stack local` is `npm start`'s stack, always on the local file backend
 * (.local/pulumi-state) with the local passphrase. Any other stack gets what `npm run pulumi` gets
 * (scripts/lib/pulumi-wrapper.ts): PULUMI_BACKEND_URL or the local backend, and the user's own
 * passphrase or secrets provider for a user backend.
 *
 * Accounts override: `pulumi preview --config` would save the value into the stack's config file,
 * so the override goes into a temporary copy of that file passed with `--config-file`; the stack's
 * own file is never written (docs/plan.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { repoRoot, runPulumiIn } from "../../scripts/lib/pulumi";
import { userCommandEnvironment } from "../../scripts/lib/pulumi-wrapper";
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../emulator/auth";

/** The stack `npm start` makes (scripts/start.ts). */
export const LOCAL_STACK = "local";

export interface PreviewRequest {
  stack: string;
  /** Accounts YAML files for this preview only, relative to `cwd` (or absolute). */
  accounts?: string[];
  /** Where relative `accounts` paths start; the user's working directory. */
  cwd?: string;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
  /**
   * Read every resource from Twilio first (`--refresh`), so drift made outside shows in the plan
   * (docs/providers.md, "Drift"). Needs Twilio (or the emulator) to answer.
   */
  refresh?: boolean;
  /** Extra environment (e.g. npm start's emulator URL). */
  env?: NodeJS.ProcessEnv;
}

export interface PreviewRun {
  code: number;
  /** What `pulumi preview --json` printed: the preview, also when it failed. */
  stdout: string;
  stderr: string;
}

function previewEnvironment(stack: string, args: string[]): NodeJS.ProcessEnv {
  if (stack !== LOCAL_STACK) return userCommandEnvironment(args);
  // npm start's stack: always the local backend with the local passphrase, whatever the user's
  // own backend settings say.
  const env = userCommandEnvironment(args, {
    ...process.env,
    PULUMI_BACKEND_URL: undefined,
    PULUMI_CONFIG_PASSPHRASE: undefined,
    PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
  });
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  // The providers' configure wants credentials even without a Twilio call; npm start's stack runs
  // against the emulator, whose test values these are (npm start passes its emulator's URL).
  env.TWILIO_ACCOUNT_SID ||= DEFAULT_ACCOUNT_SID;
  if (!env.TWILIO_API_KEY) env.TWILIO_AUTH_TOKEN ||= DEFAULT_AUTH_TOKEN;
  env.TWILIO_BASE_URL ||= "http://127.0.0.1:4010";
  return env;
}

/** The program's config key for the accounts files: `<project name>:accountFiles`. */
function accountFilesKey(): string {
  const project = parseYaml(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")) as {
    name: string;
  };
  return `${project.name}:accountFiles`;
}

/** A path the program resolves from the project root: relative inside the repository (shorter errors). */
function programPath(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const inRepo = relative(repoRoot, absolute);
  return inRepo.startsWith("..") || isAbsolute(inRepo) ? absolute : inRepo;
}

/**
 * Writes a copy of the stack's config file with `accountFiles` replaced; returns its path. A stack
 * without a config file (a fresh CI checkout) gets one holding only that key.
 */
function configWithAccounts(dir: string, stack: string, files: string[], cwd: string): string {
  const stackFile = join(repoRoot, `Pulumi.${stack.split("/").pop()}.yaml`);
  const document =
    (existsSync(stackFile) ? parseYaml(readFileSync(stackFile, "utf8")) : null) ?? {};
  const config = { ...(document.config ?? {}) };
  config[accountFilesKey()] = JSON.stringify(files.map((file) => programPath(file, cwd)));
  const copy = join(dir, `Pulumi.${stack.split("/").pop()}.yaml`);
  writeFileSync(copy, stringifyYaml({ ...document, config }));
  return copy;
}

export async function runPreview(request: PreviewRequest): Promise<PreviewRun> {
  const log = request.log ?? (() => {});
  const tempDir = mkdtempSync(join(tmpdir(), "plan-"));
  const args = ["preview", "--json", "--stack", request.stack];
  if (request.refresh) args.push("--refresh");
  const env = { ...previewEnvironment(request.stack, args), ...request.env };
  if (request.accounts && request.accounts.length > 0) {
    args.push(
      "--config-file",
      configWithAccounts(tempDir, request.stack, request.accounts, request.cwd ?? process.cwd()),
    );
  }
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  log(
    `running pulumi preview --json${request.refresh ? " --refresh" : ""} on stack ${request.stack}`,
  );
  const heartbeat = setInterval(() => log(`  still previewing (${seconds()} s)`), 15_000);
  try {
    const run = await runPulumiIn(env, repoRoot, args, { check: false });
    log(`pulumi preview finished in ${seconds()} s (exit ${run.code})`);
    return { code: run.code, stdout: run.stdout, stderr: run.stderr };
  } finally {
    clearInterval(heartbeat);
    rmSync(tempDir, { recursive: true, force: true });
  }
}
