#!/usr/bin/env node
// Shows that every invariant property catches a real bug, in `npm test` (npm run test:invariants).
//
// Each suite under test/invariants/ with an `invariant_` function checks named properties: `property_…`
// functions (or, in a suite without them, each `invariant_…` function is a property). For every property this
// script plants one named mutation that breaks exactly that property, in a copy of the contracts and the
// suite under forge-cache/planted/mutants/<property>/, compiles every copy in one forge build (optimizer off:
// it compiles several times faster), runs the suite's campaign on each copy with a fixed seed and a small
// run count, and expects it to FAIL with that property's name. An unmutated copy (control) must pass with
// the same settings. The script fails when a property has no planted bug, a bug's site is not found, a bug
// goes uncaught, another property reports it, or the control fails.
//
//   node scripts/forge/planted-bugs.mjs                  # every property
//   node scripts/forge/planted-bugs.mjs property_solvent # one property (and the control)
//   MLAT_PLANTED_RUNS=32 MLAT_PLANTED_DEPTH=100 …        # campaign size (default 64 × 100)
//
// The source tree is never modified: mutants are copies.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join, posix, resolve } from "node:path";
import { findForge } from "./run.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WORK = join(ROOT, "forge-cache", "planted");
const SUITES_DIR = "test/invariants";
const RUNS = Number(process.env.MLAT_PLANTED_RUNS ?? 64);
const DEPTH = Number(process.env.MLAT_PLANTED_DEPTH ?? 100);
const SEED = process.env.MLAT_PLANTED_SEED ?? "0x6d6c6174";

/**
 * One planted bug per property: where (`file`, repo-relative), what text (`find`, exactly once in the file)
 * becomes what (`replace`), and the property expected to catch it.
 */
export const MUTATIONS = [
  {
    property: "property_statusMovesOnlyAlongTheLifecycleGraph",
    bug: "RequestLifecycle: a request may be completed without ever being executed (Accepted → Executed)",
    file: "contracts/libraries/RequestLifecycle.sol",
    find: "if (to == RequestStatus.Executed) return _bit(RequestStatus.InExecution);",
    replace: "if (to == RequestStatus.Executed) return _bit(RequestStatus.InExecution) | _bit(RequestStatus.Accepted);",
  },
  {
    property: "property_noAccountChangesAnotherStatesRecord",
    bug: "RequestRegistry._party: the party check dropped, any state's central authority takes any step",
    file: "contracts/requests/RequestRegistry.sol",
    find: "if (actorState != party) revert RequestNotParty(requestId, actorState);",
    replace: "party;",
  },
  {
    property: "property_suspendedStateChangesNothing",
    bug: "Consortium._requireMember: only never-admitted states refused, a suspended state's accounts still act",
    file: "contracts/membership/Consortium.sol",
    find: "if (s.status != StateStatus.Active) revert ConsortiumUnexpectedStateStatus(a.state, s.status);\n        return (a.state, s.index);",
    replace: "if (s.status == StateStatus.None) revert ConsortiumUnexpectedStateStatus(a.state, s.status);\n        return (a.state, s.index);",
  },
  {
    property: "property_noCustodyMoveWithoutMatchingOffer",
    bug: "EvidenceCustody.acceptCustody: the held payload digest is not compared with the anchored one",
    file: "contracts/custody/EvidenceCustody.sol",
    find: "if (heldPayloadDigest != item.payloadDigest) {",
    replace: "if (heldPayloadDigest == bytes32(uint256(1))) {",
  },
  {
    property: "property_storedHeadEqualsHeadRebuiltFromEvents",
    bug: "CustodyChain.next: the offer's expiry is left out of the head",
    file: "contracts/libraries/CustodyChain.sol",
    find: "                    e.digest,\n                    e.expiresAt\n",
    replace: "                    e.digest,\n                    uint40(0)\n",
  },
  {
    property: "property_liveEvidenceHasExactlyOneCustodian",
    bug: "EvidenceCustody.offerCustody: a custodian may offer an item to its own state",
    file: "contracts/custody/EvidenceCustody.sol",
    find: "if (toState == item.holder.state) revert CustodyInvalidRecipient(evidenceId, toState, toAccount);",
    replace: "// (planted: no check that the recipient is another state)",
  },
  {
    property: "property_rolesChangeOnlyThroughTheMembershipRules",
    bug: "Consortium._setRoles: a central authority may take over an account of another state",
    file: "contracts/membership/Consortium.sol",
    find: "if (account == address(0) || (a.state != bytes2(0) && a.state != code)) {",
    replace: "if (account == address(0)) {",
  },
  {
    property: "property_keyRegistryChangesOnlyByItsOwnState",
    bug: "Consortium.rotateEncryptionKey: an agency may replace its state's key",
    file: "contracts/membership/Consortium.sol",
    find: "(bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY);\n        StateRecord storage s = _states[code];\n        if (newKey",
    replace:
      "(bytes2 code, ) = _requireMember(_msgSender(), Roles.CENTRAL_AUTHORITY | Roles.AGENCY);\n        StateRecord storage s = _states[code];\n        if (newKey",
  },
  {
    property: "property_solvent",
    bug: "ToyBank.withdraw: pays out half of what it debits",
    file: "test/invariants/examples/ToyBank.sol",
    find: "msg.sender.call{value: amount}(\"\")",
    replace: "msg.sender.call{value: amount / 2}(\"\")",
  },
  {
    property: "property_matchesGhostFlows",
    bug: "ToyBank.withdraw: withdraws (debits and pays) half of the amount asked",
    file: "test/invariants/examples/ToyBank.sol",
    find: "if (amount > available) revert InsufficientBalance(available, amount);\n        balanceOf[msg.sender] = available - amount;\n        totalDeposits -= amount;",
    replace:
      "if (amount > available) revert InsufficientBalance(available, amount);\n        amount = amount / 2;\n        balanceOf[msg.sender] = available - amount;\n        totalDeposits -= amount;",
  },
  {
    property: "property_balancesSumToTotal",
    bug: "ToyBank.deposit: credits one wei less than it receives",
    file: "test/invariants/examples/ToyBank.sol",
    find: "balanceOf[msg.sender] += msg.value;",
    replace: "balanceOf[msg.sender] += msg.value - 1;",
  },
];

