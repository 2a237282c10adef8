/**
 * The custody-chain head rebuilt off-chain from events alone (custodyChain.ts) equals the head each event
 * carries, the contract's `nextHead`, and the head stored, at every step of a long history.
 */
import { describe, it, expect } from "vitest";
import hre from "hardhat";
import { hexlify, randomBytes } from "ethers";
import {
  DAY,
  ES,
  MX,
  US,
  digest,
  foundedConsortium,
  randomId,
  registeredEvidence,
  useFixture,
} from "../../helpers/ledger";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { addr, mineAt } from "../requests/helpers";
import { genesisHead, nextHead, replayHeads, type Recorded } from "./custodyChain";
import { ZERO_ADDRESS, custodyHistory, entryOf, expectCustodyChain, offer } from "./helpers";

const ledger = useFixture(foundedConsortium);

describe("EvidenceCustody custody chain", () => {
  it("rebuilds every head from events alone along a long history", async () => {
    const l = ledger();
    const e = await registeredEvidence(l, await addr(l.mx.agency));
    const steps: [string, () => Promise<unknown>][] = [
      ["offer to the US", () => offer(l, e.evidenceId)],
      ["US rejects", async () => (await l.custody.connect(l.us.authority).rejectCustody(e.evidenceId, digest())).wait()],
      ["offer to the US agency", async () => offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) })],
      ["MX cancels", async () => (await l.custody.connect(l.mx.authority).cancelOffer(e.evidenceId)).wait()],
      ["MX re-encrypts", async () => (await l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, digest())).wait()],
      ["offer to the US again", async () => offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) })],
      [
        "US agency accepts",
        async () => {
          const { payloadDigest } = await l.custody.evidence(e.evidenceId);
          await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, payloadDigest)).wait();
        },
      ],
      ["US offers to ES", async () => offer(l, e.evidenceId, { by: l.us.agency, toState: ES })],
      [
        "the offer expires and US cancels it",
        async () => {
          const { offerExpiresAt } = await l.custody.evidence(e.evidenceId);
          await mineAt(Number(offerExpiresAt) + 1);
          await (await l.custody.connect(l.us.authority).cancelOffer(e.evidenceId)).wait();
        },
      ],
      ["US re-encrypts for ES", async () => (await l.custody.connect(l.us.agency).recordReencryption(e.evidenceId, digest())).wait()],
      ["US offers to ES again", async () => offer(l, e.evidenceId, { by: l.us.authority, toState: ES })],
      [
        "ES accepts",
        async () => {
          const { payloadDigest } = await l.custody.evidence(e.evidenceId);
          await (await l.custody.connect(l.es.agency).acceptCustody(e.evidenceId, payloadDigest)).wait();
        },
      ],
      ["ES releases", async () => (await l.custody.connect(l.es.authority).dispose(e.evidenceId, CustodyAction.Released, digest())).wait()],
    ];
    let heads = await expectCustodyChain(l, e.evidenceId);
    for (const [name, step] of steps) {
      await step();
      const next = await expectCustodyChain(l, e.evidenceId);
      expect(next.slice(0, heads.length), `history kept after "${name}"`).toEqual(heads);
      expect(next.length, `one entry for "${name}"`).toBe(heads.length + 1);
      heads = next;
    }
    expect(new Set(heads).size).toBe(heads.length);
    const { recorded } = await custodyHistory(l, e.evidenceId);
    expect(recorded.map((r) => Number(r.action))).toEqual([
      CustodyAction.Offered,
      CustodyAction.OfferRejected,
      CustodyAction.Offered,
      CustodyAction.OfferCancelled,
      CustodyAction.Reencrypted,
      CustodyAction.Offered,
      CustodyAction.Transferred,
      CustodyAction.Offered,
      CustodyAction.OfferCancelled,
      CustodyAction.Reencrypted,
      CustodyAction.Offered,
      CustodyAction.Transferred,
      CustodyAction.Released,
    ]);
    const stored = await l.custody.evidence(e.evidenceId);
    expect([stored.custodianState, stored.contentCommitment]).toEqual([ES, e.contentCommitment]);
  });

  it("binds head_0 to the chain id and the custody contract", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const { registered } = await custodyHistory(l, e.evidenceId);
    const { chainId } = await hre.ethers.provider.getNetwork();
    const custody = await l.custody.getAddress();
    expect(genesisHead(chainId, custody, registered)).toBe(registered.head);
    expect(genesisHead(chainId + 1n, custody, registered)).not.toBe(registered.head);
    expect(genesisHead(chainId, await l.requests.getAddress(), registered)).not.toBe(registered.head);
  });

  it("detects an altered or missing event", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await offer(l, e.evidenceId);
    await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest)).wait();
    const { chainId } = await hre.ethers.provider.getNetwork();
    const custody = await l.custody.getAddress();
    const { registered, recorded } = await custodyHistory(l, e.evidenceId);
    const entries = recorded.map(entryOf);
    const stored = (await l.custody.evidence(e.evidenceId)).head;
    expect(replayHeads(chainId, custody, registered, entries).at(-1)).toBe(stored);
    const altered = entries.map((x, i) => (i === 0 ? { ...x, counterpartState: ES } : x));
    expect(replayHeads(chainId, custody, registered, altered).at(-1)).not.toBe(stored);
    expect(() => replayHeads(chainId, custody, registered, entries.slice(1))).toThrow(/sequence/);
  });
});

