import { describe, it, expect } from "vitest";
import {
  DAY,
  ES,
  FR,
  MX,
  US,
  digest,
  foundedConsortium,
  latestTimestamp,
  randomId,
  registeredEvidence,
  useFixture,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction, StateStatus } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, fields, mineAt, onlyEvent, suspendState } from "../requests/helpers";
import { ZERO_ADDRESS, addAccount, expectCustodyChain, offer } from "./helpers";

const ledger = useFixture(foundedConsortium);

describe("EvidenceCustody.offerCustody", () => {
  it("offers custody to another state and emits CustodyRecorded (Offered)", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const expiresAt = (await latestTimestamp()) + DAY;
    const documentDigest = digest();
    const ev = await onlyEvent(
      l.custody.connect(l.mx.agency).offerCustody(e.evidenceId, US, ZERO_ADDRESS, expiresAt, documentDigest),
      l.custody,
      l.custody.getEvent("CustodyRecorded"),
    );
    const stored = await l.custody.evidence(e.evidenceId);
    expect(fields(ev)).toEqual({
      evidenceId: e.evidenceId,
      sequence: 1,
      action: CustodyAction.Offered,
      actorState: MX,
      actor: await addr(l.mx.agency),
      counterpartState: US,
      counterpartAccount: ZERO_ADDRESS,
      digest: documentDigest,
      expiresAt,
      head: stored.head,
    });
    expect(fields(stored)).toMatchObject({
      custodianState: MX,
      custodianAccount: ZERO_ADDRESS,
      offeredToState: US,
      offeredToAccount: ZERO_ADDRESS,
      offerExpiresAt: expiresAt,
      payloadDigest: e.payloadDigest,
      sequence: 1,
    });
    await expectCustodyChain(l, e.evidenceId);
  });

  it("offers custody to one account of the recipient state", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const { tx } = await offer(l, e.evidenceId, { toAccount: await addr(l.us.agency) });
    const ev = await onlyEvent(tx, l.custody, l.custody.getEvent("CustodyRecorded"));
    expect(ev.counterpartAccount).toBe(await addr(l.us.agency));
    expect((await l.custody.evidence(e.evidenceId)).offeredToAccount).toBe(await addr(l.us.agency));
    await expectCustodyChain(l, e.evidenceId);
  });

  it("offers custody to a state that is no party to the request, by the central authority", async () => {
    const l = ledger();
    const e = await registeredEvidence(l);
    const { tx } = await offer(l, e.evidenceId, { by: l.mx.authority, toState: ES, toAccount: await addr(l.es.authority) });
    const ev = await onlyEvent(tx, l.custody, l.custody.getEvent("CustodyRecorded"));
    expect(fields(ev)).toMatchObject({ actor: await addr(l.mx.authority), counterpartState: ES });
  });

  describe("the recipient", () => {
    it("refuses the custodian's own state with CustodyInvalidRecipient", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await expectRevert(offer(l, e.evidenceId, { toState: MX }), "CustodyInvalidRecipient", [
        e.evidenceId,
        MX,
        ZERO_ADDRESS,
      ]);
      const mxAuthority = await addr(l.mx.authority);
      await expectRevert(offer(l, e.evidenceId, { toState: MX, toAccount: mxAuthority }), "CustodyInvalidRecipient", [
        e.evidenceId,
        MX,
        mxAuthority,
      ]);
    });

    it("refuses a suspended state with ConsortiumUnexpectedStateStatus", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await suspendState(l, ES);
      await expectRevert(offer(l, e.evidenceId, { toState: ES }), "ConsortiumUnexpectedStateStatus", [
        ES,
        StateStatus.Suspended,
      ]);
    });

    it("refuses a state never admitted with ConsortiumUnexpectedStateStatus", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await expectRevert(offer(l, e.evidenceId, { toState: FR }), "ConsortiumUnexpectedStateStatus", [
        FR,
        StateStatus.None,
      ]);
    });

    it("refuses an account of another state with CustodyInvalidRecipient", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      for (const account of [l.mx.agency, l.es.authority, l.strangers[0]!]) {
        const toAccount = await addr(account);
        await expectRevert(offer(l, e.evidenceId, { toAccount }), "CustodyInvalidRecipient", [
          e.evidenceId,
          US,
          toAccount,
        ]);
      }
    });

    it("refuses an account of the recipient state without agency or central-authority role", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      for (const account of [l.us.gateway, l.us.verifier]) {
        const toAccount = await addr(account);
        await expectRevert(offer(l, e.evidenceId, { toAccount }), "CustodyInvalidRecipient", [
          e.evidenceId,
          US,
          toAccount,
        ]);
      }
    });
  });

  describe("the expiry", () => {
    it("accepts one second and exactly MAX_OFFER_DURATION after now", async () => {
      const l = ledger();
      const max = Number(await l.custody.MAX_OFFER_DURATION());
      expect(max).toBe(30 * DAY);
      for (const duration of [1, max]) {
        const e = await registeredEvidence(l);
        const now = (await latestTimestamp()) + 10;
        await atNextBlock(now);
        await offer(l, e.evidenceId, { expiresAt: now + duration });
        expect((await l.custody.evidence(e.evidenceId)).offerExpiresAt).toBe(BigInt(now + duration));
      }
    });

    for (const [what, offset] of [
      ["now", 0],
      ["in the past", -1],
      ["one second beyond MAX_OFFER_DURATION", 30 * DAY + 1],
    ] as const) {
      it(`refuses an expiry ${what} with CustodyInvalidExpiry`, async () => {
        const l = ledger();
        const e = await registeredEvidence(l);
        const now = (await latestTimestamp()) + 10;
        await atNextBlock(now);
        await expectRevert(offer(l, e.evidenceId, { expiresAt: now + offset }), "CustodyInvalidExpiry", [
          e.evidenceId,
          now + offset,
        ]);
      });
    }
  });

  describe("a previous offer", () => {
    it("refuses a second offer while the first is pending, up to its expiry, with CustodyOfferPending", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      const { expiresAt } = await offer(l, e.evidenceId);
      await expectRevert(offer(l, e.evidenceId, { toState: ES }), "CustodyOfferPending", [
        e.evidenceId,
        US,
        expiresAt,
      ]);
      await atNextBlock(expiresAt);
      await expectRevert(
        offer(l, e.evidenceId, { toState: ES, expiresAt: expiresAt + DAY }),
        "CustodyOfferPending",
        [e.evidenceId, US, expiresAt],
      );
    });

    it("replaces an expired offer", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      const first = await offer(l, e.evidenceId);
      await mineAt(first.expiresAt + 1);
      const second = await offer(l, e.evidenceId, { toState: ES });
      const stored = await l.custody.evidence(e.evidenceId);
      expect([stored.offeredToState, stored.offerExpiresAt]).toEqual([ES, BigInt(second.expiresAt)]);
      await expectCustodyChain(l, e.evidenceId);
    });
  });

  describe("the caller", () => {
    it("refuses another state's agency or central authority with CustodyNotCustodian", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      for (const s of [l.us.agency, l.us.authority, l.es.authority]) {
        await expectRevert(offer(l, e.evidenceId, { by: s, toState: ES }), "CustodyNotCustodian", [
          e.evidenceId,
          await addr(s),
        ]);
      }
    });

    it("refuses the custodian state's gateway with ConsortiumUnauthorizedAccount", async () => {
      const l = ledger();
      const e = await registeredEvidence(l);
      await expectRevert(offer(l, e.evidenceId, { by: l.mx.gateway }), "ConsortiumUnauthorizedAccount", [
        await addr(l.mx.gateway),
        3,
      ]);
    });

    it("lets only the holding account or the central authority act when an account holds custody", async () => {
      const l = ledger();
      const e = await registeredEvidence(l, await addr(l.mx.agency));
      const colleague = await addAccount(l, l.mx, l.strangers[0]!, 2);
      await expectRevert(offer(l, e.evidenceId, { by: colleague }), "CustodyNotCustodian", [
        e.evidenceId,
        await addr(colleague),
      ]);
      const byHolder = await offer(l, e.evidenceId, { by: l.mx.agency });
      await mineAt(byHolder.expiresAt + 1);
      const byAuthority = await offer(l, e.evidenceId, { by: l.mx.authority });
      const ev = await onlyEvent(byAuthority.tx, l.custody, l.custody.getEvent("CustodyRecorded"));
      expect(ev.actor).toBe(await addr(l.mx.authority));
    });

    it("refuses an unknown evidence id with EvidenceUnknown", async () => {
      const l = ledger();
      const evidenceId = randomId();
      await expectRevert(offer(l, evidenceId), "EvidenceUnknown", [evidenceId]);
    });
  });
});
