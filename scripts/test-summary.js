// Prints "N passed, N failed[, N skipped]" summed over vitest JSON reports (paths in argv), the
// closing line CI reads. A missing report counts as one failure: a run that wrote none did not pass.
const { existsSync, readFileSync } = require("node:fs");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/test-summary.js <vitest-json-report>...");
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`test-summary: no report at ${file}: counted as a failure`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
const line = `${passed} passed, ${failed} failed`;
console.log(skipped > 0 ? `${line}, ${skipped} skipped` : line);
