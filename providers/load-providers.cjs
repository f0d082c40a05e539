// The provider process's entry to the providers (see implementation.ts): the stub stored in the
// state requires this file, which loads the TypeScript code through ts-node (transpile only: `npm
// test` type-checks) once per process. Plain CommonJS so that nothing has to compile it first.
const { join } = require("node:path");

const root = join(__dirname, "..");
// ts-node comes with @pulumi/pulumi (which runs the program through it too).
const paths = [root, join(root, "node_modules", "@pulumi", "pulumi")];
require(require.resolve("ts-node", { paths })).register({
  transpileOnly: true,
  project: join(root, "tsconfig.json"),
});
module.exports = require("./runtime.ts").providers;
