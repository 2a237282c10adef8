/**
 * Front-running and races in custody. Transactions are put in one block in a chosen order, as a block
 * producer or a front-runner paying a higher priority fee would: Hardhat's mempool orders by fee, then by
 * arrival. Whatever the order, custody moves at most once, only to the offer's recipient, only for the
 * payload digest it holds, and each losing transaction fails with the error that names why (read from the
 * mined transaction's trace).
 */
import { describe, it, expect } from "vitest";
import type { ContractTransactionResponse, Signer } from "ethers";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { ES, MX, US, digest, foundedConsortium, latestTimestamp, offeredEvidence, DAY, useFixture, type Ledger } from "../../helpers/ledger";
import { mineInOneBlock, revertOf } from "./helpers";
import { addr } from "../requests/helpers";
import { ZERO_ADDRESS, expectCustodyChain } from "../custody/helpers";

const ledger = useFixture(foundedConsortium);

const GWEI = 1_000_000_000n;
/** A transaction's fee: the victim pays the usual tip, a front-runner outbids it. */
const VICTIM = { gasLimit: 400_000n, maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: 1n * GWEI };
const FRONT_RUNNER = { ...VICTIM, maxPriorityFeePerGas: 5n * GWEI };
type Fee = typeof VICTIM;

/** Sends each transaction with its fee (default: the victim's), all in one block; receipts in block order. */
const oneBlock = (sends: ((fee: Fee) => Promise<ContractTransactionResponse>)[], fees: Fee[]) =>
  mineInOneBlock(sends.map((send, i) => () => send(fees[i] ?? VICTIM)));

const lower = (s: string) => s.toLowerCase();

const accept = (l: Ledger, e: Offered, by: Signer, held = e.payloadDigest) => (fee: Fee) =>
  l.custody.connect(by).acceptCustody(e.evidenceId, held, fee);
const reject = (l: Ledger, e: Offered, by: Signer) => (fee: Fee) => l.custody.connect(by).rejectCustody(e.evidenceId, digest(), fee);
const cancel = (l: Ledger, e: Offered, by: Signer) => (fee: Fee) => l.custody.connect(by).cancelOffer(e.evidenceId, fee);
type Offered = Awaited<ReturnType<typeof offeredEvidence>>;

describe("front-running an acceptance", () => {
  it("a cancel mined ahead of the recipient's accept keeps custody with the custodian; the accept fails with CustodyNoOffer", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const [first, second] = await oneBlock([accept(l, e, l.us.agency), cancel(l, e, l.mx.agency)], [VICTIM, FRONT_RUNNER]);
    expect([first!.from, first!.status, second!.from]).toEqual([await addr(l.mx.agency), 1, await addr(l.us.agency)]);
    expect((await l.custody.evidence(e.evidenceId)).custodianState).toBe(MX);
    expect(await revertOf(second!)).toEqual({ name: "CustodyNoOffer", args: [lower(e.evidenceId)] });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("a cancel and an offer to a third state mined ahead of the accept: the accept fails with CustodyNotRecipient", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const expiresAt = (await latestTimestamp()) + DAY;
    const reoffer = (fee: Fee) => l.custody.connect(l.mx.agency).offerCustody(e.evidenceId, ES, ZERO_ADDRESS, expiresAt, digest(), fee);
    const receipts = await oneBlock(
      [accept(l, e, l.us.agency), cancel(l, e, l.mx.agency), reoffer],
      [VICTIM, FRONT_RUNNER, FRONT_RUNNER],
    );
    expect(receipts.map((r) => r.status)).toEqual([1, 1, 0]);
    const stored = await l.custody.evidence(e.evidenceId);
    expect([stored.custodianState, stored.offeredToState]).toEqual([MX, ES]);
    expect(await revertOf(receipts[2]!)).toEqual({
      name: "CustodyNotRecipient",
      args: [lower(e.evidenceId), lower(await addr(l.us.agency))],
    });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("a re-encryption slipped in ahead of the accept: the accept, bound to the digest it holds, fails with CustodyPayloadMismatch", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const swapped = digest();
    const expiresAt = (await latestTimestamp()) + DAY;
    const reencrypt = (fee: Fee) => l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, swapped, fee);
    const reoffer = (fee: Fee) => l.custody.connect(l.mx.agency).offerCustody(e.evidenceId, US, ZERO_ADDRESS, expiresAt, digest(), fee);
    const receipts = await oneBlock(
      [accept(l, e, l.us.agency), cancel(l, e, l.mx.agency), reencrypt, reoffer],
      [VICTIM, FRONT_RUNNER, FRONT_RUNNER, FRONT_RUNNER],
    );
    expect(receipts.map((r) => r.status)).toEqual([1, 1, 1, 0]);
    expect((await l.custody.evidence(e.evidenceId)).custodianState).toBe(MX);
    expect(await revertOf(receipts[3]!)).toEqual({
      name: "CustodyPayloadMismatch",
      args: [lower(e.evidenceId), lower(swapped), lower(e.payloadDigest)],
    });
    await expectCustodyChain(l, e.evidenceId);
  });

  it.each(["ahead of", "behind"])("a third state racing %s the recipient's accept cannot take custody (CustodyNotRecipient)", async (where) => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const thief = accept(l, e, l.es.agency);
    const receipts = await oneBlock(
      [accept(l, e, l.us.agency), thief],
      where === "ahead of" ? [VICTIM, FRONT_RUNNER] : [FRONT_RUNNER, VICTIM],
    );
    const thiefAddress = await addr(l.es.agency);
    const byThief = receipts.find((r) => r.from === thiefAddress)!;
    expect((await l.custody.evidence(e.evidenceId)).custodianState).toBe(US);
    // Ahead, the offer is there but not for ES; behind, the US has consumed it.
    expect(await revertOf(byThief)).toEqual(
      where === "ahead of"
        ? { name: "CustodyNotRecipient", args: [lower(e.evidenceId), lower(thiefAddress)] }
        : { name: "CustodyNoOffer", args: [lower(e.evidenceId)] },
    );
    await expectCustodyChain(l, e.evidenceId);
  });
});

