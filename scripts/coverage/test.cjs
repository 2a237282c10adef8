// Step 3: run the measured vitest suites against the instrumented build. MLAT_COVERAGE=1 switches on
// vitest.coverage.config.mts and its worker setup; HARDHAT_CONFIG makes each worker's in-process
// Hardhat load scripts/coverage/hardhat.config.ts. Extra arguments go to vitest (e.g. a file filter).
// Returns vitest's exit code.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const cfg = require("./config.cjs");

function test(args = []) {
  fs.rmSync(cfg.HITS, { recursive: true, force: true });
  fs.mkdirSync(cfg.HITS, { recursive: true });
  const vitest = path.join(path.dirname(require.resolve("vitest/package.json")), "vitest.mjs");
  const res = spawnSync(process.execPath, [vitest, "run", "--config", cfg.VITEST_CONFIG, ...args], {
    cwd: cfg.ROOT,
    stdio: "inherit",
    env: { ...process.env, [cfg.FLAG]: "1", HARDHAT_CONFIG: cfg.HARDHAT_CONFIG },
  });
  return res.status ?? 1;
}

module.exports = { test };
if (require.main === module) process.exit(test(process.argv.slice(2)));
