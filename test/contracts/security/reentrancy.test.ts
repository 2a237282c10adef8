/**
 * Reentrancy. The ledger contracts make no external call that can change state: their only calls are
 * STATICCALLs to the consortium, treaty and request registries fixed at deployment (immutable), and none of
 * those calls out either — so no ledger function can be re-entered, whatever an attacker deploys. The
 * first test proves it on the deployed bytecode. The one contract that calls an untrusted address is the
 * forwarder (it calls whatever target a signer names); the second shows that re-entering it gains nothing:
 * the nonce is spent before the call, so the request being executed cannot be replayed from inside it.
 */
import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { getBytes } from "ethers";
import { ReentrantRelayTarget__factory } from "../../../typechain-types";
import { digest, foundedConsortium, submittedRequest, useFixture } from "../../helpers/ledger";
import { decodeRevert } from "../../helpers/reverts";
import { addr, emitted, fields } from "../requests/helpers";
import { forExecute, signRequest } from "../relay/helpers";

const ledger = useFixture(foundedConsortium);

const OPCODES = { CREATE: 0xf0, CALL: 0xf1, CALLCODE: 0xf2, DELEGATECALL: 0xf4, CREATE2: 0xf5, STATICCALL: 0xfa, SELFDESTRUCT: 0xff };
type OpcodeName = keyof typeof OPCODES;

/**
 * How often each opcode of interest occurs in runtime `code`, reading instructions (PUSH data skipped) and
 * leaving out the CBOR metadata solc appends (its length is in the last two bytes).
 */
export function countOpcodes(code: string): Record<OpcodeName, number> {
  const bytes = getBytes(code);
  const metadata = (bytes[bytes.length - 2]! << 8) + bytes[bytes.length - 1]! + 2;
  const end = bytes.length - metadata;
  const counts = Object.fromEntries(Object.keys(OPCODES).map((k) => [k, 0])) as Record<OpcodeName, number>;
  const byValue = new Map(Object.entries(OPCODES).map(([k, v]) => [v, k as OpcodeName]));
  for (let pc = 0; pc < end; pc++) {
    const op = bytes[pc]!;
    const name = byValue.get(op);
    if (name) counts[name]++;
    if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f; // PUSH1..PUSH32 carry 1..32 bytes of data
  }
  return counts;
}

describe("reentrancy", () => {
  it("is impossible into the ledger: no ledger contract has CALL, CALLCODE, DELEGATECALL, CREATE, CREATE2 or SELFDESTRUCT in its code", async () => {
    const l = ledger();
    const contracts = { consortium: l.consortium, treaties: l.treaties, requests: l.requests, custody: l.custody, anchors: l.anchors };
    for (const [name, contract] of Object.entries(contracts)) {
      const counts = countOpcodes(await hre.ethers.provider.getCode(await contract.getAddress()));
      expect({ name, ...counts, STATICCALL: undefined }).toEqual({
        name,
        CREATE: 0,
        CALL: 0,
        CALLCODE: 0,
        DELEGATECALL: 0,
        CREATE2: 0,
        SELFDESTRUCT: 0,
        STATICCALL: undefined,
      });
      // The registries do call out — read-only, to contracts fixed at deployment:
      if (name !== "consortium") expect(counts.STATICCALL, name).toBeGreaterThan(0);
    }
    expect(await l.treaties.consortium()).toBe(await l.consortium.getAddress());
    expect(await l.requests.consortium()).toBe(await l.consortium.getAddress());
    expect(await l.requests.treaties()).toBe(await l.treaties.getAddress());
    expect(await l.custody.requests()).toBe(await l.requests.getAddress());
    expect(await l.anchors.consortium()).toBe(await l.consortium.getAddress());
  });

  it("is seen by the same scan in the forwarder, which does call untrusted targets", async () => {
    const l = ledger();
    const counts = countOpcodes(await hre.ethers.provider.getCode(await l.forwarder.getAddress()));
    expect(counts.CALL).toBeGreaterThan(0);
  });

  it("through the forwarder cannot replay the request being executed: its nonce is spent before the call", async () => {
    const l = ledger();
    const hostile = await new ReentrantRelayTarget__factory(l.strangers[0]!).deploy(await l.forwarder.getAddress());
    await hostile.waitForDeployment();
    const { requestId } = await submittedRequest(l);
    // The lure: MX's agency signs a request to the hostile target (anyone may sign to any target).
    const lure = await signRequest(l, {
      signer: l.mx.agency,
      to: await hostile.getAddress(),
      data: hostile.interface.encodeFunctionData("strike"),
    });
    // What the target will re-enter with: the lure itself, then a real ledger action signed by MX's
    // authority, then that action again.
    const acknowledge = await signRequest(l, {
      signer: l.mx.authority,
      to: await l.requests.getAddress(),
      data: l.requests.interface.encodeFunctionData("acknowledge", [requestId, digest()]),
    });
    await (await hostile.arm([lure, acknowledge, acknowledge].map(forExecute))).wait();

    const tx = await l.forwarder.connect(l.mx.gateway).execute(forExecute(lure));
    const executed = await emitted(tx, l.forwarder, l.forwarder.getEvent("ExecutedForwardRequest"));
    // Inner executions are emitted first (they finish first).
    expect(executed.map(fields)).toEqual([
      { signer: await addr(l.mx.authority), nonce: 0, success: true },
      { signer: await addr(l.mx.agency), nonce: 0, success: true },
    ]);
    const [succeeded, reasons] = await hostile.outcomes();
    expect(succeeded).toEqual([false, true, false]);
    expect(decodeRevert({ data: reasons[0] })?.name).toBe("ERC2771ForwarderInvalidSigner");
    expect(decodeRevert({ data: reasons[2] })?.name).toBe("ERC2771ForwarderInvalidSigner");
    // The ledger saw the acknowledgement exactly once, by MX's authority.
    const changes = await emitted(tx, l.requests, l.requests.getEvent("RequestStatusChanged"));
    expect(changes.map((e) => e.actor)).toEqual([await addr(l.mx.authority)]);
    expect(await l.forwarder.nonces(await addr(l.mx.agency))).toBe(1n);
    expect(await l.forwarder.nonces(await addr(l.mx.authority))).toBe(1n);
  });
});
