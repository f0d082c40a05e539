// Prints "N passed, N failed[, N skipped]" from vitest's JSON report (path in argv[2]).
const { readFileSync } = require("node:fs");

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/test-summary.js <vitest-json-report>");
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
const line = `${report.numPassedTests} passed, ${report.numFailedTests} failed`;
console.log(skipped > 0 ? `${line}, ${skipped} skipped` : line);
