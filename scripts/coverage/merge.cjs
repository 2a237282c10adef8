// Step 4: sum the per-worker hit files of coverage/hits/ into coverage/hits.json. A hash that the
// current instrumentation does not know means a stale hit file or build: that is an error.
const fs = require("node:fs");
const path = require("node:path");
const cfg = require("./config.cjs");

function merge() {
  const { instrumentationData } = JSON.parse(fs.readFileSync(cfg.INSTRUMENTATION, "utf8"));
  const files = fs.existsSync(cfg.HITS) ? fs.readdirSync(cfg.HITS).filter((f) => f.endsWith(".json")) : [];
  if (files.length === 0) throw new Error(`no hit files in ${cfg.HITS}: did the vitest workers run with ${cfg.FLAG}=1?`);
  const merged = {};
  let total = 0;
  for (const f of files) {
    const hits = JSON.parse(fs.readFileSync(path.join(cfg.HITS, f), "utf8"));
    for (const [hash, n] of Object.entries(hits)) {
      if (!(hash in instrumentationData)) throw new Error(`${f}: hash ${hash} is not in the current instrumentation (stale hits?)`);
      merged[hash] = (merged[hash] ?? 0) + n;
      total += n;
    }
  }
  if (total === 0) throw new Error("the workers recorded no hits: the tests did not run the instrumented bytecode");
  fs.writeFileSync(cfg.MERGED_HITS, JSON.stringify(merged));
  const probes = Object.keys(instrumentationData).length;
  console.log(`merged ${files.length} hit files: ${Object.keys(merged).length} of ${probes} probes hit`);
}

module.exports = { merge };
if (require.main === module) merge();