describe("EvidenceCustody.nextHead", () => {
  const randomEntry = (): Recorded => ({
    sequence: BigInt(hexlify(randomBytes(8))),
    action: Math.floor(Math.random() * 9),
    actorState: [US, MX, ES][Math.floor(Math.random() * 3)]!,
    actor: hre.ethers.getAddress(hexlify(randomBytes(20))),
    counterpartState: [US, MX, ES, "0x0000"][Math.floor(Math.random() * 4)]!,
    counterpartAccount: hre.ethers.getAddress(hexlify(randomBytes(20))),
    digest: randomId(),
    expiresAt: BigInt(hexlify(randomBytes(5))),
  });

  it("equals the off-chain formula on random entries and extreme values", async () => {
    const l = ledger();
    const entries: Recorded[] = [
      ...Array.from({ length: 16 }, randomEntry),
      {
        sequence: 2n ** 64n - 1n,
        action: CustodyAction.Released,
        actorState: "0xffff",
        actor: "0x" + "ff".repeat(20),
        counterpartState: "0xffff",
        counterpartAccount: "0x" + "ff".repeat(20),
        digest: "0x" + "ff".repeat(32),
        expiresAt: 2n ** 40n - 1n,
      },
      {
        sequence: 0,
        action: CustodyAction.None,
        actorState: "0x0000",
        actor: ZERO_ADDRESS,
        counterpartState: "0x0000",
        counterpartAccount: ZERO_ADDRESS,
        digest: hre.ethers.ZeroHash,
        expiresAt: 0,
      },
    ];
    for (const entry of entries) {
      const previous = randomId();
      expect(await l.custody.nextHead(previous, entry)).toBe(nextHead(previous, entry));
    }
  });

  it("depends on every field of the entry", async () => {
    const l = ledger();
    const base: Recorded = {
      sequence: 1,
      action: CustodyAction.Offered,
      actorState: MX,
      actor: await addr(l.mx.agency),
      counterpartState: US,
      counterpartAccount: ZERO_ADDRESS,
      digest: digest(),
      expiresAt: DAY,
    };
    const previous = randomId();
    const head = await l.custody.nextHead(previous, base);
    const variants: Partial<Recorded>[] = [
      { sequence: 2 },
      { action: CustodyAction.Transferred },
      { actorState: ES },
      { actor: await addr(l.mx.authority) },
      { counterpartState: ES },
      { counterpartAccount: await addr(l.us.agency) },
      { digest: digest() },
      { expiresAt: DAY + 1 },
    ];
    for (const v of variants) expect(await l.custody.nextHead(previous, { ...base, ...v })).not.toBe(head);
    expect(await l.custody.nextHead(randomId(), base)).not.toBe(head);
  });
});
