// Step 1: copy contracts/ to coverage/build/contracts and instrument the copy with solidity-coverage's
// API. Hits are keyed by hashes that the instrumentation injects; the hash map (with the statement,
// function and branch maps of the ORIGINAL sources) goes to coverage/instrumentation.json.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const API = require("solidity-coverage/api");
const cfg = require("./config.cjs");

function solidityFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? solidityFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith(".sol"))
    .sort();
}

const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

function instrument() {
  // Fresh copy, hits and reports; artifacts, cache and typechain-types stay for Hardhat's cache.
  for (const p of [cfg.BUILD_ROOT, cfg.HITS, cfg.INSTRUMENTATION, cfg.MERGED_HITS]) fs.rmSync(p, { recursive: true, force: true });
  fs.mkdirSync(cfg.HITS, { recursive: true });

  const api = new API({ silent: true });
  const sources = {};
  const skipped = [];
  for (const canonicalPath of solidityFiles(cfg.SOURCES)) {
    const relativePath = path.relative(cfg.ROOT, canonicalPath).split(path.sep).join("/");
    const source = fs.readFileSync(canonicalPath, "utf8");
    const target = path.join(cfg.BUILD_ROOT, relativePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    sources[relativePath] = sha256(source);
    if (cfg.SKIP.some((re) => re.test(relativePath))) {
      fs.writeFileSync(target, source);
      skipped.push(relativePath);
      continue;
    }
    // canonicalPath is the original file: reports point at contracts/…, not at the copy.
    const [out] = api.instrument([{ canonicalPath, relativePath, source }]);
    fs.writeFileSync(target, out.source);
  }

  const instrumentationData = api.getInstrumentationData();
  fs.writeFileSync(
    cfg.INSTRUMENTATION,
    JSON.stringify({
      sources,
      skipped,
      instrumentationData,
      coverage: { data: api.coverage.data, requireData: api.coverage.requireData },
    }),
  );
  const files = Object.keys(sources).length - skipped.length;
  console.log(
    `instrumented ${files} files of contracts/ (${Object.keys(instrumentationData).length} probes)` +
      (skipped.length ? `, skipped ${skipped.join(", ")}` : ""),
  );
}

module.exports = { instrument, sha256 };
if (require.main === module) instrument();
