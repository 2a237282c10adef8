/**
 * Each lifecycle action belongs to one party's central authority: the other party and a third state are
 * refused with RequestNotParty(requestId, actorState), checked before the status, so each case is built
 * in a status from which the action would be allowed.
 */
import { describe, it, expect } from "vitest";
import { foundedConsortium, useFixture, ES } from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { RequestStatus } from "../../../sdk/src/ledger/types";
import {
  ALL_STATUSES,
  LIFECYCLE_ACTIONS,
  bit,
  counterpartOf,
  requestsInEveryStatus,
  statusName,
} from "./helpers";

const fixture = async () => {
  const l = await foundedConsortium();
  return { l, ids: await requestsInEveryStatus(l) };
};

describe("RequestRegistry party checks", () => {
  const ledger = useFixture(fixture);

  for (const action of LIFECYCLE_ACTIONS) {
    const status = ALL_STATUSES.find((s) => (action.from & bit(s)) !== 0)!;
    const other = action.side === "requesting" ? "requested" : "requesting";

    describe(`RequestRegistry.${action.fn}`, () => {
      it(`refuses the ${other} state's central authority with RequestNotParty (${statusName(status)})`, async () => {
        const { l, ids } = ledger();
        const counterpart = counterpartOf(l, action.side);
        await expectRevert(action.send(l, counterpart.authority, ids[status]), "RequestNotParty", [
          ids[status],
          counterpart.code,
        ]);
        expect((await l.requests.request(ids[status])).status).toBe(BigInt(status));
      });

      it(`refuses a third state's central authority with RequestNotParty (${statusName(status)})`, async () => {
        const { l, ids } = ledger();
        await expectRevert(action.send(l, l.es.authority, ids[status]), "RequestNotParty", [ids[status], ES]);
      });

      it("checks the party before the status", async () => {
        const { l, ids } = ledger();
        const closed = ids[RequestStatus.Closed];
        await expectRevert(action.send(l, l.es.authority, closed), "RequestNotParty", [closed, ES]);
      });
    });
  }
});
