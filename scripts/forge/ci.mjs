#!/usr/bin/env node
// Runs the forge suites under a profile and holds them to that profile's figures (npm run test:invariants,
// npm run test:deep): every test passes, every fuzz test ran at least FUZZ_RUNS inputs, every invariant
// campaign at least INVARIANT_RUNS runs of INVARIANT_DEPTH calls. A test whose inline config or a setting
// lowered its runs fails here, as does a profile edited below its figures.
//
//   node scripts/forge/ci.mjs --profile ci      # fuzz ≥ 10,000; invariants ≥ 1,000 × 200
//   node scripts/forge/ci.mjs --profile deep    # fuzz ≥ 100,000; invariants ≥ 5,000 × 500
//   node scripts/forge/ci.mjs --profile ci --match-path 'test/invariants/ledger/*'   (other arguments go to forge)
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findForge, splitProfile } from "./run.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The figures each profile must reach (docs/forge-offline.md). */
export const FIGURES = {
  ci: { fuzzRuns: 10_000, invariantRuns: 1_000, invariantDepth: 200 },
  deep: { fuzzRuns: 100_000, invariantRuns: 5_000, invariantDepth: 500 },
};

/** Checks one forge JSON result against `figures`: the list of shortfalls (empty when it measures up). */
export function shortfalls(kind, figures) {
  if (kind.Fuzz) {
    return kind.Fuzz.runs < figures.fuzzRuns ? [`${kind.Fuzz.runs} fuzz runs < ${figures.fuzzRuns}`] : [];
  }
  if (kind.Invariant) {
    const { runs, calls } = kind.Invariant;
    const out = [];
    if (runs < figures.invariantRuns) out.push(`${runs} invariant runs < ${figures.invariantRuns}`);
    if (calls < runs * figures.invariantDepth) out.push(`${calls} calls < ${runs} runs × depth ${figures.invariantDepth}`);
    return out;
  }
  return [];
}

function describe(kind) {
  if (kind.Fuzz) return `fuzz, ${kind.Fuzz.runs} runs`;
  if (kind.Invariant) return `invariant, ${kind.Invariant.runs} runs, ${kind.Invariant.calls} calls, ${kind.Invariant.reverts} reverts`;
  return "unit";
}

function main() {
  const { profile = "ci", rest } = splitProfile(process.argv.slice(2));
  const figures = FIGURES[profile];
  if (!figures) {
    console.error(`ci.mjs: no figures for profile "${profile}" (known: ${Object.keys(FIGURES).join(", ")})`);
    process.exit(2);
  }
  const forge = findForge();
  if (!forge) {
    console.error("forge is not installed (run `npm ci`)");
    process.exit(127);
  }
  const started = Date.now();
  const r = spawnSync(forge, ["test", "--json", ...rest], {
    cwd: ROOT,
    env: { ...process.env, FOUNDRY_PROFILE: profile },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const start = r.stdout.indexOf("{");
  if (start < 0) {
    process.stderr.write(r.stdout + r.stderr);
    console.error(`forge test (profile ${profile}) gave no results (exit ${r.status})`);
    process.exit(r.status || 1);
  }
  let passed = 0;
  let failed = 0;
  const results = JSON.parse(r.stdout.slice(start));
  for (const [suite, s] of Object.entries(results).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [test, t] of Object.entries(s.test_results).sort(([a], [b]) => a.localeCompare(b))) {
      if (t.status === "Skipped") continue;
      const problems = t.status === "Success" ? shortfalls(t.kind, figures) : [t.reason ?? t.status];
      if (problems.length === 0) passed++;
      else failed++;
      const name = `${suite.replace(/^test\/invariants\//, "")}::${test.replace(/\(.*$/, "")}`;
      console.log(`[${problems.length === 0 ? "PASS" : "FAIL"}] ${name} (${describe(t.kind)})`);
      for (const p of problems) console.log(`       ${p}`);
      if (t.status !== "Success" && t.counterexample) console.log(`       counterexample: ${JSON.stringify(t.counterexample).slice(0, 4000)}`);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\nforge profile ${profile}: fuzz ≥ ${figures.fuzzRuns} runs, invariants ≥ ${figures.invariantRuns} × ${figures.invariantDepth}; ${seconds} s`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  if (passed + failed === 0) console.error("no forge test ran");
  process.exit(failed === 0 && passed > 0 && r.status === 0 ? 0 : 1);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) main();
