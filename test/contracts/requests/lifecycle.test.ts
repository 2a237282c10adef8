/**
 * The lifecycle graph as a table: every (status, action) pair of RequestRegistry either moves along an
 * edge of ARCHITECTURE.md's graph (one event, new status stored) or reverts with
 * RequestUnexpectedStatus(requestId, current, allowedMask). Each status is built once in the fixture.
 */
import { describe, it, expect } from "vitest";
import { ZeroHash } from "ethers";
import { foundedConsortium, useFixture, digest, MX, US } from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { RequestStatus } from "../../../sdk/src/ledger/types";
import {
  ALL_STATUSES,
  LIFECYCLE_ACTIONS,
  addr,
  bit,
  fields,
  onlyEvent,
  partyOf,
  requestEvent,
  requestsInEveryStatus,
  statusName,
} from "./helpers";

const ZERO_STATE = "0x0000";

const fixture = async () => {
  const l = await foundedConsortium();
  return { l, ids: await requestsInEveryStatus(l) };
};

/** One fixture for the whole file: the table needs only one transaction per test. */
const ledger = useFixture(fixture);

describe("RequestLifecycle graph", () => {
  for (const action of LIFECYCLE_ACTIONS) {
    describe(`RequestRegistry.${action.fn}`, () => {
      for (const status of ALL_STATUSES) {
        const allowed = (action.from & bit(status)) !== 0;
        if (allowed) {
          const to = action.to ?? status;
          it(`moves a ${statusName(status)} request to ${statusName(to)} with one ${action.event}`, async () => {
            const { l, ids } = ledger();
            const requestId = ids[status];
            const party = partyOf(l, action.side);
            const documentDigest = digest();
            const e = await onlyEvent(
              action.send(l, party.authority, requestId, documentDigest),
              l.requests,
              requestEvent(l, action.event),
            );
            const common = { requestId, actor: await addr(party.authority), documentDigest };
            if (action.event === "RequestStatusChanged") {
              expect(fields(e)).toEqual({
                ...common,
                previousStatus: status,
                newStatus: to,
                actorState: party.code,
              });
            } else {
              expect(fields(e)).toMatchObject({ ...common, actorState: party.code });
            }
            expect((await l.requests.request(requestId)).status).toBe(BigInt(to));
          });
        } else if (status === RequestStatus.None) {
          it("refuses an unknown request with RequestUnexpectedStatus(id, None, 0)", async () => {
            const { l, ids } = ledger();
            await expectRevert(
              action.send(l, partyOf(l, action.side).authority, ids[RequestStatus.None]),
              "RequestUnexpectedStatus",
              [ids[RequestStatus.None], RequestStatus.None, 0],
            );
          });
        } else {
          it(`refuses a ${statusName(status)} request with RequestUnexpectedStatus`, async () => {
            const { l, ids } = ledger();
            const requestId = ids[status];
            await expectRevert(
              action.send(l, partyOf(l, action.side).authority, requestId),
              "RequestUnexpectedStatus",
              [requestId, status, action.from],
            );
            expect((await l.requests.request(requestId)).status).toBe(BigInt(status));
          });
        }
      }
    });
  }
});

describe("RequestRegistry.parties", () => {
  for (const status of ALL_STATUSES.filter((s) => s !== RequestStatus.None)) {
    it(`reads both parties and the status of a ${statusName(status)} request`, async () => {
      const { l, ids } = ledger();
      const [requesting, requested, current] = await l.requests.parties(ids[status]);
      expect([requesting, requested, current]).toEqual([US, MX, BigInt(status)]);
    });
  }

  it("reads zero parties and None for an unknown request", async () => {
    const { l, ids } = ledger();
    expect([...(await l.requests.parties(ids[RequestStatus.None]))]).toEqual([ZERO_STATE, ZERO_STATE, 0n]);
  });
});

describe("RequestRegistry.request", () => {
  it("reads an all-zero record for an unknown request", async () => {
    const { l, ids } = ledger();
    expect(fields(await l.requests.request(ids[RequestStatus.None]))).toEqual({
      requestingState: ZERO_STATE,
      requestedState: ZERO_STATE,
      status: RequestStatus.None,
      priority: 0,
      assistanceTypes: 0,
      acceptedTypes: 0,
      submittedAt: 0,
      acknowledgeBy: 0,
      respondBy: 0,
      treatyId: ZeroHash,
    });
  });

  it("keeps parties, treaty and clocks unchanged along the lifecycle", async () => {
    const { l, ids } = ledger();
    const submitted = await l.requests.request(ids[RequestStatus.Submitted]);
    const closed = await l.requests.request(ids[RequestStatus.Closed]);
    for (const key of ["requestingState", "requestedState", "treatyId", "assistanceTypes"] as const) {
      expect(closed[key]).toEqual(submitted[key]);
    }
    expect(closed.respondBy - closed.submittedAt).toBe(submitted.respondBy - submitted.submittedAt);
  });
});
