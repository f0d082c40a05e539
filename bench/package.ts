/**
 * `npm run bench:package`: what installing the packed sender adds to a backend, next to the
 * tarball the repository shipped before the package had its own manifest, in the same run.
 *
 * Both tarballs are built here: this tree's packages/sender (test/sender/scratch-install.ts
 * packSender), and the base commit's root package (`git archive` of `--base` into a temporary
 * folder, the repository's node_modules linked in, `npm pack`, which ran its own build). A scratch
 * backend that already has its own `@prisma/client` is installed once and copied, then each
 * tarball is installed into one copy (`npm install --prefer-offline`: npm's cache, else the
 * registry). Prints, per tarball: what it adds on disk (`du`) and in packages
 * (node_modules/.package-lock.json), the install's wall time, packages with install scripts,
 * copies of @prisma/client, and which heavy packages came along. Asserts nothing.
 * Targets (issue 18): at most 60 MB and 70 packages added.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand, EXIT, main, UsageError } from "../src/cli/command";
import { repoRoot } from "../src/util/repo-root";
import { npmInstall, packSender } from "../test/sender/scratch-install";

/** The last commit whose root package.json was the sender package (before issue 18). */
const DEFAULT_BASE = "bc8d7daa49226a5bdbdbe25478f5177c34b42daa";

const HELP = `Usage: npm run bench:package -- [--base COMMIT] [--prisma-client VERSION]

Packs this tree's sender package (packages/sender) and the sender tarball of the base commit (the
root package, default ${DEFAULT_BASE.slice(0, 10)}: the repository before the package had its
own manifest), installs each into a copy of a scratch backend that already has @prisma/client
(default 7.10.1), and prints what each install adds: size on disk, packages, install time,
install scripts, @prisma/client copies, heavy packages. Needs the npm registry or a warm npm
cache. Targets: at most 60 MB and 70 packages added.`;

/** Packages a backend should not get from an SMS sender. */
const HEAVY = /^(@pulumi\/pulumi|@electric-sql\/pglite|pglite-prisma-adapter|yaml|protobufjs)$/;

interface Footprint {
  kib: number;
  packages: Map<string, { hasInstallScript?: boolean }>;
}

function footprint(dir: string): Footprint {
  const du = execFileSync("du", ["-sk", join(dir, "node_modules")], { encoding: "utf8" });
  const lock = JSON.parse(
    readFileSync(join(dir, "node_modules", ".package-lock.json"), "utf8"),
  ) as { packages: Record<string, { hasInstallScript?: boolean }> };
  return {
    kib: Number(du.split("\t")[0]),
    packages: new Map(Object.entries(lock.packages).filter(([path]) => path !== "")),
  };
}

/** The sender tarball of a base commit whose root package.json was the package. */
function packBase(base: string, dest: string): string {
  const tree = join(dest, "base");
  mkdirSync(tree);
  execFileSync("bash", ["-c", `git archive "${base}" | tar -x -C "${tree}"`], { cwd: repoRoot });
  symlinkSync(join(repoRoot, "node_modules"), join(tree, "node_modules"));
  const packed = spawnSync("npm", ["pack", "--silent", "--pack-destination", dest], {
    cwd: tree,
    encoding: "utf8",
  });
  if (packed.status !== 0)
    throw new Error(`npm pack of ${base} failed:\n${packed.stdout}\n${packed.stderr}`);
  rmSync(tree, { recursive: true, force: true });
  return join(dest, packed.stdout.trim().split("\n").pop() ?? "");
}

interface Row {
  name: string;
  addedMb: number;
  addedPackages: number;
  seconds: number;
  installScripts: string[];
  prismaClients: number;
  heavy: string[];
}

async function measure(name: string, backend: string, tarball: string): Promise<Row> {
  const before = footprint(backend);
  const started = performance.now();
  await npmInstall(backend, [tarball]);
  const seconds = (performance.now() - started) / 1000;
  const after = footprint(backend);
  const added = [...after.packages].filter(([path]) => !before.packages.has(path));
  const nameOf = (path: string) => path.replace(/^.*node_modules\//, "");
  return {
    name,
    addedMb: (after.kib - before.kib) / 1024,
    addedPackages: after.packages.size - before.packages.size,
    seconds,
    installScripts: added.filter(([, entry]) => entry.hasInstallScript).map(([p]) => nameOf(p)),
    prismaClients: [...after.packages.keys()].filter((path) => nameOf(path) === "@prisma/client")
      .length,
    heavy: added.map(([path]) => nameOf(path)).filter((pkg) => HEAVY.test(pkg)),
  };
}

async function benchmark(base: string, prismaClient: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "bench-package-"));
  try {
    process.stderr.write("packing this tree's packages/sender…\n");
    const current = packSender(mkdtempSync(join(work, "current-")));
    process.stderr.write(`packing the base ${base.slice(0, 10)} (its own build)…\n`);
    const baseline = packBase(base, mkdtempSync(join(work, "base-")));

    process.stderr.write(`a scratch backend with @prisma/client ${prismaClient}…\n`);
    const backend = join(work, "backend");
    mkdirSync(backend);
    const manifest = {
      name: "bench-backend",
      private: true,
      version: "1.0.0",
      dependencies: { "@prisma/client": prismaClient },
    };
    writeFileSync(join(backend, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await npmInstall(backend);
    const own = footprint(backend);
    const copy = join(work, "backend-base");
    cpSync(backend, copy, { recursive: true, verbatimSymlinks: true });

    process.stderr.write("installing each tarball…\n");
    const rows = [
      await measure(`${current.split("/").pop()} (this tree)`, backend, current),
      await measure(
        `${baseline.split("/").pop()} (${base.slice(0, 10)}, root manifest)`,
        copy,
        baseline,
      ),
    ];
    const [now, before] = rows as [Row, Row];
    const table = [
      "",
      `Installing the packed sender into a scratch backend with @prisma/client ${prismaClient} (${(own.kib / 1024).toFixed(1)} MB, ${own.packages.size} packages before), npm install --prefer-offline, node ${process.version}`,
      "",
      "| tarball | adds on disk | adds packages | install time | install scripts | @prisma/client copies | heavy packages added |",
      "| --- | --: | --: | --: | --- | --: | --- |",
      ...rows.map(
        (row) =>
          `| ${row.name} | ${row.addedMb.toFixed(1)} MB | ${row.addedPackages} | ${row.seconds.toFixed(1)} s | ${row.installScripts.join(", ") || "none"} | ${row.prismaClients} | ${row.heavy.join(", ") || "none"} |`,
      ),
      "",
      `this tree vs the base: ${(before.addedMb / now.addedMb).toFixed(1)}× less on disk, ${(before.addedPackages / now.addedPackages).toFixed(1)}× fewer packages; targets: at most 60 MB (${now.addedMb <= 60 ? "met" : "missed"}) and 70 packages (${now.addedPackages <= 70 ? "met" : "missed"})`,
    ];
    console.log(table.join("\n"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main(
  defineCommand({
    script: "bench:package",
    usage: HELP,
    options: {
      base: { type: "string" },
      "prisma-client": { type: "string" },
    },
    async run({ values }) {
      const base = values.base ?? DEFAULT_BASE;
      if (!/^[0-9a-zA-Z._/-]+$/.test(base)) throw new UsageError("--base must be a commit or ref");
      const prismaClient = values["prisma-client"] ?? "7.10.1";
      if (!/^7\.\d+\.\d+$/.test(prismaClient))
        throw new UsageError("--prisma-client must be a 7.x.y version");
      await benchmark(base, prismaClient);
      return EXIT.ok;
    },
  }),
);
