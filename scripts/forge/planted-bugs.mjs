#!/usr/bin/env node
// Shows that each ledger invariant catches a real bug: plants one mutation at a time in the contracts,
// runs the invariant that should catch it, expects it to FAIL, and restores the file (also on Ctrl-C).
//
//   node scripts/forge/planted-bugs.mjs            # all mutations, default forge profile
//
// Not part of `npm test` (each mutation recompiles: ~1 minute apiece); the result is recorded in
// docs/design/invariants.md.
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Each mutation: where, what becomes what, and the invariant expected to catch it. */
const MUTATIONS = [
  {
    name: "lifecycle: a request may be completed without ever being executed (Accepted → Executed)",
    file: "contracts/libraries/RequestLifecycle.sol",
    find: "if (to == RequestStatus.Executed) return _bit(RequestStatus.InExecution);",
    replace: "if (to == RequestStatus.Executed) return _bit(RequestStatus.InExecution) | _bit(RequestStatus.Accepted);",
    invariant: "invariant_statusMovesOnlyAlongTheLifecycleGraph",
  },
  {
    name: "party check dropped: any state's central authority may take a lifecycle step",
    file: "contracts/requests/RequestRegistry.sol",
    find: "if (actorState != party) revert RequestNotParty(requestId, actorState);",
    replace: "party;",
    invariant: "invariant_noAccountChangesAnotherStatesRecord",
  },
  {
    name: "suspension ignored: a suspended state's accounts still pass requireMember",
    file: "contracts/membership/Consortium.sol",
    find: "if (s.status != StateStatus.Active) revert ConsortiumUnexpectedStateStatus(a.state, s.status);\n        return (a.state, s.index);",
    replace: "if (s.status == StateStatus.None) revert ConsortiumUnexpectedStateStatus(a.state, s.status);\n        return (a.state, s.index);",
    invariant: "invariant_suspendedStateChangesNothing",
  },
  {
    name: "accept without the held digest: custody moves whatever digest the recipient presents",
    file: "contracts/custody/EvidenceCustody.sol",
    find: "if (heldPayloadDigest != item.payloadDigest) {",
    replace: "if (heldPayloadDigest == bytes32(uint256(1))) {",
    invariant: "invariant_noCustodyMoveWithoutMatchingOffer",
  },
  {
    name: "head omits a field: the offer's expiry is not hashed into the custody chain",
    file: "contracts/libraries/CustodyChain.sol",
    find: "                    e.digest,\n                    e.expiresAt\n",
    replace: "                    e.digest,\n                    uint40(0)\n",
    invariant: "invariant_storedHeadEqualsHeadRebuiltFromEvents",
  },
  {
    name: "cancelling an offer wipes the custodian instead of the offer",
    file: "contracts/custody/EvidenceCustody.sol",
    find: "        delete item.offer;\n        _record(\n            evidenceId,\n            item,\n            CustodyAction.OfferCancelled,",
    replace: "        delete item.offer;\n        delete item.holder.state;\n        _record(\n            evidenceId,\n            item,\n            CustodyAction.OfferCancelled,",
    invariant: "invariant_liveEvidenceHasExactlyOneCustodian",
  },
];

function run(m) {
  const path = join(root, m.file);
  const original = readFileSync(path, "utf8");
  if (!original.includes(m.find)) return { ...m, outcome: "mutation site not found (contract changed?)" };
  const restore = () => writeFileSync(path, original);
  process.once("SIGINT", () => (restore(), process.exit(130)));
  try {
    writeFileSync(path, original.replace(m.find, m.replace));
    rmSync(join(root, "forge-cache", "invariant"), { recursive: true, force: true });
    const r = spawnSync(
      process.execPath,
      [join(root, "scripts/forge/run.mjs"), "test", "--match-path", "test/invariants/ledger/*", "--match-test", m.invariant],
      { cwd: root, encoding: "utf8" },
    );
    const out = r.stdout + r.stderr;
    const failed = out.includes(`[FAIL`) && out.includes(m.invariant);
    const reason = /\[FAIL: ([^\]]*)\]/.exec(out)?.[1] ?? "";
    return { ...m, outcome: failed ? `caught: ${reason}` : `NOT caught (exit ${r.status})` };
  } finally {
    restore();
    rmSync(join(root, "forge-cache", "invariant"), { recursive: true, force: true });
  }
}

let missed = 0;
const only = process.argv[2];
for (const m of MUTATIONS.filter((x) => !only || x.invariant === only)) {
  process.stderr.write(`planting: ${m.name}\n`);
  const r = run(m);
  if (!r.outcome.startsWith("caught")) missed++;
  console.log(`${r.invariant}\n  bug: ${r.name}\n  ${r.outcome}\n`);
}
process.exit(missed === 0 ? 0 : 1);
