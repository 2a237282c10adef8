import { flipByte } from "../../helpers/flip";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import hre from "hardhat";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { foundedConsortium, useFixture, digest } from "../../helpers/ledger";
import { deliveredEvidence } from "../../helpers/evidence";
import { freePort } from "../../../scripts/lib/freePort";
import { serveJsonRpc } from "../../helpers/rpcServer";
import * as C from "../../../sdk/src/ledger/actions/custody";

/**
 * docs/verify-with-stock-tools.md, executed: scripts/verify-by-hand.sh checks an evidence item with
 * sha256sum, age, cast and jq only, against this chain served over JSON-RPC.
 */
describe("verifying evidence with stock tools (sha256sum, age, cast, jq)", () => {
  const ledger = useFixture(foundedConsortium);
  let server: Awaited<ReturnType<typeof serveJsonRpc>>;
  let rpc: string;

  beforeAll(async () => {
    server = await serveJsonRpc(hre.network.provider, await freePort());
    rpc = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Runs the script asynchronously: the chain it queries answers from this process's event loop. */
  function byHand(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn("bash", ["scripts/verify-by-hand.sh"], {
        env: { ...process.env, CAST: join(process.cwd(), "node_modules/.bin/cast"), RPC: rpc, FROM_BLOCK: "0", ...env },
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.on("close", (code) => resolve({ code, out }));
    });
  }

  it("passes every check for the delivered evidence after transfers and a re-encryption", async () => {
    const l = ledger();
    const d = await deliveredEvidence(l);
    const env = {
      CUSTODY: d.deployment.contracts.custody,
      EVIDENCE: d.evidenceId,
      FILE: d.plaintext,
      SALT: d.sealed.salt,
      AGE_FILE: d.ageFile,
      IDENTITY: d.identityFile,
    };
    const r = await byHand(env);
    expect(r.out).not.toMatch(/FAIL/);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ok {3}content commitment/);
    expect(r.out).toMatch(/ok {3}payload digest/);
    expect(r.out).toMatch(/ok {3}age file decrypts to the plaintext/);
    expect(r.out).toMatch(/ok {3}entry 2 \(action 4\)/);
    expect(r.out).toMatch(/ok {3}rebuilt head equals the stored head/);

    // One more move: the US re-encrypts (a new payload digest; the commitment stays).
    const newDigest = digest();
    await (await C.recordReencryption(d.client(l.us.agency), { evidenceId: d.evidenceId, newPayloadDigest: newDigest })).wait();
    const after = await byHand({ ...env, AGE_FILE: "" });
    expect(after.code, after.out).toBe(0);
    expect(after.out).toMatch(/entry 3 \(action 5\)/);
  });

  it("fails on a file that is not the evidence, and on a payload that is not the anchored one", async () => {
    const d = await deliveredEvidence(ledger());
    const bytes = readFileSync(d.plaintext);
    flipByte(bytes, 7, 0x20);
    const forged = d.plaintext + ".forged";
    writeFileSync(forged, bytes);
    const r = await byHand({ CUSTODY: d.deployment.contracts.custody, EVIDENCE: d.evidenceId, FILE: forged, SALT: d.sealed.salt });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL content commitment/);
    expect(r.out).toMatch(/ok {3}rebuilt head equals the stored head/);
    const r2 = await byHand({
      CUSTODY: d.deployment.contracts.custody,
      EVIDENCE: d.evidenceId,
      FILE: d.plaintext,
      SALT: d.sealed.salt,
      AGE_FILE: forged,
    });
    expect(r2.code).toBe(1);
    expect(r2.out).toMatch(/FAIL payload digest/);
    expect(r2.out).toMatch(/ok {3}content commitment/);
  });
});
