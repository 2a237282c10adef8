/** The second phase of a custody transfer: the recipient accepts or rejects, the offerer cancels. */
import { describe, it, expect } from "vitest";
import {
  DAY,
  ES,
  MX,
  US,
  digest,
  foundedConsortium,
  offeredEvidence,
  randomId,
  registeredEvidence,
  useFixture,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, fields, mineAt, onlyEvent } from "../requests/helpers";
import { ZERO_ADDRESS, ZERO_HASH, ZERO_STATE, addAccount, expectCustodyChain, offer } from "./helpers";

const ledger = useFixture(foundedConsortium);

describe("EvidenceCustody.acceptCustody", () => {
  it("moves custody to the recipient state and emits CustodyRecorded (Transferred)", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const ev = await onlyEvent(
      l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(ev)).toEqual({
      evidenceId: e.evidenceId,
      sequence: 2,
      action: CustodyAction.Transferred,
      actorState: US,
      actor: await addr(l.us.agency),
      counterpartState: MX,
      counterpartAccount: ZERO_ADDRESS,
      digest: e.payloadDigest,
      expiresAt: 0,
      head: stored.head,
    });
    expect(fields(stored)).toMatchObject({
      custodianState: US,
      custodianAccount: ZERO_ADDRESS,
      offeredToState: ZERO_STATE,
      offeredToAccount: ZERO_ADDRESS,
      offerExpiresAt: 0,
      payloadDigest: e.payloadDigest,
      contentCommitment: e.contentCommitment,
      disposition: CustodyAction.None,
    });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("accepts up to the offer's expiry, inclusive", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await atNextBlock(e.expiresAt);
    await (await l.custody.connect(l.us.authority).acceptCustody(e.evidenceId, e.payloadDigest)).wait();
    expect((await l.custody.evidence(e.evidenceId)).custodianState).toBe(US);
  });

  it("hands custody to the previous custodian's account as counterpart", async () => {
    const l = ledger();
    const e = await registeredEvidence(l, await addr(l.mx.agency));
    await offer(l, e.evidenceId, { toState: ES });
    const ev = await onlyEvent(
      l.custody.connect(l.es.agency).acceptCustody(e.evidenceId, e.payloadDigest),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    expect([ev.counterpartState, ev.counterpartAccount]).toEqual([MX, await addr(l.mx.agency)]);
  });

  it("refuses a payload digest other than the anchored one with CustodyPayloadMismatch", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const presented = digest();
    await expectRevert(
      l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, presented),
      "CustodyPayloadMismatch",
      [e.evidenceId, e.payloadDigest, presented],
    );
    await expectRevert(
      l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.contentCommitment),
      "CustodyPayloadMismatch",
      [e.evidenceId, e.payloadDigest, e.contentCommitment],
    );
  });

  it("refuses an expired offer with CustodyOfferExpired", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await mineAt(e.expiresAt + 1);
    await expectRevert(
      l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest),
      "CustodyOfferExpired",
      [e.evidenceId, e.expiresAt],
    );
  });

  it("refuses when nothing is offered with CustodyNoOffer", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await expectRevert(l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest), "CustodyNoOffer", [
      e.evidenceId,
    ]);
  });

  it("refuses a second acceptance: the offer is consumed", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest)).wait();
    await expectRevert(
      l.custody.connect(l.us.authority).acceptCustody(e.evidenceId, e.payloadDigest),
      "CustodyNoOffer",
      [e.evidenceId],
    );
  });

  it("refuses another state, the offering one included, with CustodyNotRecipient", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    for (const s of [l.es.agency, l.es.authority, l.mx.agency, l.mx.authority]) {
      await expectRevert(l.custody.connect(s).acceptCustody(e.evidenceId, e.payloadDigest), "CustodyNotRecipient", [
        e.evidenceId,
        await addr(s),
      ]);
    }
  });

  it("refuses the recipient state's gateway with ConsortiumUnauthorizedAccount", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await expectRevert(
      l.custody.connect(l.us.gateway).acceptCustody(e.evidenceId, e.payloadDigest),
      "ConsortiumUnauthorizedAccount",
      [await addr(l.us.gateway), 3],
    );
  });

  describe("an offer to one account", () => {
    it("is accepted by that account, which becomes the custodian account", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
      await (await l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest)).wait();
      const stored = await l.custody.evidence(e.evidenceId);
      expect([stored.custodianState, stored.custodianAccount]).toEqual([US, await addr(l.us.agency)]);
      await expectCustodyChain(l, e.evidenceId);
    });

    it("is accepted by the state's central authority on the account's behalf", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
      const ev = await onlyEvent(
        l.custody.connect(l.us.authority).acceptCustody(e.evidenceId, e.payloadDigest),
        l.custody,
        l.custody.getEvent("CustodyRecorded"),
      );
      expect(ev.actor).toBe(await addr(l.us.authority));
      expect((await l.custody.evidence(e.evidenceId)).custodianAccount).toBe(await addr(l.us.agency));
    });

    it("is refused to another agency of the same state with CustodyNotRecipient", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      const colleague = await addAccount(l, l.us, l.strangers[0]!, 2);
      await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
      await expectRevert(
        l.custody.connect(colleague).acceptCustody(e.evidenceId, e.payloadDigest),
        "CustodyNotRecipient",
        [e.evidenceId, await addr(colleague)],
      );
    });
  });

  it("refuses an unknown evidence id with EvidenceUnknown", async () => {
    const l = ledger();
    const evidenceId = randomId();
    await expectRevert(l.custody.connect(l.us.agency).acceptCustody(evidenceId, digest()), "EvidenceUnknown", [
      evidenceId,
    ]);
  });
});

