// Step 2: compile the instrumented copy with Hardhat (the main config's solc-js, optimizer off) into
// coverage/artifacts and coverage/typechain-types, through scripts/coverage/hardhat.config.ts.
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const cfg = require("./config.cjs");

function compile() {
  const cli = path.join(path.dirname(require.resolve("hardhat/package.json")), "internal", "cli", "cli.js");
  const env = { ...process.env };
  delete env.HARDHAT_CONFIG; // --config below is the one that counts
  const res = spawnSync(process.execPath, [cli, "--config", cfg.HARDHAT_CONFIG, "compile"], { cwd: cfg.ROOT, stdio: "inherit", env });
  if (res.status !== 0) throw new Error(`instrumented compile failed (exit ${res.status ?? res.signal})`);
}

module.exports = { compile };
if (require.main === module) {
  try {
    compile();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
