/** What the custodian records without moving custody: a re-encryption, and the final disposition. */
import { describe, it, expect } from "vitest";
import type { ContractTransactionResponse } from "ethers";
import {
  DAY,
  MX,
  US,
  digest,
  foundedConsortium,
  offeredEvidence,
  randomId,
  registeredEvidence,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { addr, fields, mineAt, onlyEvent } from "../requests/helpers";
import { ZERO_ADDRESS, ZERO_HASH, ZERO_STATE, evidenceHeldByUs, expectCustodyChain, offer } from "./helpers";

const ledger = useFixture(foundedConsortium);

describe("EvidenceCustody.recordReencryption", () => {
  it("records the new payload digest, keeps the content commitment and emits CustodyRecorded (Reencrypted)", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const newDigest = digest();
    const ev = await onlyEvent(
      l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, newDigest),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(ev)).toEqual({
      evidenceId: e.evidenceId,
      sequence: 1,
      action: CustodyAction.Reencrypted,
      actorState: MX,
      actor: await addr(l.mx.agency),
      counterpartState: ZERO_STATE,
      counterpartAccount: ZERO_ADDRESS,
      digest: newDigest,
      expiresAt: 0,
      head: stored.head,
    });
    expect(fields(stored)).toMatchObject({
      payloadDigest: newDigest,
      contentCommitment: e.contentCommitment,
      custodianState: MX,
    });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("makes the recipient present the new payload digest, not the old one", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const newDigest = digest();
    await (await l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, newDigest)).wait();
    await offer(l, e.evidenceId);
    await expectRevert(
      l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest),
      "CustodyPayloadMismatch",
      [e.evidenceId, newDigest, e.payloadDigest],
    );
    await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, newDigest)).wait();
    await expectCustodyChain(l, e.evidenceId);
  });

  it("is recorded by the current custodian only, after a transfer", async () => {
    const l = ledger();
    const e = await evidenceHeldByUs(l);
    await expectRevert(l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, digest()), "CustodyNotCustodian", [
      e.evidenceId,
      await addr(l.mx.agency),
    ]);
    await (await l.custody.connect(l.us.authority).recordReencryption(e.evidenceId, digest())).wait();
    await expectCustodyChain(l, e.evidenceId);
  });

  it("refuses while an offer is pending with CustodyOfferPending", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await expectRevert(l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, digest()), "CustodyOfferPending", [
      e.evidenceId,
      US,
      e.expiresAt,
    ]);
  });

  it("is not blocked by an expired offer", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await mineAt(e.expiresAt + 1);
    const newDigest = digest();
    await (await l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, newDigest)).wait();
    expect((await l.custody.evidence(e.evidenceId)).payloadDigest).toBe(newDigest);
  });

  it("refuses the same or a zero payload digest with EvidenceInvalidDigest", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    for (const same of [e.payloadDigest, ZERO_HASH]) {
      await expectRevert(l.custody.connect(l.mx.agency).recordReencryption(e.evidenceId, same), "EvidenceInvalidDigest", [
        e.evidenceId,
      ]);
    }
  });

  it("refuses another state with CustodyNotCustodian", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await expectRevert(l.custody.connect(l.es.agency).recordReencryption(e.evidenceId, digest()), "CustodyNotCustodian", [
      e.evidenceId,
      await addr(l.es.agency),
    ]);
  });

  it("refuses an unknown evidence id with EvidenceUnknown", async () => {
    const l = ledger();
    const evidenceId = randomId();
    await expectRevert(l.custody.connect(l.mx.agency).recordReencryption(evidenceId, digest()), "EvidenceUnknown", [
      evidenceId,
    ]);
  });
});

const FINAL = [CustodyAction.Returned, CustodyAction.Destroyed, CustodyAction.Released] as const;
const NOT_FINAL = [
  CustodyAction.None,
  CustodyAction.Offered,
  CustodyAction.OfferCancelled,
  CustodyAction.OfferRejected,
  CustodyAction.Transferred,
  CustodyAction.Reencrypted,
] as const;

