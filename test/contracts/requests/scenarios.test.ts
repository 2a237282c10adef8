/** Whole cases from submission to the end, read back as the timeline an indexer would build from events. */
import { describe, it, expect } from "vitest";
import {
  DAY,
  ES,
  MX,
  US,
  acknowledgedRequest,
  digest,
  foundedConsortium,
  latestTimestamp,
  randomId,
  submittedRequest,
  useFixture,
  type Ledger,
} from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { CustodyAction, Priority, RefusalReason, RequestStatus } from "../../../sdk/src/ledger/types";
import { custodyHistory, expectCustodyChain, offer } from "../custody/helpers";
import { addr, bit, mask, mineAt, OPEN } from "./helpers";

const ledger = useFixture(foundedConsortium);

/** Every RequestRegistry event of one request, in log order, as [event name, actor's state, detail]. */
async function timeline(l: Ledger, requestId: string): Promise<[string, string, unknown][]> {
  const f = l.requests.filters;
  const logs = (
    await Promise.all([
      l.requests.queryFilter(f.RequestSubmitted(requestId)),
      l.requests.queryFilter(f.RequestStatusChanged(requestId)),
      l.requests.queryFilter(f.RequestPartiallyAccepted(requestId)),
      l.requests.queryFilter(f.RequestRefused(requestId)),
      l.requests.queryFilter(f.RequestDeadlineExtended(requestId)),
      l.requests.queryFilter(f.RequestPriorityChanged(requestId)),
    ])
  )
    .flat()
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  return logs.map((log) => {
    const e = l.requests.interface.parseLog(log)!;
    const a = e.args;
    switch (e.name) {
      case "RequestSubmitted":
        return [e.name, a.requestingState, Number(a.priority)];
      case "RequestStatusChanged":
        return [e.name, a.actorState, RequestStatus[Number(a.newStatus)]];
      case "RequestRefused":
        return [e.name, a.actorState, RefusalReason[Number(a.reason)]];
      case "RequestDeadlineExtended":
        return [e.name, a.actorState, Number(a.newRespondBy)];
      case "RequestPriorityChanged":
        return [e.name, a.actorState, Priority[Number(a.newPriority)]];
      default:
        return [e.name, a.actorState, Number(a.acceptedTypes)];
    }
  });
}