// ─── discovery ───────────────────────────────────────────────────────────────────────────

function solidityFiles(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return solidityFiles(path);
    return e.name.endsWith(".sol") ? [path] : [];
  });
}

/** The body of `function name(…) … { … }` in `source` (brace matching; comments and strings hold no braces here). */
function functionBody(source, name) {
  const start = source.search(new RegExp(`function\\s+${name}\\s*\\(`));
  const open = source.indexOf("{", start);
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "{") depth++;
    else if (source[i] === "}" && --depth === 0) return source.slice(open, i + 1);
  }
  return "";
}

/**
 * Every invariant suite and the properties it checks: its `property_` functions, and any `invariant_`
 * function that calls none of them (then that function is a property in itself).
 */
export function discoverSuites() {
  return solidityFiles(SUITES_DIR)
    .map((path) => {
      const source = readFileSync(join(ROOT, path), "utf8");
      const names = (prefix) => [...source.matchAll(new RegExp(`function\\s+(${prefix}\\w+)\\s*\\(`, "g"))].map((m) => m[1]);
      const invariants = names("invariant_");
      const properties = [
        ...names("property_"),
        ...invariants.filter((f) => !/\bproperty_\w+\s*\(/.test(functionBody(source, f))),
      ];
      return { path, invariants, properties };
    })
    .filter((s) => s.invariants.length > 0);
}

/** The repo-relative files `entry` imports, transitively (relative imports only; packages come from node_modules). */
function importClosure(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(join(ROOT, entry), "utf8");
  for (const m of source.matchAll(/^\s*import\s+(?:[^"';]*\s+from\s+)?["']([^"']+)["']\s*;/gm)) {
    if (m[1].startsWith(".")) importClosure(posix.normalize(posix.join(posix.dirname(entry), m[1])), seen);
  }
  return seen;
}

// ─── the workspace ───────────────────────────────────────────────────────────────────────

const FORGE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("FOUNDRY_")));

function writeConfig() {
  const modules = join(ROOT, "node_modules");
  writeFileSync(
    join(WORK, "foundry.toml"),
    `# Written by scripts/forge/planted-bugs.mjs; every run rewrites it.
[profile.default]
solc = ${JSON.stringify(join(ROOT, "scripts/forge/solc.mjs"))}
offline = true
auto_detect_solc = false
evm_version = "cancun"
optimizer = false
src = "mutants"
test = "mutants"
script = "mutants"
out = "out"
cache_path = "cache"
libs = [${JSON.stringify(modules)}]
allow_paths = [${JSON.stringify(modules)}]
auto_detect_remappings = false
remappings = [${JSON.stringify(`@openzeppelin/contracts/=${modules}/@openzeppelin/contracts/`)}]
test_failures_file = "cache/test-failures"

[profile.default.lint]
lint_on_build = false

[profile.default.fuzz]
seed = ${JSON.stringify(SEED)}
failure_persist_dir = "cache/fuzz"

[profile.default.invariant]
runs = ${RUNS}
depth = ${DEPTH}
fail_on_revert = false
shrink_run_limit = 0
failure_persist_dir = "cache/invariant"
`,
  );
}

/** Copies `files` to mutants/<name>/, with `mutation` applied. Returns an error message or undefined. */
function writeCopy(name, files, mutation) {
  const dir = join(WORK, "mutants", name);
  for (const file of files) {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    let text = readFileSync(join(ROOT, file), "utf8");
    if (mutation && file === mutation.file) {
      const count = text.split(mutation.find).length - 1;
      if (count !== 1) return `the mutation site occurs ${count} times in ${file} (expected once): the contract changed?`;
      text = text.replace(mutation.find, () => mutation.replace);
    }
    writeFileSync(target, text);
  }
  if (mutation && !files.has(mutation.file)) return `${mutation.file} is not imported by the suite`;
  return undefined;
}

function forge(args) {
  const bin = findForge();
  if (!bin) throw new Error("forge is not installed (npm ci)");
  return spawnSync(bin, args, { cwd: WORK, env: FORGE_ENV, encoding: "utf8", maxBuffer: 1 << 30 });
}

/**
 * Runs every copy's invariant campaigns in one forge process (suites run in parallel); returns, per
 * "<copy>/<suite path>", the results [{ test, status, reason }].
 */
function runAll() {
  const r = forge(["test", "--match-test", "^invariant_", "--json"]);
  const start = r.stdout.indexOf("{");
  if (start < 0) throw new Error(`forge test gave no JSON (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const bySuite = new Map();
  for (const [key, suite] of Object.entries(JSON.parse(r.stdout.slice(start)))) {
    const path = key.slice(0, key.lastIndexOf(":")).replace(/^mutants\//, "");
    const results = Object.entries(suite.test_results).map(([test, t]) => ({
      test: test.replace(/\(.*$/, ""),
      status: t.status,
      reason: t.reason ?? "",
    }));
    bySuite.set(path, [...(bySuite.get(path) ?? []), ...results]);
  }
  return bySuite;
}

// ─── main ────────────────────────────────────────────────────────────────────────────────

function main() {
  const started = Date.now();
  const only = process.argv[2];
  const suites = discoverSuites();
  const problems = [];
  const owner = new Map();
  for (const s of suites) for (const p of s.properties) owner.set(p, s);
  for (const p of owner.keys()) {
    if (!MUTATIONS.some((m) => m.property === p)) problems.push(`${p} (${owner.get(p).path}) has no planted bug`);
  }
  for (const m of MUTATIONS) if (!owner.has(m.property)) problems.push(`planted bug for ${m.property}: no suite checks that property`);

  rmSync(join(WORK, "mutants"), { recursive: true, force: true });
  rmSync(join(WORK, "cache", "invariant"), { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  writeConfig();

  const selected = MUTATIONS.filter((m) => owner.has(m.property) && (!only || m.property === only));
  const copies = [];
  for (const s of suites) {
    writeCopy("control", importClosure(s.path));
    copies.push({ name: "control", suite: s });
  }
  for (const [i, m] of selected.entries()) {
    const suite = owner.get(m.property);
    const name = `${String(i + 1).padStart(2, "0")}-${m.property}`;
    const error = writeCopy(name, importClosure(suite.path), m);
    if (error) problems.push(`${m.property}: ${error}`);
    else copies.push({ name, suite, mutation: m });
  }

  const build = forge(["build"]);
  if (build.status !== 0) {
    console.error(build.stdout + build.stderr);
    console.error("planted bugs: the mutants do not compile");
    process.exit(1);
  }
  const built = Date.now();

  const bySuite = runAll();
  const rows = [];
  for (const c of copies) {
    const results = bySuite.get(`${c.name}/${c.suite.path}`) ?? [];
    if (!c.mutation) {
      const failed = results.filter((r) => r.status !== "Success");
      if (failed.length > 0 || results.length === 0) {
        problems.push(`control ${c.suite.path} must pass unmutated: ${failed.map((r) => `${r.test}: ${r.reason}`).join("; ") || "no invariant ran"}`);
      }
      rows.push(`control  ${c.suite.path}: ${results.map((r) => `${r.test} ${r.status === "Success" ? "passes" : "FAILS"}`).join(", ")}`);
      continue;
    }
    const m = c.mutation;
    const failure = results.find((r) => r.status === "Failure");
    const caught = failure && (failure.reason.startsWith(`${m.property}:`) || failure.test === m.property);
    if (!caught) {
      problems.push(`${m.property}: NOT caught (${failure ? `reported as ${failure.reason}` : "the campaign passed"})`);
    }
    rows.push(`${caught ? "caught " : "MISSED "}  ${m.property}\n         bug: ${m.bug}\n         forge: ${failure ? failure.reason : "passed"}`);
  }

  console.log(rows.join("\n"));
  const caughtCount = rows.filter((r) => r.startsWith("caught")).length;
  const seconds = (ms) => (ms / 1000).toFixed(1);
  console.log(
    `\nplanted bugs: ${caughtCount} of ${selected.length} caught, ${owner.size} properties in ${suites.length} suites ` +
      `(campaigns of ${RUNS} runs x ${DEPTH} calls, seed ${SEED}); build ${seconds(built - started)} s, ` +
      `campaigns ${seconds(Date.now() - built)} s`,
  );
  if (problems.length > 0) {
    console.error(`\n${problems.map((p) => `planted bugs: ${p}`).join("\n")}`);
    process.exit(1);
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) main();