describe("EvidenceCustody.rejectCustody", () => {
  it("clears the offer, keeps the custodian and emits CustodyRecorded (OfferRejected)", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    const documentDigest = digest();
    const ev = await onlyEvent(
      l.custody.connect(l.us.authority).rejectCustody(e.evidenceId, documentDigest),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(ev)).toEqual({
      evidenceId: e.evidenceId,
      sequence: 2,
      action: CustodyAction.OfferRejected,
      actorState: US,
      actor: await addr(l.us.authority),
      counterpartState: MX,
      counterpartAccount: ZERO_ADDRESS,
      digest: documentDigest,
      expiresAt: 0,
      head: stored.head,
    });
    expect(fields(stored)).toMatchObject({ custodianState: MX, offeredToState: ZERO_STATE, offerExpiresAt: 0 });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("lets the custodian offer again after a rejection", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await (await l.custody.connect(l.us.agency).rejectCustody(e.evidenceId, digest())).wait();
    await offer(l, e.evidenceId, { toState: ES });
    expect((await l.custody.evidence(e.evidenceId)).offeredToState).toBe(ES);
    await expectCustodyChain(l, e.evidenceId);
  });

  it("refuses an expired offer with CustodyOfferExpired", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await mineAt(e.expiresAt + 1);
    await expectRevert(l.custody.connect(l.us.agency).rejectCustody(e.evidenceId, digest()), "CustodyOfferExpired", [
      e.evidenceId,
      e.expiresAt,
    ]);
  });

  it("refuses when nothing is offered with CustodyNoOffer", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await expectRevert(l.custody.connect(l.us.agency).rejectCustody(e.evidenceId, digest()), "CustodyNoOffer", [
      e.evidenceId,
    ]);
  });

  it("refuses anyone but the recipient with CustodyNotRecipient", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
    const colleague = await addAccount(l, l.us, l.strangers[0]!, 2);
    for (const s of [l.mx.agency, l.es.authority, colleague]) {
      await expectRevert(l.custody.connect(s).rejectCustody(e.evidenceId, digest()), "CustodyNotRecipient", [
        e.evidenceId,
        await addr(s),
      ]);
    }
  });
});

describe("EvidenceCustody.cancelOffer", () => {
  it("withdraws a pending offer and emits CustodyRecorded (OfferCancelled) naming its recipient", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
    const ev = await onlyEvent(
      l.custody.connect(l.mx.authority).cancelOffer(e.evidenceId),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(ev)).toEqual({
      evidenceId: e.evidenceId,
      sequence: 2,
      action: CustodyAction.OfferCancelled,
      actorState: MX,
      actor: await addr(l.mx.authority),
      counterpartState: US,
      counterpartAccount: await addr(l.us.agency),
      digest: ZERO_HASH,
      expiresAt: 0,
      head: stored.head,
    });
    expect(fields(stored)).toMatchObject({ custodianState: MX, offeredToState: ZERO_STATE, offeredToAccount: ZERO_ADDRESS });
    await expectRevert(l.custody.connect(l.us.agency).acceptCustody(e.evidenceId, e.payloadDigest), "CustodyNoOffer", [
      e.evidenceId,
    ]);
    await expectCustodyChain(l, e.evidenceId);
  });

  it("clears an expired offer too", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await mineAt(e.expiresAt + DAY);
    await (await l.custody.connect(l.mx.agency).cancelOffer(e.evidenceId)).wait();
    expect((await l.custody.evidence(e.evidenceId)).offeredToState).toBe(ZERO_STATE);
  });

  it("refuses when nothing is offered with CustodyNoOffer", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    await (await l.custody.connect(l.mx.agency).cancelOffer(e.evidenceId)).wait();
    await expectRevert(l.custody.connect(l.mx.agency).cancelOffer(e.evidenceId), "CustodyNoOffer", [e.evidenceId]);
  });

  it("refuses the recipient and third states with CustodyNotCustodian", async () => {
    const l = ledger();
    const e = await offeredEvidence(l);
    for (const s of [l.us.agency, l.us.authority, l.es.authority]) {
      await expectRevert(l.custody.connect(s).cancelOffer(e.evidenceId), "CustodyNotCustodian", [
        e.evidenceId,
        await addr(s),
      ]);
    }
  });

  it("refuses an unknown evidence id with EvidenceUnknown", async () => {
    const l = ledger();
    const evidenceId = randomId();
    await expectRevert(l.custody.connect(l.mx.agency).cancelOffer(evidenceId), "EvidenceUnknown", [evidenceId]);
  });
});
