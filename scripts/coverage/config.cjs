// Paths, file selection and thresholds shared by every step of `npm run coverage` (see docs/coverage.md).
// CommonJS so that the .cjs steps, the Hardhat config (ts-node), the vitest config and the worker setup
// can all load it.
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const OUT = path.join(ROOT, "coverage");

module.exports = {
  ROOT,
  /** The real sources; coverage is reported against these paths and line numbers. */
  SOURCES: path.join(ROOT, "contracts"),
  OUT,
  /** Root of the instrumented Hardhat project: BUILD_ROOT/contracts is the instrumented copy. */
  BUILD_ROOT: path.join(OUT, "build"),
  /** Instrumented build products, kept across runs (Hardhat's cache skips unchanged sources). */
  ARTIFACTS: path.join(OUT, "artifacts"),
  CACHE: path.join(OUT, "cache"),
  TYPECHAIN: path.join(OUT, "typechain-types"),
  /** The hash → location map of the instrumentation, written once, read by workers and the report. */
  INSTRUMENTATION: path.join(OUT, "instrumentation.json"),
  /** One hit file per vitest worker process, and their sum. */
  HITS: path.join(OUT, "hits"),
  MERGED_HITS: path.join(OUT, "hits.json"),
  SUMMARY: path.join(OUT, "summary.txt"),
  HARDHAT_CONFIG: path.join(__dirname, "hardhat.config.ts"),
  VITEST_CONFIG: path.join(ROOT, "vitest.coverage.config.mts"),
  /** The environment flag that switches the worker setup and the vitest config on. */
  FLAG: "MLAT_COVERAGE",
  /** The suites measured. */
  TESTS: ["test/contracts/**/*.test.ts", "test/sdk/ledger/**/*.test.ts"],
  /** Sources under contracts/ that are copied but neither instrumented nor counted (test helpers). */
  SKIP: [/(^|\/)(test|tests|mocks?|harness)\//i, /\.t\.sol$/, /(^|\/)Mock[^/]*\.sol$/],
  /** Minimum percentages over all counted files of contracts/. */
  THRESHOLDS: { lines: 100, functions: 100, branches: 95 },
};
