/**
 * The sender package as it is published (packages/sender, `twilio-messaging-sender`): what
 * `npm publish --dry-run` would upload, its manifest against the code it ships, and the tarball
 * installed alone into a scratch project outside the repository: only what the sender runs, no
 * install script, an ES module import, and the error a backend gets when it passes `databaseUrl`
 * without `pg`. A backend with its own Prisma schema: backend.test.ts; NestJS 10 and 11:
 * nestjs-versions.test.ts.
 *
 * Needs the npm registry (or a warm npm cache): about 10 s for the install, 5 s for the build.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copyFixture,
  npmInstall,
  PACKAGE_NAME,
  packSender,
  REPO,
  run,
  SENDER_PACKAGE_DIR,
  scratchProject,
} from "./scratch-install";

/** Every file a backend receives: the manifest, README, CHANGELOG and the built modules. */
const MODULES = [
  "sender/base-url",
  "sender/deliver",
  "sender/errors",
  "sender/index",
  "sender/lookup",
  "sender/nestjs",
  "sender/options",
  "sender/postgres-routes",
  "sender/prisma-routes",
  "sender/rate-limit",
  "sender/sender",
  "sender/staff-alert",
  "sender/validate",
  "sms/cost",
  "sms/segments",
  "twilio/client",
  "twilio/http-client",
  "util/backoff",
  "validation/sids",
];
const PUBLISHED_FILES = [
  "CHANGELOG.md",
  "README.md",
  ...MODULES.flatMap((module) => [`dist/${module}.d.ts`, `dist/${module}.js`]),
  "package.json",
].sort();

interface Manifest {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}
const manifest = JSON.parse(
  readFileSync(join(SENDER_PACKAGE_DIR, "package.json"), "utf8"),
) as Manifest;

let scratch = "";
let tarball = "";

beforeAll(async () => {
  scratch = scratchProject("sender-lean", { name: "lean-backend" });
  tarball = packSender(scratch);
  await npmInstall(scratch, [tarball]);
  copyFixture("sender-lean", ["missing-pg.cjs", "entry.mjs"], scratch);
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const installed = () => join(scratch, "node_modules", PACKAGE_NAME);

/** The npm packages the built files require at run time (bare specifiers, not node: built-ins). */
function requiredPackages(dir: string): string[] {
  const names = new Set<string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".js")) {
        for (const [, specifier] of readFileSync(path, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
          if (!specifier || specifier.startsWith(".") || specifier.startsWith("node:")) continue;
          const parts = specifier.split("/");
          names.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? ""));
        }
      }
    }
  };
  visit(dir);
  return [...names].sort();
}

describe("the published package (packages/sender)", () => {
  it("npm publish --dry-run lists only what a backend needs, and warns about nothing in the package", () => {
    // Runs the package's prepack (its build) in packages/sender, as a real publish would.
    const { stdout, stderr } = run("npm", ["publish", "--dry-run", "--json"], SENDER_PACKAGE_DIR);
    const report = (JSON.parse(stdout) as Record<string, { files: { path: string }[] }>)[
      PACKAGE_NAME
    ];
    expect(report?.files.map((file) => file.path).sort()).toEqual(PUBLISHED_FILES);
    // The one warning left is this machine's: no registry login, which a dry run does not need.
    const warnings = stderr
      .split("\n")
      .filter((line) => /npm warn/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
  });

  it("the tarball a backend installs holds exactly those files", () => {
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ""))
      .sort();
    expect(listed).toEqual(PUBLISHED_FILES);
  });

  it("depends on exactly the npm packages its code requires, at the versions the repo tests (^)", () => {
    const rootManifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Manifest;
    const required = requiredPackages(join(installed(), "dist"));
    const peers = Object.keys(manifest.peerDependencies);
    // Every package the code requires is a dependency or a peer, and every dependency is required.
    expect(required).toEqual(
      [...Object.keys(manifest.dependencies), "@nestjs/common", "pg"].sort(),
    );
    // @prisma/client is the one peer the code never loads: the backend's client is used as given.
    expect(peers.filter((peer) => !required.includes(peer))).toEqual(["@prisma/client"]);
    for (const [name, range] of Object.entries(manifest.dependencies))
      expect(range, name).toBe(`^${rootManifest.dependencies[name]}`);
  });

  it("peers are optional and over whole major lines; types for both entries; engines; no side effects; no install script", () => {
    expect(manifest.peerDependencies).toEqual({
      "@nestjs/common": "^10.0.0 || ^11.0.0 || ^12.0.0",
      "@prisma/client": "^7.0.0",
      pg: "^8.0.0",
    });
    for (const peer of Object.keys(manifest.peerDependencies))
      expect(manifest.peerDependenciesMeta[peer], peer).toEqual({ optional: true });
    expect(manifest.exports).toEqual({
      ".": { types: "./dist/sender/index.d.ts", default: "./dist/sender/index.js" },
      "./nestjs": { types: "./dist/sender/nestjs.d.ts", default: "./dist/sender/nestjs.js" },
      "./package.json": "./package.json",
    });
    expect(manifest.types).toBe("./dist/sender/index.d.ts");
    expect(manifest.typesVersions).toEqual({ "*": { nestjs: ["dist/sender/nestjs.d.ts"] } });
    expect(manifest.engines).toEqual({ node: ">=20.19" });
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.private).toBeUndefined();
    const scripts = Object.keys(manifest.scripts as Record<string, string>);
    expect(scripts.filter((name) => /install|prepare/.test(name))).toEqual([]);
  });
});

describe("installed alone into a scratch project", () => {
  it("brings only what the sender runs: no Pulumi, YAML, PGlite, Prisma or pg, and no install script", () => {
    const lock = JSON.parse(
      readFileSync(join(scratch, "node_modules", ".package-lock.json"), "utf8"),
    ) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const packages = Object.keys(lock.packages).map((path) =>
      path.replace(/^.*node_modules\//, ""),
    );
    expect(packages).toEqual(expect.arrayContaining(Object.keys(manifest.dependencies)));
    const heavy = packages.filter((name) =>
      /^(@pulumi\/|@electric-sql\/|pglite|yaml$|protobufjs$|@prisma\/|prisma$|pg$|@nestjs\/)/.test(
        name,
      ),
    );
    expect(heavy).toEqual([]);
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path);
    expect(withScripts).toEqual([]);
    // Nothing of the repository's own sources or test double rides along.
    const files = execFileSync("find", [".", "-type", "f"], { cwd: installed(), encoding: "utf8" });
    expect(files).not.toMatch(/emulator|providers|pulumi|generated|\.ts\n(?<!\.d\.ts\n)/);
  });

  it("an ES module imports it without the backend's Prisma client, and importing opens nothing", () => {
    const { stdout } = run("node", ["entry.mjs"], scratch);
    expect(JSON.parse(stdout)).toEqual({
      createSmsSender: "function",
      SmsSenderError: "function",
      segments: { encoding: "GSM-7", segments: 2 },
    });
  });

  it("databaseUrl without pg installed: MissingPeerDependencyError naming pg, when the sender is created", () => {
    const { stdout } = run("node", ["missing-pg.cjs"], scratch);
    expect(JSON.parse(stdout)).toEqual({
      typed: true,
      name: "MissingPeerDependencyError",
      code: "MISSING_PEER_DEPENDENCY",
      packageName: "pg",
      message:
        "Missing peer dependency pg: the databaseUrl option needs it; install it in the backend (npm install pg), or pass your Prisma client as the prisma option instead of databaseUrl",
    });
  });
});
