/** The two clocks of a request, and what the requesting state may change while it is open. */
import { describe, it, expect } from "vitest";
import {
  DAY,
  US,
  acknowledgedRequest,
  digest,
  foundedConsortium,
  increaseTime,
  latestTimestamp,
  randomId,
  requestInExecution,
  submittedRequest,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { Priority, RefusalReason, RequestStatus } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, fields, mineAt, onlyEvent, requestIn } from "./helpers";

const clocks = async (l: Ledger, requestId: string) => {
  const r = await l.requests.request(requestId);
  return { acknowledgeBy: Number(r.acknowledgeBy), respondBy: Number(r.respondBy) };
};

describe("RequestRegistry.extendDeadline", () => {
  const ledger = useFixture(foundedConsortium);

  it("moves the response deadline later and emits RequestDeadlineExtended", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    const documentDigest = digest();
    const e = await onlyEvent(
      l.requests.connect(l.us.authority).extendDeadline(requestId, respondBy + 30 * DAY, documentDigest),
      l.requests,
      l.requests.getEvent("RequestDeadlineExtended"),
    );
    expect(fields(e)).toEqual({
      requestId,
      actorState: US,
      actor: await addr(l.us.authority),
      previousRespondBy: respondBy,
      newRespondBy: respondBy + 30 * DAY,
      documentDigest,
    });
    expect((await clocks(l, requestId)).respondBy).toBe(respondBy + 30 * DAY);
    expect((await l.requests.request(requestId)).status).toBe(BigInt(RequestStatus.Submitted));
  });

  it("may go beyond the treaty's default: the requester grants the time", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    await (await l.requests.connect(l.us.authority).extendDeadline(requestId, respondBy + 365 * DAY, digest())).wait();
    expect((await clocks(l, requestId)).respondBy).toBe(respondBy + 365 * DAY);
  });

  it("refuses the same deadline with RequestInvalidDeadline", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    await expectRevert(
      l.requests.connect(l.us.authority).extendDeadline(requestId, respondBy, digest()),
      "RequestInvalidDeadline",
      [requestId, respondBy],
    );
  });

  it("refuses an earlier deadline with RequestInvalidDeadline", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    await expectRevert(
      l.requests.connect(l.us.authority).extendDeadline(requestId, respondBy - DAY, digest()),
      "RequestInvalidDeadline",
      [requestId, respondBy - DAY],
    );
  });

  it("refuses a later deadline that is already past with RequestInvalidDeadline", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    const now = respondBy + 10 * DAY;
    await atNextBlock(now);
    await expectRevert(
      l.requests.connect(l.us.authority).extendDeadline(requestId, now - DAY, digest()),
      "RequestInvalidDeadline",
      [requestId, now - DAY],
    );
    await atNextBlock(now + 1);
    await expectRevert(
      l.requests.connect(l.us.authority).extendDeadline(requestId, now + 1, digest()),
      "RequestInvalidDeadline",
      [requestId, now + 1],
    );
  });

  it("ends an overdue response when the new deadline is in the future", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    await mineAt(respondBy + DAY);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(true);
    await (await l.requests.connect(l.us.authority).extendDeadline(requestId, respondBy + 30 * DAY, digest())).wait();
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
  });
});

describe("RequestRegistry.changePriority", () => {
  const ledger = useFixture(foundedConsortium);

  it("raises and lowers the priority, emitting RequestPriorityChanged", async () => {
    const l = ledger();
    const { requestId } = await requestInExecution(l);
    for (const [previous, next] of [
      [Priority.Routine, Priority.Urgent],
      [Priority.Urgent, Priority.Routine],
    ] as const) {
      const documentDigest = digest();
      const e = await onlyEvent(
        l.requests.connect(l.us.authority).changePriority(requestId, next, documentDigest),
        l.requests,
        l.requests.getEvent("RequestPriorityChanged"),
      );
      expect(fields(e)).toEqual({
        requestId,
        actorState: US,
        actor: await addr(l.us.authority),
        previousPriority: previous,
        newPriority: next,
        documentDigest,
      });
      expect((await l.requests.request(requestId)).priority).toBe(BigInt(next));
    }
  });

  it("refuses a change to the same priority with RequestSamePriority", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l, { priority: Priority.Urgent });
    await expectRevert(
      l.requests.connect(l.us.authority).changePriority(requestId, Priority.Urgent, digest()),
      "RequestSamePriority",
      [requestId, Priority.Urgent],
    );
  });
});

describe("RequestRegistry.isAcknowledgementOverdue", () => {
  const ledger = useFixture(foundedConsortium);

  it("turns true one second after the acknowledgement deadline, not at it", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { acknowledgeBy } = await clocks(l, requestId);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
    await mineAt(acknowledgeBy);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
    await mineAt(acknowledgeBy + 1);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(true);
  });

  it("stops once the request is acknowledged, even late", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { acknowledgeBy } = await clocks(l, requestId);
    await mineAt(acknowledgeBy + DAY);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(true);
    await (await l.requests.connect(l.mx.authority).acknowledge(requestId, digest())).wait();
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
    await increaseTime(100 * DAY);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
  });

  it("is false for a withdrawn request and for an unknown one", async () => {
    const l = ledger();
    const withdrawn = await requestIn(l, RequestStatus.Withdrawn);
    await increaseTime(30 * DAY);
    expect(await l.requests.isAcknowledgementOverdue(withdrawn)).toBe(false);
    expect(await l.requests.isAcknowledgementOverdue(randomId())).toBe(false);
  });
});

describe("RequestRegistry.isResponseOverdue", () => {
  const ledger = useFixture(foundedConsortium);

  it("turns true one second after the response deadline, not at it", async () => {
    const l = ledger();
    const { requestId } = await submittedRequest(l);
    const { respondBy } = await clocks(l, requestId);
    await mineAt(respondBy);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
    await mineAt(respondBy + 1);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(true);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(true);
  });

  it("keeps running through acknowledgement, clarification and execution", async () => {
    const l = ledger();
    for (const status of [
      RequestStatus.Acknowledged,
      RequestStatus.ClarificationRequested,
      RequestStatus.Accepted,
      RequestStatus.PartiallyAccepted,
      RequestStatus.InExecution,
    ]) {
      const requestId = await requestIn(l, status);
      const { respondBy } = await clocks(l, requestId);
      expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
      await mineAt(Math.max(respondBy + 1, (await latestTimestamp()) + 1));
      expect(await l.requests.isResponseOverdue(requestId), RequestStatus[status]).toBe(true);
      expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
    }
  });

  it("stops once the request is executed", async () => {
    const l = ledger();
    const { requestId } = await requestInExecution(l);
    const { respondBy } = await clocks(l, requestId);
    await mineAt(respondBy + 1);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(true);
    await (await l.requests.connect(l.mx.authority).complete(requestId, digest())).wait();
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
  });

  it("is false for refused, withdrawn, closed and unknown requests past any deadline", async () => {
    const l = ledger();
    const refused = await acknowledgedRequest(l);
    await (await l.requests.connect(l.mx.authority).refuse(refused.requestId, RefusalReason.Other, digest())).wait();
    const ids = [
      refused.requestId,
      await requestIn(l, RequestStatus.Withdrawn),
      await requestIn(l, RequestStatus.Closed),
      randomId(),
    ];
    await increaseTime(365 * DAY);
    for (const id of ids) expect(await l.requests.isResponseOverdue(id)).toBe(false);
  });
});
