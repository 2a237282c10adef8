import { describe, it, expect } from "vitest";
import { foundedConsortium, useFixture, submittedRequest, MX, US, BANK_AND_ELECTRONIC, latestTimestamp, ACK_WITHIN, RESPOND_WITHIN } from "../../helpers/ledger";
import { RequestStatus } from "../../../sdk/src/ledger/types";

describe("RequestRegistry.submitRequest", () => {
  const ledger = useFixture(foundedConsortium);
  it("anchors a request with both clocks set from the treaty", async () => {
    const l = ledger();
    const { requestId, tx } = await submittedRequest(l);
    const receipt = await (await tx).wait();
    const now = await latestTimestamp();
    const r = await l.requests.request(requestId);
    expect(r.status).toBe(BigInt(RequestStatus.Submitted));
    expect(r.requestingState).toBe(US);
    expect(r.requestedState).toBe(MX);
    expect(r.assistanceTypes).toBe(BigInt(BANK_AND_ELECTRONIC));
    expect(r.acknowledgeBy).toBe(BigInt(now + ACK_WITHIN));
    expect(r.respondBy).toBe(BigInt(now + RESPOND_WITHIN));
    console.log("gas", receipt!.gasUsed);
  });
});