describe("offer / cancel / accept / reject races", () => {
  type Move = "accept" | "reject" | "cancel" | "second accept";
  const ORDERS: Move[][] = [
    ["accept", "reject", "cancel"],
    ["accept", "cancel", "reject"],
    ["reject", "accept", "cancel"],
    ["reject", "cancel", "accept"],
    ["cancel", "accept", "reject"],
    ["cancel", "reject", "accept"],
    ["accept", "second accept"],
  ];

  it.each(ORDERS.map((order) => ({ name: order.join(", "), order })))(
    "$name in one block: only the first lands, custody moves at most once",
    async ({ order }) => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const moves: Record<Move, (fee: Fee) => Promise<ContractTransactionResponse>> = {
      accept: accept(l, e, l.us.agency),
      "second accept": accept(l, e, l.us.authority),
      reject: reject(l, e, l.us.authority),
      cancel: cancel(l, e, l.mx.agency),
    };
    // Decreasing tips put the transactions in `order`.
    const fees = order.map((_, i) => ({ ...VICTIM, maxPriorityFeePerGas: BigInt(order.length - i) * GWEI }));
    const receipts = await oneBlock(order.map((m) => moves[m]), fees);
    expect(receipts.map((r) => r.status)).toEqual(order.map((_, i) => (i === 0 ? 1 : 0)));

    const stored = await l.custody.evidence(e.evidenceId);
    expect(stored.custodianState).toBe(order[0] === "accept" ? US : MX);
    expect(stored.offeredToState).toBe("0x0000");
    const heads = await expectCustodyChain(l, e.evidenceId);
    expect(heads.length, "registration, offer and exactly one more entry").toBe(3);
    const actions = (await l.custody.queryFilter(l.custody.filters.CustodyRecorded(e.evidenceId))).map((x) => Number(x.args.action));
    const expected = { accept: CustodyAction.Transferred, reject: CustodyAction.OfferRejected, cancel: CustodyAction.OfferCancelled };
    expect(actions).toEqual([CustodyAction.Offered, expected[order[0] as keyof typeof expected]]);

    // Each loser fails with the error that says why: the offer is gone — or, for the custodian's cancel
    // after an acceptance, so is its custody.
    for (const [i, loser] of order.slice(1).entries()) {
      const error = loser === "cancel" && order[0] === "accept" ? "CustodyNotCustodian" : "CustodyNoOffer";
      expect((await revertOf(receipts[i + 1]!))?.name, loser).toBe(error);
    }
    },
  );
});
