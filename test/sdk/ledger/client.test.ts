import { describe, it, expect } from "vitest";
import hre from "hardhat";
import type { Signer } from "ethers";
import { foundedConsortium, useFixture, digest, randomId, BANK_AND_ELECTRONIC, latestTimestamp, DAY } from "../../helpers/ledger";
import { createLedgerClient, type LedgerClient } from "../../../sdk/src/ledger/client";
import { deploymentOf } from "../../helpers/evidence";
import * as R from "../../../sdk/src/ledger/actions/requests";
import * as C from "../../../sdk/src/ledger/actions/custody";
import { anchorBatch } from "../../../sdk/src/ledger/actions/anchors";
import { isLedgerRevert } from "../../../sdk/src/ledger/errors";
import { requestTimeline, evidenceEvents } from "../../../sdk/src/ledger/timeline";
import { rebuildCustodyChain } from "../../../sdk/src/ledger/custodyChain";
import { CustodyAction, RefusalReason, RequestStatus } from "../../../sdk/src/ledger/types";

describe("ledger client", () => {
  const ledger = useFixture(foundedConsortium);
  const direct = async (signer: Signer): Promise<LedgerClient> =>
    createLedgerClient({ deployment: await deploymentOf(ledger()), runner: signer });
  /** Signed by `signer`, relayed by `relayer` (its state's gateway) through the forwarder. */
  const relayed = async (signer: Signer, relayer: Signer): Promise<LedgerClient> =>
    createLedgerClient({
      deployment: await deploymentOf(ledger()),
      runner: signer,
      relay: (request) => ledger().forwarder.connect(relayer).execute(request),
    });

  it("runs a request from submission to closure and reads its timeline back", async () => {
    const l = ledger();
    const us = await direct(l.us.authority);
    const mx = await relayed(l.mx.authority, l.mx.gateway);
    const submitted = await (
      await R.submitRequest(us, { requestedState: "MX", treatyId: l.bilateral, assistanceTypes: BANK_AND_ELECTRONIC, documentDigest: digest() })
    ).wait();
    expect(submitted.requestingState).toBe("US");
    expect(submitted.requestedState).toBe("MX");
    const { requestId } = submitted;
    const steps: [LedgerClient, typeof R.acknowledgeRequest][] = [
      [mx, R.acknowledgeRequest],
      [mx, R.requestClarification],
      [us, R.provideClarification],
      [mx, R.acceptRequest],
      [mx, R.startExecution],
      [mx, R.completeRequest],
      [us, R.closeRequest],
    ];
    for (const [client, action] of steps) await (await action(client, { requestId, documentDigest: digest() })).wait();
    const timeline = await requestTimeline(us, requestId);
    expect(timeline.map((t) => RequestStatus[t.status])).toEqual([
      "Submitted", "Acknowledged", "ClarificationRequested", "Acknowledged", "Accepted", "InExecution", "Executed", "Closed",
    ]);
    expect(timeline[1]!.actor).toBe(await l.mx.authority.getAddress());
    expect(timeline[1]!.actorState).toBe("MX");
  });

  it("refuses before sending, with the contract's custom error decoded, also when relayed", async () => {
    const l = ledger();
    const us = await direct(l.us.authority);
    const mxAgency = await relayed(l.mx.agency, l.mx.gateway);
    const { requestId } = await (
      await R.submitRequest(us, { requestedState: "MX", treatyId: l.bilateral, assistanceTypes: BANK_AND_ELECTRONIC, documentDigest: digest() })
    ).wait();
    const retry = R.submitRequest(us, { requestId, requestedState: "MX", treatyId: l.bilateral, assistanceTypes: BANK_AND_ELECTRONIC, documentDigest: digest() });
    await expect(retry).rejects.toSatisfy((e) => isLedgerRevert(e, "RequestExists"));
    const byAgency = R.acknowledgeRequest(mxAgency, { requestId, documentDigest: digest() });
    await expect(byAgency).rejects.toSatisfy((e) => isLedgerRevert(e, "ConsortiumUnauthorizedAccount"));
    const mx = await direct(l.mx.authority);
    await (await R.acknowledgeRequest(mx, { requestId, documentDigest: digest() })).wait();
    const refused = await (await R.refuseRequest(mx, { requestId, reason: RefusalReason.NeBisInIdem, documentDigest: digest() })).wait();
    expect(refused.status).toBe(RequestStatus.Refused);
    expect(refused.previousStatus).toBe(RequestStatus.Acknowledged);
  });

  it("moves evidence through custody and rebuilds its chain from events to the stored head", async () => {
    const l = ledger();
    const us = await direct(l.us.authority);
    const mxCa = await direct(l.mx.authority);
    const mxAgency = await relayed(l.mx.agency, l.mx.gateway);
    const usAgency = await relayed(l.us.agency, l.us.gateway);
    const { requestId } = await (
      await R.submitRequest(us, { requestedState: "MX", treatyId: l.bilateral, assistanceTypes: BANK_AND_ELECTRONIC, documentDigest: digest() })
    ).wait();
    for (const step of [R.acknowledgeRequest, R.acceptRequest, R.startExecution]) {
      await (await step(mxCa, { requestId, documentDigest: digest() })).wait();
    }
    const evidenceId = randomId();
    const payloadDigest = digest();
    await (await C.registerEvidence(mxAgency, { evidenceId, requestId, payloadDigest, contentCommitment: digest(), manifestDigest: digest() })).wait();
    const expiresAt = (await latestTimestamp()) + DAY;
    await (await C.offerCustody(mxAgency, { evidenceId, toState: "US", expiresAt, documentDigest: digest() })).wait();
    const wrong = C.acceptCustody(usAgency, { evidenceId, heldPayloadDigest: digest() });
    await expect(wrong).rejects.toSatisfy((e) => isLedgerRevert(e, "CustodyPayloadMismatch"));
    await (await C.acceptCustody(usAgency, { evidenceId, heldPayloadDigest: payloadDigest })).wait();
    await (await C.recordReencryption(usAgency, { evidenceId, newPayloadDigest: digest() })).wait();
    const last = await (await C.disposeEvidence(usAgency, { evidenceId, disposition: CustodyAction.Returned, documentDigest: digest() })).wait();

    const events = await evidenceEvents(usAgency, evidenceId);
    const chainId = (await hre.ethers.provider.getNetwork()).chainId;
    const rebuilt = rebuildCustodyChain(events, chainId, await l.custody.getAddress());
    expect(rebuilt.problems).toEqual([]);
    expect(rebuilt.links.map((x) => x.action)).toEqual([
      "Registered", CustodyAction.Offered, CustodyAction.Transferred, CustodyAction.Reencrypted, CustodyAction.Returned,
    ]);
    expect(rebuilt.head).toBe(last.head);
    expect(rebuilt.head).toBe((await l.custody.evidence(evidenceId)).head);

    const otherChain = rebuildCustodyChain(events, chainId + 1n, await l.custody.getAddress());
    expect(otherChain.problems.join("\n")).toMatch(/registration: head/);
    const otherContract = rebuildCustodyChain(events, chainId, await l.requests.getAddress());
    expect(otherContract.problems.length).toBeGreaterThan(0);
    const gap = rebuildCustodyChain(events.filter((_, i) => i !== 2), chainId, await l.custody.getAddress());
    expect(gap.problems.join("\n")).toMatch(/sequence 3 where 2 was due/);
  });

  it("anchors a batch as the signer's state", async () => {
    const l = ledger();
    const gw = await direct(l.es.gateway);
    const root = digest();
    const anchored = await (await anchorBatch(gw, { root, leafCount: 3, batchDigest: digest() })).wait();
    expect(anchored.state).toBe("ES");
    expect((await l.anchors.anchorOf("0x4553", root)).leafCount).toBe(3n);
  });
});
