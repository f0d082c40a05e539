/**
 * Runs the real `pulumi preview --json` of the project's program for a stack, through the pinned
 * CLI (src/pulumi/), optionally with other accounts files than the stack's own.
 *
 * Backends: `--stack local` is `npm start`'s stack, always on the local file backend
 * (.local/pulumi-state) with the local passphrase. Any other stack gets what `npm run pulumi` gets
 * (src/pulumi/backend.ts): PULUMI_BACKEND_URL or the local backend, and the user's own
 * passphrase or secrets provider for a user backend.
 *
 * Twilio: the providers' configure wants an account SID and a token even when the preview makes no
 * call. They come from the environment, or from the caller (`env`): npm start passes its
 * emulator's URL and credentials, the plan command the emulator's defaults for the stack `local`.
 *
 * Accounts override: `pulumi preview --config` would save the value into the stack's config file,
 * so the override goes into a temporary copy of that file passed with `--config-file`; the stack's
 * own file is never written (docs/plan.md).
 *
 * Saved plan: `savePlan` also writes Pulumi's update plan (`--save-plan`, which the pinned CLI
 * 3.248 offers behind PULUMI_EXPERIMENTAL=true), for `pulumi up --plan` (saved-plan.ts, apply.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { stackEnvironment } from "../pulumi/backend";
import { runPulumiIn } from "../pulumi/run";
import { repoRoot } from "../util/repo-root";

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
  /** Extra environment: Twilio's URL and credentials when not the process's own (npm start's emulator). */
  env?: NodeJS.ProcessEnv;
  /** Also save Pulumi's update plan to this file (`pulumi preview --save-plan`). */
  savePlan?: string;
}

export interface PreviewRun {
  code: number;
  /** What `pulumi preview --json` printed: the preview, also when it failed. */
  stdout: string;
  stderr: string;
}

/** The program's config key for the accounts files: `<project name>:accountFiles`. */
function accountFilesKey(): string {
  const project = parseYaml(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")) as {
    name: string;
  };
  return `${project.name}:accountFiles`;
}

/**
 * An accounts file as the program's `accountFiles` names it: the program resolves paths from the
 * project root, so a file the user named from `cwd` becomes relative to the root when inside the
 * repository (shorter errors), else absolute.
 */
export function programPath(file: string, cwd: string): string {
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
  if (request.savePlan) args.push("--save-plan", request.savePlan);
  const env = { ...stackEnvironment(request.stack, args), ...request.env };
  if (request.savePlan) env.PULUMI_EXPERIMENTAL = "true";
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
