/**
 * The layer rules of the project, written once, checked by dependency-cruiser in `npm test`
 * (`npm run lint:deps`, scripts/lint-deps.sh). docs/architecture.md draws the rooms and the
 * directions these rules allow; each room's opening comment repeats what it must not import.
 * Type-only imports count: a room that needs another's types depends on it.
 */

/** Rooms that run in a deployment (CI, `npm run`): never the test double nor the runtime package. */
const DEPLOY_TIME = "^src/(plan|sync|start|pulumi|shards)/";

/** What the sender package reaches at run time, besides itself. */
const SENDER_MAY_IMPORT = "^src/(sender|sms|validation|twilio|util)/";

/**
 * The npm packages the published sender package declares (packages/sender/package.json:
 * dependencies and peers), with their @types: the only ones its entries may reach.
 */
const senderManifest = require("./packages/sender/package.json");
const SENDER_DECLARED_PACKAGES = [
  ...Object.keys(senderManifest.dependencies),
  ...Object.keys(senderManifest.peerDependencies),
];
const regexpOf = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const SENDER_DECLARED_PATHS = `node_modules/(@types/)?(${SENDER_DECLARED_PACKAGES.map(regexpOf).join("|")})/`;

module.exports = {
  forbidden: [
    {
      name: "product-code-never-imports-tooling",
      comment:
        "Product code (src/, providers/, pulumi/) never imports scripts/, bench/ or test/: they use it, never the other way round.",
      severity: "error",
      from: { path: "^(src|providers|pulumi)/" },
      to: { path: "^(scripts|bench|test)/" },
    },
    {
      name: "deploy-time-rooms-import-neither-emulator-nor-sender",
      comment:
        "The plan, the sync, npm start's job and the Pulumi runner import neither the emulator (a test double) nor the sender (the runtime package). Whoever starts an emulator passes its URL and credentials in; the sync reports what it changed and its caller invalidates the sender's cache (src/cli/start.ts wires both).",
      severity: "error",
      from: { path: DEPLOY_TIME },
      to: { path: "^src/(emulator|sender)/" },
    },
    {
      name: "only-entry-points-start-the-emulator",
      comment:
        "The emulator is the test double of Twilio: only the entry points (src/cli), tests and benchmarks use it. (The deploy-time rooms have their own rule above.)",
      severity: "error",
      from: {
        path: "^(src|providers|pulumi)/",
        pathNot: ["^src/(cli|emulator)/", DEPLOY_TIME],
      },
      to: { path: "^src/emulator/" },
    },
    {
      name: "sender-imports-only-what-it-runs",
      comment:
        "The sender is the package a backend installs (packages/sender, built from src/sender): it imports only src/sms, src/validation, src/twilio and src/util; never src/db (it ships no generated Prisma client and reads through the backend's own client or pg), no Pulumi, no config or YAML.",
      severity: "error",
      from: { path: "^src/sender/" },
      to: { path: "^(src|providers|pulumi)/", pathNot: SENDER_MAY_IMPORT },
    },
    {
      name: "sender-package-reaches-nothing-heavy",
      comment:
        "Nothing the package's entry points reach, directly or through another room, loads PGlite, Pulumi, YAML, the repo's generated Prisma client or a room the package does not ship.",
      severity: "error",
      from: { path: "^src/sender/(index|nestjs)\\.ts$" },
      to: {
        reachable: true,
        path: [
          "node_modules/(@electric-sql|pglite-prisma-adapter|@pulumi|yaml)/",
          "^src/(config|db|plan|sync|start|pulumi|shards|cli|emulator)/",
        ],
      },
    },
    {
      name: "sender-package-uses-only-declared-npm-packages",
      comment:
        "Every npm package the sender package's entries reach is declared in packages/sender/package.json (a dependency, or a peer the backend brings): a backend installing the tarball gets exactly what the code requires. test/sender/package.test.ts checks the other direction on the built files.",
      severity: "error",
      from: { path: "^src/sender/(index|nestjs)\\.ts$" },
      to: { reachable: true, path: "node_modules/", pathNot: SENDER_DECLARED_PATHS },
    },
    {
      name: "foundation-rooms-stay-below",
      comment:
        "The rooms everything builds on (util, validation, sms, twilio, config, db) never import the rooms built on them.",
      severity: "error",
      from: { path: "^src/(util|validation|sms|twilio|config|db)/" },
      to: { path: "^src/(plan|sync|start|pulumi|shards|cli|emulator|sender)/" },
    },
    {
      name: "a2p-chain-is-pure",
      comment:
        "src/a2p is the US A2P registration chain as data (which step is next, in words): pure functions over Twilio's review states. It imports only src/util; the provider, the program and the plan import it.",
      severity: "error",
      from: { path: "^src/a2p/" },
      to: { path: "^(src|providers|pulumi)/", pathNot: "^src/(a2p|util)/" },
    },
    {
      name: "entry-points-are-imported-by-nobody",
      comment:
        "src/cli is the manager: it imports the rooms and wires them; no room imports it (tests and benchmarks may).",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "providers-and-program-below-the-jobs",
      comment:
        "The dynamic providers (providers/) and the Pulumi program (pulumi/) run inside the engine's processes: they import neither the entry points (src/cli) nor npm start's job (src/start).",
      severity: "error",
      from: { path: "^(providers|pulumi)/" },
      to: { path: "^src/(cli|start)/" },
    },
    {
      name: "no-circular",
      comment: "No import cycle between files: every file can be read after the files it imports.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Prisma's generated client is not ours to shape.
    exclude: { path: "^src/db/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
