// Step 5: turn the instrumentation maps and the merged hits into istanbul reports in coverage/:
// lcov.info + lcov-report/ (HTML), coverage-final.json (istanbul json), coverage-summary.json,
// coverage.json (solidity-coverage's format), and istanbul's text table on stdout.
const fs = require("node:fs");
const path = require("node:path");
const API = require("solidity-coverage/api");
const cfg = require("./config.cjs");
const { sha256 } = require("./instrument.cjs");

async function report() {
  const inst = JSON.parse(fs.readFileSync(cfg.INSTRUMENTATION, "utf8"));
  const hits = JSON.parse(fs.readFileSync(cfg.MERGED_HITS, "utf8"));
  // Line numbers come from the sources as instrumented: refuse to map them onto edited files.
  for (const [rel, hash] of Object.entries(inst.sources)) {
    const file = path.join(cfg.ROOT, rel);
    if (!fs.existsSync(file) || sha256(fs.readFileSync(file, "utf8")) !== hash) {
      throw new Error(`${rel} changed since it was instrumented: run \`npm run coverage\` again`);
    }
  }
  const data = inst.instrumentationData;
  for (const [hash, n] of Object.entries(hits)) data[hash].hits = n;

  const api = new API({
    silent: true,
    cwd: cfg.ROOT, // report keys: contracts/…
    istanbulFolder: cfg.OUT,
    istanbulReporter: ["lcov", "json", "json-summary", "text"],
  });
  // lcov SF: and the JSON reports name files contracts/…, not by absolute path.
  for (const entry of Object.values(inst.coverage.data)) entry.path = path.relative(cfg.ROOT, entry.path).split(path.sep).join("/");
  api.coverage.data = inst.coverage.data;
  api.coverage.requireData = inst.coverage.requireData;
  api.setInstrumentationData(data);
  api.saveCoverage = (mapping) => fs.writeFileSync(path.join(cfg.OUT, "coverage.json"), JSON.stringify(mapping));
  const cwd = process.cwd();
  process.chdir(cfg.ROOT); // the HTML and lcov reporters read the sources by their relative keys
  try {
    await api.report();
  } finally {
    process.chdir(cwd);
  }
}

module.exports = { report };
if (require.main === module) {
  report().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
