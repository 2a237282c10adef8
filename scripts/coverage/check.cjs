// Step 6: per-file lines / functions / branches of contracts/ from coverage/coverage-final.json, every
// uncovered line, function and branch path as file:line with its source, and the thresholds of
// config.cjs over all counted files. Files without executable code (interfaces, type-only files) are
// listed but not counted. Exits 1 below a threshold. The table also goes to coverage/summary.txt.
const fs = require("node:fs");
const path = require("node:path");
const cfg = require("./config.cjs");

const pct = (c, t) => (t === 0 ? 100 : (100 * c) / t);
const fmt = (c, t) => `${c}/${t} ${pct(c, t).toFixed(2).padStart(6)}%`;

function count(fc) {
  const lines = Object.values(fc.l ?? {});
  const fns = Object.values(fc.f);
  const branches = Object.values(fc.b).flat();
  return {
    lines: [lines.filter((n) => n > 0).length, lines.length],
    functions: [fns.filter((n) => n > 0).length, fns.length],
    branches: [branches.filter((n) => n > 0).length, branches.length],
    statements: [Object.values(fc.s).filter((n) => n > 0).length, Object.values(fc.s).length],
  };
}

function gaps(file, fc) {
  const src = fs.readFileSync(path.join(cfg.ROOT, file), "utf8").split("\n");
  const at = (line) => `${file}:${line}`.padEnd(46) + ` ${(src[line - 1] ?? "").trim().slice(0, 100)}`;
  const out = [];
  for (const [line, n] of Object.entries(fc.l ?? {})) if (n === 0) out.push(`  line      ${at(Number(line))}`);
  for (const [id, n] of Object.entries(fc.f)) if (n === 0) out.push(`  function  ${at(fc.fnMap[id].line)}  [${fc.fnMap[id].name}]`);
  for (const [id, paths] of Object.entries(fc.b)) {
    const br = fc.branchMap[id];
    paths.forEach((n, i) => {
      if (n > 0) return;
      // if / require / ternary / modifier: path 0 = condition true (passes), 1 = false (else, revert).
      // cond-expr is `a || b`: path 0 = a true, path 1 = b evaluated and true.
      const what = br.type === "cond-expr" ? ["|| left operand true", "|| right operand true"][i] : ["condition true", "condition false"][i];
      out.push(`  branch    ${at(br.locations[i]?.start?.line ?? br.line)}  [${what}]`);
    });
  }
  return out;
}

function check() {
  const report = JSON.parse(fs.readFileSync(path.join(cfg.OUT, "coverage-final.json"), "utf8"));
  const { sources, skipped } = JSON.parse(fs.readFileSync(cfg.INSTRUMENTATION, "utf8"));
  const counted = Object.keys(sources).filter((f) => !skipped.includes(f));
  const byFile = Object.fromEntries(Object.entries(report).map(([k, v]) => [path.relative(cfg.ROOT, path.resolve(cfg.ROOT, k)).split(path.sep).join("/"), v]));

  const rows = [];
  const details = [];
  const total = { lines: [0, 0], functions: [0, 0], branches: [0, 0], statements: [0, 0] };
  for (const file of counted.sort()) {
    const fc = byFile[file];
    if (!fc) throw new Error(`${file} is missing from the coverage report`);
    const c = count(fc);
    if (c.lines[1] + c.functions[1] + c.branches[1] === 0) {
      rows.push(`${file.padEnd(44)} ${"(no executable code: not counted)".padStart(20)}`);
      continue;
    }
    for (const k of Object.keys(total)) for (const i of [0, 1]) total[k][i] += c[k][i];
    rows.push(`${file.padEnd(44)} ${fmt(...c.lines).padStart(16)} ${fmt(...c.functions).padStart(16)} ${fmt(...c.branches).padStart(16)}`);
    details.push(...gaps(file, fc));
  }
  const head = `${"File".padEnd(44)} ${"Lines".padStart(16)} ${"Functions".padStart(16)} ${"Branches".padStart(16)}`;
  const rule = "-".repeat(head.length);
  const totalRow = `${"All counted files".padEnd(44)} ${fmt(...total.lines).padStart(16)} ${fmt(...total.functions).padStart(16)} ${fmt(...total.branches).padStart(16)}`;

  const failures = Object.entries(cfg.THRESHOLDS)
    .filter(([k, min]) => pct(...total[k]) < min)
    .map(([k, min]) => `${k} ${pct(...total[k]).toFixed(2)}% < ${min}%`);
  const verdict = failures.length
    ? `FAIL: ${failures.join(", ")}`
    : `OK: lines ≥ ${cfg.THRESHOLDS.lines}%, functions ≥ ${cfg.THRESHOLDS.functions}%, branches ≥ ${cfg.THRESHOLDS.branches}%`;
  const text = [
    "",
    "Solidity coverage of contracts/ (vitest: " + cfg.TESTS.join(", ") + ")",
    rule,
    head,
    rule,
    ...rows,
    rule,
    totalRow,
    rule,
    details.length ? "Not covered:" : "Nothing uncovered.",
    ...details,
    "",
    verdict,
    "",
  ].join("\n");
  fs.writeFileSync(cfg.SUMMARY, text);
  console.log(text);
  return failures.length === 0;
}

module.exports = { check };
if (require.main === module) process.exit(check() ? 0 : 1);
