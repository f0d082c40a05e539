/**
 * What the package tests share: the sender package packed as a backend receives it, and scratch
 * Node projects outside the repository that install it from the tarball (dependencies from the
 * npm registry, or npm's cache) and run or compile a backend's files.
 *
 * `packSender` builds with the package's own tsconfig (packages/sender/tsconfig.json) into a
 * temporary folder beside the manifest, README and CHANGELOG, then `npm pack`s that folder: the
 * same tarball `npm pack` in packages/sender makes, without writing to the checkout, so test files
 * running side by side never rebuild each other's files.
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const REPO = resolve(__dirname, "..", "..");
export const SENDER_PACKAGE_DIR = join(REPO, "packages", "sender");
export const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
export const PACKAGE_NAME = "twilio-messaging-sender";

/** Runs a command to completion; throws with its output when it fails. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking the event loop: for a child that talks to the emulator running in
 * this process, and for installs that run side by side.
 */
export async function runAsync(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      env: { ...process.env, ...env },
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

/** Builds and packs the sender package into `dest`; returns the tarball's path. */
export function packSender(dest: string): string {
  const stage = join(dest, "package");
  mkdirSync(stage, { recursive: true });
  run(
    process.execPath,
    [TSC, "-p", join(SENDER_PACKAGE_DIR, "tsconfig.json"), "--outDir", join(stage, "dist")],
    REPO,
  );
  for (const file of ["package.json", "README.md", "CHANGELOG.md"])
    copyFileSync(join(SENDER_PACKAGE_DIR, file), join(stage, file));
  run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dest], stage);
  rmSync(stage, { recursive: true, force: true });
  const tarball = readdirSync(dest).find((file) => file.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack left no tarball in ${dest}`);
  return join(dest, tarball);
}

/** A scratch project in the system's temporary directory, with this package.json. */
export function scratchProject(prefix: string, manifest: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ private: true, version: "1.0.0", ...manifest }, null, 2)}\n`,
  );
  return dir;
}

/** `npm install` in a scratch project: its package.json, plus `specs` (a tarball, packages). */
export function npmInstall(dir: string, specs: string[] = []): Promise<string> {
  return runAsync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...specs],
    dir,
  );
}

/** Copies the files of a fixture folder (test/fixtures/<name>/…) into a scratch project. */
export function copyFixture(name: string, files: string[], dir: string): void {
  for (const file of files) {
    const target = join(dir, file);
    mkdirSync(resolve(target, ".."), { recursive: true });
    copyFileSync(join(REPO, "test", "fixtures", name, file), target);
  }
}
