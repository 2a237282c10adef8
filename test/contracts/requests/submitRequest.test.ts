import { describe, it, expect } from "vitest";
import {
  ACK_WITHIN,
  BANK_AND_ELECTRONIC,
  BILATERAL_SCOPE,
  DAY,
  ES,
  FR,
  MX,
  RESPOND_WITHIN,
  US,
  digest,
  foundedConsortium,
  latestTimestamp,
  useFixture,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { Priority, RequestStatus, StateStatus, assistanceMask } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, fields, onlyEvent, submission, suspendState } from "./helpers";

const BILATERAL = assistanceMask(BILATERAL_SCOPE);

describe("RequestRegistry.submitRequest", () => {
  const ledger = useFixture(foundedConsortium);

  it("anchors a request with both clocks set from the treaty and emits RequestSubmitted", async () => {
    const l = ledger();
    const s = submission(l);
    const now = (await latestTimestamp()) + 10;
    await atNextBlock(now);
    const e = await onlyEvent(
      l.requests.connect(l.us.authority).submitRequest(s),
      l.requests,
      l.requests.getEvent("RequestSubmitted"),
    );
    expect(fields(e)).toEqual({
      requestId: s.requestId,
      requestingState: US,
      requestedState: MX,
      actor: await addr(l.us.authority),
      treatyId: l.bilateral,
      assistanceTypes: BANK_AND_ELECTRONIC,
      priority: Priority.Routine,
      documentDigest: s.documentDigest,
      acknowledgeBy: now + ACK_WITHIN,
      respondBy: now + RESPOND_WITHIN,
    });
    expect(fields(await l.requests.request(s.requestId))).toEqual({
      requestingState: US,
      requestedState: MX,
      status: RequestStatus.Submitted,
      priority: Priority.Routine,
      assistanceTypes: BANK_AND_ELECTRONIC,
      acceptedTypes: 0,
      submittedAt: now,
      acknowledgeBy: now + ACK_WITHIN,
      respondBy: now + RESPOND_WITHIN,
      treatyId: l.bilateral,
    });
  });

  it("records an urgent priority", async () => {
    const l = ledger();
    const s = submission(l, { priority: Priority.Urgent });
    const e = await onlyEvent(
      l.requests.connect(l.us.authority).submitRequest(s),
      l.requests,
      l.requests.getEvent("RequestSubmitted"),
    );
    expect(e.priority).toBe(BigInt(Priority.Urgent));
    expect((await l.requests.request(s.requestId)).priority).toBe(BigInt(Priority.Urgent));
  });

  it("takes the clocks of the treaty relied on (UNTOC, ES to MX)", async () => {
    const l = ledger();
    const s = submission(l, { treatyId: l.untoc, assistanceTypes: assistanceMask(["FREEZING_OF_ASSETS"]) });
    const now = (await latestTimestamp()) + 10;
    await atNextBlock(now);
    const e = await onlyEvent(
      l.requests.connect(l.es.authority).submitRequest(s),
      l.requests,
      l.requests.getEvent("RequestSubmitted"),
    );
    expect(fields(e)).toMatchObject({ requestingState: ES, requestedState: MX, acknowledgeBy: now + 10 * DAY });
    expect(e.respondBy).toBe(BigInt(now + 180 * DAY));
  });

  describe("idempotency", () => {
    it("refuses the same id again with RequestExists", async () => {
      const l = ledger();
      const s = submission(l);
      await (await l.requests.connect(l.us.authority).submitRequest(s)).wait();
      await expectRevert(l.requests.connect(l.us.authority).submitRequest(s), "RequestExists", [s.requestId]);
    });

    it("refuses a taken id even with other content or from another state", async () => {
      const l = ledger();
      const s = submission(l);
      await (await l.requests.connect(l.us.authority).submitRequest(s)).wait();
      const other = submission(l, { requestId: s.requestId, requestedState: US, priority: Priority.Urgent });
      await expectRevert(l.requests.connect(l.mx.authority).submitRequest(other), "RequestExists", [s.requestId]);
      expect((await l.requests.request(s.requestId)).requestingState).toBe(US);
    });

    it("refuses the zero id with RequestExists", async () => {
      const l = ledger();
      const zero = "0x" + "00".repeat(32);
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { requestId: zero })),
        "RequestExists",
        [zero],
      );
    });
  });

  it("refuses a submission that anchors no dossier (zero digest) with RequestMissingDocument", async () => {
    const l = ledger();
    const s = submission(l, { documentDigest: "0x" + "00".repeat(32) });
    await expectRevert(l.requests.connect(l.us.authority).submitRequest(s), "RequestMissingDocument", [s.requestId]);
  });

  describe("parties", () => {
    it("refuses a request addressed to the submitter's own state with RequestSelfAddressed", async () => {
      const l = ledger();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { requestedState: US })),
        "RequestSelfAddressed",
        [US],
      );
    });

    it("refuses a suspended requested state", async () => {
      const l = ledger();
      await suspendState(l, MX);
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l)),
        "ConsortiumUnexpectedStateStatus",
        [MX, StateStatus.Suspended],
      );
    });

    it("refuses a requested state never admitted", async () => {
      const l = ledger();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { requestedState: FR })),
        "ConsortiumUnexpectedStateStatus",
        [FR, StateStatus.None],
      );
    });

    it("refuses a submitter whose state is suspended", async () => {
      const l = ledger();
      await suspendState(l, US);
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l)),
        "ConsortiumUnexpectedStateStatus",
        [US, StateStatus.Suspended],
      );
    });

    it("refuses a submitter that is not a central authority", async () => {
      const l = ledger();
      await expectRevert(
        l.requests.connect(l.us.agency).submitRequest(submission(l)),
        "ConsortiumUnauthorizedAccount",
        [await addr(l.us.agency), 1],
      );
    });
  });

  describe("treaty", () => {
    it("refuses an unknown treaty", async () => {
      const l = ledger();
      const treatyId = digest();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { treatyId })),
        "TreatyUnknown",
        [treatyId],
      );
    });

    it("refuses a treaty the requesting state has denounced", async () => {
      const l = ledger();
      await (await l.treaties.connect(l.us.authority).denounce(l.bilateral)).wait();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l)),
        "TreatyNotRatified",
        [l.bilateral, US],
      );
    });

    it("refuses a treaty the requested state has denounced", async () => {
      const l = ledger();
      await (await l.treaties.connect(l.mx.authority).denounce(l.bilateral)).wait();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l)),
        "TreatyNotRatified",
        [l.bilateral, MX],
      );
    });

    it("refuses a treaty the requested state is not party to", async () => {
      const l = ledger();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { requestedState: ES })),
        "TreatyNotRatified",
        [l.bilateral, ES],
      );
    });

    it("refuses assistance outside the treaty's scope", async () => {
      const l = ledger();
      const requested = BANK_AND_ELECTRONIC | assistanceMask(["FREEZING_OF_ASSETS"]);
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { assistanceTypes: requested })),
        "TreatyOutsideScope",
        [l.bilateral, BILATERAL, requested],
      );
    });

    it("refuses a request for no assistance at all", async () => {
      const l = ledger();
      await expectRevert(
        l.requests.connect(l.us.authority).submitRequest(submission(l, { assistanceTypes: 0 })),
        "TreatyOutsideScope",
        [l.bilateral, BILATERAL, 0],
      );
    });
  });

  describe("custom response deadline", () => {
    it("keeps an earlier deadline than the treaty's", async () => {
      const l = ledger();
      const now = (await latestTimestamp()) + 10;
      const s = submission(l, { respondBy: now + 30 * DAY });
      await atNextBlock(now);
      const e = await onlyEvent(
        l.requests.connect(l.us.authority).submitRequest(s),
        l.requests,
        l.requests.getEvent("RequestSubmitted"),
      );
      expect(e.respondBy).toBe(BigInt(now + 30 * DAY));
      expect(e.acknowledgeBy).toBe(BigInt(now + ACK_WITHIN));
      expect((await l.requests.request(s.requestId)).respondBy).toBe(BigInt(now + 30 * DAY));
    });

    it("accepts exactly the treaty's default and one second after submission", async () => {
      const l = ledger();
      for (const offset of [RESPOND_WITHIN, 1]) {
        const now = (await latestTimestamp()) + 10;
        const s = submission(l, { respondBy: now + offset });
        await atNextBlock(now);
        await (await l.requests.connect(l.us.authority).submitRequest(s)).wait();
        expect((await l.requests.request(s.requestId)).respondBy).toBe(BigInt(now + offset));
      }
    });

    for (const [what, offset] of [
      ["beyond the treaty's default", RESPOND_WITHIN + 1],
      ["at the submission time", 0],
      ["in the past", -DAY],
    ] as const) {
      it(`refuses a deadline ${what} with RequestInvalidDeadline`, async () => {
        const l = ledger();
        const now = (await latestTimestamp()) + 10;
        const s = submission(l, { respondBy: now + offset });
        await atNextBlock(now);
        await expectRevert(l.requests.connect(l.us.authority).submitRequest(s), "RequestInvalidDeadline", [
          s.requestId,
          now + offset,
        ]);
      });
    }
  });
});