describe("EvidenceCustody.dispose", () => {
  for (const disposition of FINAL) {
    it(`records ${CustodyAction[disposition]} as the final disposition`, async () => {
      const l = ledger();
      const e = await evidenceHeldByUs(l);
      const documentDigest = digest();
      const ev = await onlyEvent(
        l.custody.connect(l.us.agency).dispose(e.evidenceId, disposition, documentDigest),
        l.custody,
        l.custody.getEvent("CustodyRecorded"),
      );
      const stored = await l.custody.evidence(e.evidenceId);
      expect(fields(ev)).toEqual({
        evidenceId: e.evidenceId,
        sequence: 3,
        action: disposition,
        actorState: US,
        actor: await addr(l.us.agency),
        counterpartState: ZERO_STATE,
        counterpartAccount: ZERO_ADDRESS,
        digest: documentDigest,
        expiresAt: 0,
        head: stored.head,
      });
      expect(fields(stored)).toMatchObject({ disposition, custodianState: US, payloadDigest: e.payloadDigest });
      await expectCustodyChain(l, e.evidenceId);
    });
  }

  for (const action of NOT_FINAL) {
    it(`refuses ${CustodyAction[action]} as a disposition with CustodyInvalidDisposition`, async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await expectRevert(l.custody.connect(l.mx.agency).dispose(e.evidenceId, action, digest()), "CustodyInvalidDisposition", [
        action,
      ]);
    });
  }

  it("refuses while an offer is pending with CustodyOfferPending", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await expectRevert(
      l.custody.connect(l.mx.agency).dispose(e.evidenceId, CustodyAction.Destroyed, digest()),
      "CustodyOfferPending",
      [e.evidenceId, US, e.expiresAt],
    );
  });

  it("clears an expired offer", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await mineAt(e.expiresAt + DAY);
    await (await l.custody.connect(l.mx.agency).dispose(e.evidenceId, CustodyAction.Destroyed, digest())).wait();
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(stored)).toMatchObject({ offeredToState: ZERO_STATE, offerExpiresAt: 0, disposition: CustodyAction.Destroyed });
  });

  it("refuses a state that does not hold custody with CustodyNotCustodian", async () => {
    const l = ledger();
    const e = await evidenceHeldByUs(l);
    await expectRevert(
      l.custody.connect(l.mx.authority).dispose(e.evidenceId, CustodyAction.Returned, digest()),
      "CustodyNotCustodian",
      [e.evidenceId, await addr(l.mx.authority)],
    );
  });

  it("refuses an unknown evidence id with EvidenceUnknown", async () => {
    const l = ledger();
    const evidenceId = randomId();
    await expectRevert(
      l.custody.connect(l.mx.agency).dispose(evidenceId, CustodyAction.Destroyed, digest()),
      "EvidenceUnknown",
      [evidenceId],
    );
  });

  describe("after disposal", () => {
    const afterDisposal: [string, (l: Ledger, id: string, payload: string) => Promise<ContractTransactionResponse>][] = [
      ["offerCustody", async (l, id) => l.custody.connect(l.us.agency).offerCustody(id, MX, ZERO_ADDRESS, 4_000_000_000, digest())],
      ["acceptCustody", (l, id, payload) => l.custody.connect(l.mx.agency).acceptCustody(id, payload)],
      ["rejectCustody", (l, id) => l.custody.connect(l.mx.agency).rejectCustody(id, digest())],
      ["cancelOffer", (l, id) => l.custody.connect(l.us.agency).cancelOffer(id)],
      ["recordReencryption", (l, id) => l.custody.connect(l.us.agency).recordReencryption(id, digest())],
      ["dispose", (l, id) => l.custody.connect(l.us.agency).dispose(id, CustodyAction.Released, digest())],
    ];
    for (const [fn, send] of afterDisposal) {
      it(`refuses ${fn} with CustodyDisposed`, async () => {
        const l = ledger();
        const e = await evidenceHeldByUs(l);
        await (await l.custody.connect(l.us.agency).dispose(e.evidenceId, CustodyAction.Returned, digest())).wait();
        const before = await l.custody.evidence(e.evidenceId);
        await expectRevert(send(l, e.evidenceId, e.payloadDigest), "CustodyDisposed", [
          e.evidenceId,
          CustodyAction.Returned,
        ]);
        expect((await l.custody.evidence(e.evidenceId)).head).toBe(before.head);
      });
    }
  });
});
