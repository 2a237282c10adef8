/** The requested state's answers beyond the plain transitions: accepted types, partial acceptance, refusal. */
import { describe, it, expect } from "vitest";
import {
  BANK_AND_ELECTRONIC,
  MX,
  acknowledgedRequest,
  digest,
  foundedConsortium,
  useFixture,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { RefusalReason, RequestStatus, assistanceMask } from "../../../sdk/src/ledger/types";
import { BANK_RECORDS, addr, fields, onlyEvent } from "./helpers";

const ELECTRONIC = assistanceMask(["ELECTRONIC_EVIDENCE"]);
const SEARCH = assistanceMask(["SEARCH_AND_SEIZURE"]);

describe("RequestRegistry.accept", () => {
  const ledger = useFixture(foundedConsortium);

  it("accepts every requested type", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await (await l.requests.connect(l.mx.authority).accept(requestId, digest())).wait();
    const r = await l.requests.request(requestId);
    expect(r.status).toBe(BigInt(RequestStatus.Accepted));
    expect(r.acceptedTypes).toBe(BigInt(BANK_AND_ELECTRONIC));
  });
});

describe("RequestRegistry.partiallyAccept", () => {
  const ledger = useFixture(foundedConsortium);

  it("records the accepted subset and emits RequestPartiallyAccepted", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    const documentDigest = digest();
    const e = await onlyEvent(
      l.requests.connect(l.mx.authority).partiallyAccept(requestId, BANK_RECORDS, documentDigest),
      l.requests,
      l.requests.getEvent("RequestPartiallyAccepted"),
    );
    expect(fields(e)).toEqual({
      requestId,
      actorState: MX,
      actor: await addr(l.mx.authority),
      acceptedTypes: BANK_RECORDS,
      documentDigest,
    });
    const r = await l.requests.request(requestId);
    expect(r.status).toBe(BigInt(RequestStatus.PartiallyAccepted));
    expect(r.acceptedTypes).toBe(BigInt(BANK_RECORDS));
    expect(r.assistanceTypes).toBe(BigInt(BANK_AND_ELECTRONIC));
  });

  it("accepts either requested type alone", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await (await l.requests.connect(l.mx.authority).partiallyAccept(requestId, ELECTRONIC, digest())).wait();
    expect((await l.requests.request(requestId)).acceptedTypes).toBe(BigInt(ELECTRONIC));
  });

  for (const [what, accepted] of [
    ["no type", 0],
    ["every requested type (that is accept)", BANK_AND_ELECTRONIC],
    ["a type that was not requested", SEARCH],
    ["a requested type plus one that was not", BANK_RECORDS | SEARCH],
  ] as const) {
    it(`refuses ${what} with RequestInvalidAcceptedTypes`, async () => {
      const l = ledger();
      const { requestId } = await acknowledgedRequest(l);
      await expectRevert(
        l.requests.connect(l.mx.authority).partiallyAccept(requestId, accepted, digest()),
        "RequestInvalidAcceptedTypes",
        [requestId, BANK_AND_ELECTRONIC, accepted],
      );
      expect((await l.requests.request(requestId)).status).toBe(BigInt(RequestStatus.Acknowledged));
    });
  }
});

describe("RequestRegistry.refuse", () => {
  const ledger = useFixture(foundedConsortium);
  const reasons = Object.values(RefusalReason).filter(
    (v): v is RefusalReason => typeof v === "number" && v !== RefusalReason.None,
  );

  for (const reason of reasons) {
    it(`refuses with reason ${RefusalReason[reason]} and emits RequestRefused`, async () => {
      const l = ledger();
      const { requestId } = await acknowledgedRequest(l);
      const documentDigest = digest();
      const e = await onlyEvent(
        l.requests.connect(l.mx.authority).refuse(requestId, reason, documentDigest),
        l.requests,
        l.requests.getEvent("RequestRefused"),
      );
      expect(fields(e)).toEqual({ requestId, actorState: MX, actor: await addr(l.mx.authority), reason, documentDigest });
      expect((await l.requests.request(requestId)).status).toBe(BigInt(RequestStatus.Refused));
    });
  }

  it("refuses a refusal without reason with RequestMissingReason", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await expectRevert(
      l.requests.connect(l.mx.authority).refuse(requestId, RefusalReason.None, digest()),
      "RequestMissingReason",
      [requestId],
    );
  });

  it("refuses a refusal without its document (zero digest) with RequestMissingDocument", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await expectRevert(
      l.requests.connect(l.mx.authority).refuse(requestId, RefusalReason.Other, "0x" + "00".repeat(32)),
      "RequestMissingDocument",
      [requestId],
    );
  });

  it("rejects a reason code outside the enumeration", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await expect(l.requests.connect(l.mx.authority).refuse(requestId, 9, digest())).rejects.toThrow();
  });
});
