import { describe, it, expect } from "vitest";
import {
  ES,
  MX,
  US,
  digest,
  foundedConsortium,
  randomId,
  requestInExecution,
  useFixture,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction, RequestStatus, StateStatus } from "../../../sdk/src/ledger/types";
import { ALL_STATUSES, addr, fields, onlyEvent, requestsInEveryStatus, statusName, suspendState } from "../requests/helpers";
import { ZERO_ADDRESS, ZERO_HASH, ZERO_STATE, addAccount, expectCustodyChain } from "./helpers";

const fixture = async () => {
  const l = await foundedConsortium();
  return { l, ids: await requestsInEveryStatus(l) };
};

const registration = (requestId: string, custodianAccount = ZERO_ADDRESS) => ({
  evidenceId: randomId(),
  requestId,
  payloadDigest: digest(),
  contentCommitment: digest(),
  manifestDigest: digest(),
  custodianAccount,
});

const ledger = useFixture(fixture);

describe("EvidenceCustody.registerEvidence", () => {
  const inExecution = () => ledger().ids[RequestStatus.InExecution];

  it("registers evidence held by the executing state and emits EvidenceRegistered with head_0", async () => {
    const { l } = ledger();
    const r = registration(inExecution());
    const e = await onlyEvent(
      l.custody.connect(l.mx.agency).registerEvidence(r),
      l.custody,
      l.custody.getEvent("EvidenceRegistered"),
    );
    const stored = await l.custody.evidence(r.evidenceId);
    expect(fields(e)).toEqual({
      evidenceId: r.evidenceId,
      requestId: r.requestId,
      custodianState: MX,
      custodianAccount: ZERO_ADDRESS,
      actor: await addr(l.mx.agency),
      payloadDigest: r.payloadDigest,
      contentCommitment: r.contentCommitment,
      manifestDigest: r.manifestDigest,
      head: stored.head,
    });
    expect(fields(stored)).toEqual({
      requestId: r.requestId,
      payloadDigest: r.payloadDigest,
      contentCommitment: r.contentCommitment,
      head: e.head,
      custodianState: MX,
      custodianAccount: ZERO_ADDRESS,
      disposition: CustodyAction.None,
      sequence: 0,
      offeredToState: ZERO_STATE,
      offeredToAccount: ZERO_ADDRESS,
      offerExpiresAt: 0,
    });
    expect(await expectCustodyChain(l, r.evidenceId)).toEqual([e.head]);
  });

  it("lets the executing state's central authority register", async () => {
    const { l } = ledger();
    const r = registration(inExecution());
    const e = await onlyEvent(
      l.custody.connect(l.mx.authority).registerEvidence(r),
      l.custody,
      l.custody.getEvent("EvidenceRegistered"),
    );
    expect(e.actor).toBe(await addr(l.mx.authority));
    expect(e.custodianState).toBe(MX);
  });

  it("names a custodian account of the executing state", async () => {
    const { l } = ledger();
    for (const account of [l.mx.agency, l.mx.authority]) {
      const r = registration(inExecution(), await addr(account));
      const e = await onlyEvent(
        l.custody.connect(l.mx.agency).registerEvidence(r),
        l.custody,
        l.custody.getEvent("EvidenceRegistered"),
      );
      expect(e.custodianAccount).toBe(await addr(account));
      expect((await l.custody.evidence(r.evidenceId)).custodianAccount).toBe(await addr(account));
      await expectCustodyChain(l, r.evidenceId);
    }
  });

  describe("the request", () => {
    for (const status of ALL_STATUSES.filter((s) => s !== RequestStatus.InExecution)) {
      it(`refuses a ${statusName(status)} request with CustodyRequestNotInExecution`, async () => {
        const { l, ids } = ledger();
        await expectRevert(
          l.custody.connect(l.mx.agency).registerEvidence(registration(ids[status])),
          "CustodyRequestNotInExecution",
          [ids[status], status],
        );
      });
    }

    it("refuses the requesting state with CustodyNotExecutingState", async () => {
      const { l } = ledger();
      await expectRevert(
        l.custody.connect(l.us.agency).registerEvidence(registration(inExecution())),
        "CustodyNotExecutingState",
        [inExecution(), US],
      );
    });

    it("refuses a third state with CustodyNotExecutingState", async () => {
      const { l } = ledger();
      await expectRevert(
        l.custody.connect(l.es.authority).registerEvidence(registration(inExecution())),
        "CustodyNotExecutingState",
        [inExecution(), ES],
      );
    });
  });

  describe("the caller", () => {
    for (const role of ["gateway", "verifier"] as const) {
      it(`refuses the executing state's ${role} with ConsortiumUnauthorizedAccount`, async () => {
        const { l } = ledger();
        await expectRevert(
          l.custody.connect(l.mx[role]).registerEvidence(registration(inExecution())),
          "ConsortiumUnauthorizedAccount",
          [await addr(l.mx[role]), 3],
        );
      });
    }

    it("refuses an account of no state with ConsortiumUnauthorizedAccount", async () => {
      const { l } = ledger();
      await expectRevert(
        l.custody.connect(l.strangers[0]!).registerEvidence(registration(inExecution())),
        "ConsortiumUnauthorizedAccount",
        [await addr(l.strangers[0]!), 3],
      );
    });

    it("refuses the agency of a suspended executing state", async () => {
      const { l } = ledger();
      await suspendState(l, MX);
      await expectRevert(
        l.custody.connect(l.mx.agency).registerEvidence(registration(inExecution())),
        "ConsortiumUnexpectedStateStatus",
        [MX, StateStatus.Suspended],
      );
    });
  });

  describe("the registration", () => {
    for (const field of ["payloadDigest", "contentCommitment", "manifestDigest"] as const) {
      it(`refuses a zero ${field} with EvidenceInvalidDigest`, async () => {
        const { l } = ledger();
        const r = { ...registration(inExecution()), [field]: ZERO_HASH };
        await expectRevert(l.custody.connect(l.mx.agency).registerEvidence(r), "EvidenceInvalidDigest", [r.evidenceId]);
      });
    }

    it("refuses the zero evidence id with EvidenceExists", async () => {
      const { l } = ledger();
      const r = { ...registration(inExecution()), evidenceId: ZERO_HASH };
      await expectRevert(l.custody.connect(l.mx.agency).registerEvidence(r), "EvidenceExists", [ZERO_HASH]);
    });

    it("refuses an id already registered with EvidenceExists, even under another request", async () => {
      const { l } = ledger();
      const r = registration(inExecution());
      await (await l.custody.connect(l.mx.agency).registerEvidence(r)).wait();
      await expectRevert(l.custody.connect(l.mx.agency).registerEvidence(r), "EvidenceExists", [r.evidenceId]);
      const other = { ...registration((await requestInExecution(l)).requestId), evidenceId: r.evidenceId };
      await expectRevert(l.custody.connect(l.mx.authority).registerEvidence(other), "EvidenceExists", [r.evidenceId]);
      expect((await l.custody.evidence(r.evidenceId)).payloadDigest).toBe(r.payloadDigest);
    });
  });

  describe("the custodian account", () => {
    it("refuses an account of another state with CustodyInvalidCustodianAccount", async () => {
      const { l } = ledger();
      for (const account of [l.us.agency, l.es.authority]) {
        await expectRevert(
          l.custody.connect(l.mx.agency).registerEvidence(registration(inExecution(), await addr(account))),
          "CustodyInvalidCustodianAccount",
          [await addr(account)],
        );
      }
    });

    it("refuses an account of the executing state without agency or central-authority role", async () => {
      const { l } = ledger();
      for (const account of [l.mx.gateway, l.mx.verifier]) {
        await expectRevert(
          l.custody.connect(l.mx.agency).registerEvidence(registration(inExecution(), await addr(account))),
          "CustodyInvalidCustodianAccount",
          [await addr(account)],
        );
      }
    });

    it("refuses an account of no state", async () => {
      const { l } = ledger();
      const stranger = await addr(l.strangers[0]!);
      await expectRevert(
        l.custody.connect(l.mx.agency).registerEvidence(registration(inExecution(), stranger)),
        "CustodyInvalidCustodianAccount",
        [stranger],
      );
    });

    it("accepts an account that holds the agency role among others", async () => {
      const { l } = ledger();
      const multi = await addAccount(l, l.mx, l.strangers[1]!, 2 | 4);
      const r = registration(inExecution(), await addr(multi));
      await (await l.custody.connect(l.mx.agency).registerEvidence(r)).wait();
      expect((await l.custody.evidence(r.evidenceId)).custodianAccount).toBe(await addr(multi));
    });
  });
});

describe("EvidenceCustody.evidence", () => {
  it("reads an all-zero record for an unknown id", async () => {
    const { l } = ledger();
    const stored = await l.custody.evidence(randomId());
    expect(stored.requestId).toBe(ZERO_HASH);
    expect(stored.head).toBe(ZERO_HASH);
    expect(stored.custodianState).toBe(ZERO_STATE);
  });
});
