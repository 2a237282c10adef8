import { flipByte } from "../../helpers/flip";
import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { foundedConsortium, useFixture, digest } from "../../helpers/ledger";
import { deliveredEvidence, evidenceDir as dir } from "../../helpers/evidence";
import * as C from "../../../sdk/src/ledger/actions/custody";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { verifyEvidence } from "../../../sdk/src/verify/verifyEvidence";
import { parseBundle, type VerificationBundle } from "../../../sdk/src/verify/bundle";

const verdicts = (r: { checks: { id: string; verdict: string }[] }) =>
  Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));

describe("verifyEvidence", () => {
  const ledger = useFixture(foundedConsortium);
  const provider = () => hre.ethers.provider;

  it("verifies the delivered plaintext against a bundle and the chain: every check passes", async () => {
    const d = await deliveredEvidence(ledger());
    const bundle = parseBundle(JSON.parse(JSON.stringify(d.bundle)));
    const r = await verifyEvidence({ file: d.plaintext, bundle, provider: provider() });
    expect(verdicts(r)).toEqual({
      "content-commitment": "pass",
      "payload-digest": "skip",
      "anchor-location": "pass",
      "custody-chain": "pass",
      "custody-head": "pass",
      custodian: "pass",
      request: "pass",
    });
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.id === "custodian")!.reason).toMatch(/held by US/);
    expect(r.checks.find((c) => c.id === "request")!.reason).toMatch(/US → MX, InExecution/);
  });

  it("verifies the age payload by its digest, and from the chain alone without a bundle", async () => {
    const d = await deliveredEvidence(ledger());
    const onChain = await verifyEvidence({ file: d.ageFile, evidenceId: d.evidenceId, provider: provider(), deployment: d.deployment });
    expect(verdicts(onChain)["payload-digest"]).toBe("pass");
    expect(onChain.ok).toBe(true);
    const plain = await verifyEvidence({ file: d.plaintext, evidenceId: d.evidenceId, provider: provider(), deployment: d.deployment, salt: d.sealed.salt });
    expect(verdicts(plain)["content-commitment"]).toBe("pass");
    const noSalt = await verifyEvidence({ file: d.plaintext, evidenceId: d.evidenceId, provider: provider(), deployment: d.deployment });
    expect(verdicts(noSalt)["content-commitment"]).toBe("skip");
    expect(noSalt.ok).toBe(false);
  });

  it("checks a bundle offline, saying what it could not check", async () => {
    const d = await deliveredEvidence(ledger());
    const r = await verifyEvidence({ file: d.plaintext, bundle: d.bundle });
    expect(verdicts(r)).toMatchObject({ "content-commitment": "pass", "anchor-location": "skip", "custody-head": "skip", request: "skip" });
    expect(r.ok).toBe(true);
  });

  it("fails a file that is not the evidence (one byte changed)", async () => {
    const d = await deliveredEvidence(ledger());
    const bytes = readFileSync(d.plaintext);
    flipByte(bytes, 100);
    const altered = join(dir, "altered.img");
    writeFileSync(altered, bytes);
    const r = await verifyEvidence({ file: altered, bundle: d.bundle, provider: provider() });
    expect(verdicts(r)["content-commitment"]).toBe("fail");
    expect(r.ok).toBe(false);
    const ageBytes = readFileSync(d.ageFile);
    flipByte(ageBytes, -5);
    writeFileSync(altered + ".age", ageBytes);
    const r2 = await verifyEvidence({ file: altered + ".age", bundle: d.bundle, provider: provider() });
    expect(verdicts(r2)["payload-digest"]).toBe("fail");
  });

  it("reports an anchor from another chain, another contract or another block as a mismatch", async () => {
    const d = await deliveredEvidence(ledger());
    const variants: [string, (b: VerificationBundle) => VerificationBundle, RegExp][] = [
      ["chain", (b) => ({ ...b, chainId: 1 }), /anchored on chain 1/],
      ["contract", (b) => ({ ...b, contracts: { ...b.contracts, custody: b.contracts.requests } }), /not what contract|registration: head/],
      ["block", (b) => ({ ...b, events: b.events.map((e, i) => (i === 0 ? { ...e, blockNumber: e.blockNumber + 1 } : e)) }), /not block/],
    ];
    for (const [what, alter, reason] of variants) {
      const r = await verifyEvidence({ file: d.plaintext, bundle: alter(d.bundle), provider: provider() });
      expect(r.ok, what).toBe(false);
      const failed = r.checks.filter((c) => c.verdict === "fail").map((c) => c.reason).join("\n");
      expect(failed, what).toMatch(reason);
    }
  });

  it("fails an outdated bundle once custody moved on, and an altered event", async () => {
    const l = ledger();
    const d = await deliveredEvidence(l);
    await (await C.disposeEvidence(d.client(l.us.agency), { evidenceId: d.evidenceId, disposition: CustodyAction.Returned, documentDigest: digest() })).wait();
    const r = await verifyEvidence({ file: d.plaintext, bundle: d.bundle, provider: provider() });
    expect(verdicts(r)["custody-head"]).toBe("fail");
    const altered = { ...d.bundle, events: d.bundle.events.map((e, i) => (i === 2 ? { ...e, args: { ...e.args, digest: digest() } } : e)) };
    const r2 = await verifyEvidence({ file: d.plaintext, bundle: altered });
    expect(verdicts(r2)["custody-chain"]).toBe("fail");
  });
});