describe("scenarios", () => {
  it("a refused request: acknowledged, refused for lack of dual criminality, then closed to everything", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await (await l.requests.connect(l.mx.authority).refuse(requestId, RefusalReason.DualCriminalityAbsent, digest())).wait();

    expect(await timeline(l, requestId)).toEqual([
      ["RequestSubmitted", US, Priority.Routine],
      ["RequestStatusChanged", MX, "Acknowledged"],
      ["RequestRefused", MX, "DualCriminalityAbsent"],
    ]);
    await expectRevert(l.requests.connect(l.us.authority).withdraw(requestId, digest()), "RequestUnexpectedStatus", [
      requestId,
      RequestStatus.Refused,
      OPEN,
    ]);
    await expectRevert(
      l.requests.connect(l.mx.authority).startExecution(requestId, digest()),
      "RequestUnexpectedStatus",
      [requestId, RequestStatus.Refused, mask(RequestStatus.Accepted, RequestStatus.PartiallyAccepted)],
    );
    await expectRevert(
      l.custody.connect(l.mx.agency).registerEvidence({
        evidenceId: randomId(),
        requestId,
        payloadDigest: digest(),
        contentCommitment: digest(),
        manifestDigest: digest(),
        custodianAccount: "0x" + "00".repeat(20),
      }),
      "CustodyRequestNotInExecution",
      [requestId, RequestStatus.Refused],
    );
    await mineAt((await latestTimestamp()) + 365 * DAY);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);
  });

  it("an executed request whose evidence moves MX → US → ES, re-encrypted each time, and is returned", async () => {
    const l = ledger();
    const mx = l.requests.connect(l.mx.authority);
    const { requestId } = await acknowledgedRequest(l);
    await (await mx.accept(requestId, digest())).wait();
    await (await mx.startExecution(requestId, digest())).wait();

    const evidence = {
      evidenceId: randomId(),
      requestId,
      payloadDigest: digest(),
      contentCommitment: digest(),
      manifestDigest: digest(),
      custodianAccount: await addr(l.mx.agency),
    };
    await (await l.custody.connect(l.mx.agency).registerEvidence(evidence)).wait();
    const forUs = digest();
    await (await l.custody.connect(l.mx.agency).recordReencryption(evidence.evidenceId, forUs)).wait();
    await offer(l, evidence.evidenceId, { toAccount: await addr(l.us.agency) });
    await (await l.custody.connect(l.us.agency).acceptCustody(evidence.evidenceId, forUs)).wait();
    await (await mx.complete(requestId, digest())).wait();

    const forEs = digest();
    await (await l.custody.connect(l.us.agency).recordReencryption(evidence.evidenceId, forEs)).wait();
    await offer(l, evidence.evidenceId, { by: l.us.agency, toState: ES });
    await expectRevert(
      l.custody.connect(l.es.agency).acceptCustody(evidence.evidenceId, forUs),
      "CustodyPayloadMismatch",
      [evidence.evidenceId, forEs, forUs],
    );
    await (await l.custody.connect(l.es.agency).acceptCustody(evidence.evidenceId, forEs)).wait();
    const returned = digest();
    await (await l.custody.connect(l.es.authority).dispose(evidence.evidenceId, CustodyAction.Returned, returned)).wait();
    await (await l.requests.connect(l.us.authority).close(requestId, digest())).wait();

    expect(await timeline(l, requestId)).toEqual([
      ["RequestSubmitted", US, Priority.Routine],
      ["RequestStatusChanged", MX, "Acknowledged"],
      ["RequestStatusChanged", MX, "Accepted"],
      ["RequestStatusChanged", MX, "InExecution"],
      ["RequestStatusChanged", MX, "Executed"],
      ["RequestStatusChanged", US, "Closed"],
    ]);
    const { registered, recorded } = await custodyHistory(l, evidence.evidenceId);
    expect(registered.custodianState).toBe(MX);
    expect(recorded.map((e) => [CustodyAction[Number(e.action)], e.actorState, e.digest])).toEqual([
      ["Reencrypted", MX, forUs],
      ["Offered", MX, expect.any(String)],
      ["Transferred", US, forUs],
      ["Reencrypted", US, forEs],
      ["Offered", US, expect.any(String)],
      ["Transferred", ES, forEs],
      ["Returned", ES, returned],
    ]);
    await expectCustodyChain(l, evidence.evidenceId);
    const stored = await l.custody.evidence(evidence.evidenceId);
    expect([stored.custodianState, stored.payloadDigest, stored.contentCommitment, stored.disposition]).toEqual([
      ES,
      forEs,
      evidence.contentCommitment,
      BigInt(CustodyAction.Returned),
    ]);
    expect((await l.requests.request(requestId)).status).toBe(BigInt(RequestStatus.Closed));
  });

  it("a withdrawal while clarification is pending", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    await (await l.requests.connect(l.mx.authority).requestClarification(requestId, digest())).wait();
    await (await l.requests.connect(l.us.authority).withdraw(requestId, digest())).wait();

    expect(await timeline(l, requestId)).toEqual([
      ["RequestSubmitted", US, Priority.Routine],
      ["RequestStatusChanged", MX, "Acknowledged"],
      ["RequestStatusChanged", MX, "ClarificationRequested"],
      ["RequestStatusChanged", US, "Withdrawn"],
    ]);
    await expectRevert(
      l.requests.connect(l.us.authority).provideClarification(requestId, digest()),
      "RequestUnexpectedStatus",
      [requestId, RequestStatus.Withdrawn, bit(RequestStatus.ClarificationRequested)],
    );
    await expectRevert(
      l.requests.connect(l.us.authority).changePriority(requestId, Priority.Urgent, digest()),
      "RequestUnexpectedStatus",
      [requestId, RequestStatus.Withdrawn, OPEN],
    );
    await mineAt((await latestTimestamp()) + 365 * DAY);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
  });

  it("a clarification loop, twice, before acceptance", async () => {
    const l = ledger();
    const { requestId } = await acknowledgedRequest(l);
    for (let round = 0; round < 2; round++) {
      await (await l.requests.connect(l.mx.authority).requestClarification(requestId, digest())).wait();
      await (await l.requests.connect(l.us.authority).provideClarification(requestId, digest())).wait();
    }
    await (await l.requests.connect(l.mx.authority).accept(requestId, digest())).wait();

    expect(await timeline(l, requestId)).toEqual([
      ["RequestSubmitted", US, Priority.Routine],
      ["RequestStatusChanged", MX, "Acknowledged"],
      ["RequestStatusChanged", MX, "ClarificationRequested"],
      ["RequestStatusChanged", US, "Acknowledged"],
      ["RequestStatusChanged", MX, "ClarificationRequested"],
      ["RequestStatusChanged", US, "Acknowledged"],
      ["RequestStatusChanged", MX, "Accepted"],
    ]);
  });

  it("an overdue request: acknowledged late, response overdue, deadline extended, priority raised, executed", async () => {
    const l = ledger();
    const submittedAt = (await latestTimestamp()) + 1;
    const { requestId } = await submittedRequest(l, { respondBy: submittedAt + 20 * DAY });
    const r = await l.requests.request(requestId);
    const [acknowledgeBy, respondBy] = [Number(r.acknowledgeBy), Number(r.respondBy)];

    await mineAt(acknowledgeBy + DAY);
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(true);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);
    await (await l.requests.connect(l.mx.authority).acknowledge(requestId, digest())).wait();
    expect(await l.requests.isAcknowledgementOverdue(requestId)).toBe(false);

    await mineAt(respondBy + 1);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(true);
    await (await l.requests.connect(l.us.authority).changePriority(requestId, Priority.Urgent, digest())).wait();
    const extended = respondBy + 30 * DAY;
    await (await l.requests.connect(l.us.authority).extendDeadline(requestId, extended, digest())).wait();
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);

    const mx = l.requests.connect(l.mx.authority);
    await (await mx.accept(requestId, digest())).wait();
    await (await mx.startExecution(requestId, digest())).wait();
    await mineAt(extended + 1);
    expect(await l.requests.isResponseOverdue(requestId)).toBe(true);
    await (await mx.complete(requestId, digest())).wait();
    expect(await l.requests.isResponseOverdue(requestId)).toBe(false);

    expect(await timeline(l, requestId)).toEqual([
      ["RequestSubmitted", US, Priority.Routine],
      ["RequestStatusChanged", MX, "Acknowledged"],
      ["RequestPriorityChanged", US, "Urgent"],
      ["RequestDeadlineExtended", US, extended],
      ["RequestStatusChanged", MX, "Accepted"],
      ["RequestStatusChanged", MX, "InExecution"],
      ["RequestStatusChanged", MX, "Executed"],
    ]);
  });
});
