// `npm run coverage`: instrument → compile → test → merge → report → check (docs/coverage.md).
// Arguments are passed to vitest. Exits 1 if a step fails, a test fails or coverage is below the
// thresholds; the report is still written when tests fail.
const { instrument } = require("./instrument.cjs");
const { compile } = require("./compile.cjs");
const { test } = require("./test.cjs");
const { merge } = require("./merge.cjs");
const { report } = require("./report.cjs");
const { check } = require("./check.cjs");

async function main() {
  const started = Date.now();
  const times = [];
  const step = async (name, fn) => {
    const t = Date.now();
    console.log(`\n== coverage: ${name}`);
    const result = await fn();
    times.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)}s`);
    return result;
  };
  await step("instrument", instrument);
  await step("compile", compile);
  const testStatus = await step("test", () => test(process.argv.slice(2)));
  await step("merge", merge);
  await step("report", report);
  const ok = await step("check", check);
  console.log(`coverage: ${times.join(", ")}; total ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (testStatus !== 0) console.error(`coverage: vitest exited with ${testStatus}; the numbers above come from a failing run`);
  return ok && testStatus === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(`coverage: ${e.message}`);
    process.exit(1);
  },
);
