/**
 * The local consortium end to end, the way `npm start` and `npm run demo` run it: anvil with a state file,
 * US/MX/ES founded, three gateway processes; the demo case (a 5 MB evidence file); a full stop; a second
 * start on the same data directory — and every request and evidence item is still there, on the
 * gateways and on the chain.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvidenceDetail } from "../../gateway/src/evidence/view";
import type { RequestView, TimelineEntry } from "../../gateway/src/requests/view";
import { openEvidenceContent } from "../../sdk/src/gateway/evidence";
import { connectLedger } from "../../sdk/src/ledger/contracts";
import { loadDeployment } from "../../sdk/src/ledger/deployment";
import { RequestStatus } from "../../sdk/src/ledger/types";
import { signIn } from "../../scripts/lib/demo/connect";
import { saveStream } from "../../scripts/lib/demo/files";
import { runDemo, type RunDemoReturnType } from "../../scripts/lib/demo/runDemo";
import { freePortBase, PortTakenError } from "../../scripts/lib/start/ports";
import { startLocalStack, type LocalStack } from "../../scripts/lib/start/stack";

type RequestDetail = RequestView & { timeline: TimelineEntry[] };

const EVIDENCE_BYTES = 5 * 1_000_000;

/** Starts the stack on four consecutive free ports (another base when one was taken meanwhile). */
async function startOnFreePorts(dataDir: string, portBase?: number): Promise<LocalStack> {
  for (;;) {
    try {
      return await startLocalStack({ dataDir, portBase: portBase ?? (await freePortBase()), gatewayOverrides: { logLevel: "warn" } });
    } catch (e) {
      if (!(e instanceof PortTakenError) || portBase !== undefined) throw e;
    }
  }
}

describe("the local consortium (npm start, npm run demo, restart)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mlat-e2e-"));
  let stack: LocalStack | undefined;
  let demo: RunDemoReturnType;
  let portBase: number;

  beforeAll(async () => {
    stack = await startOnFreePorts(dataDir);
    portBase = Number(new URL(stack.local.rpcUrl).port);
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("founds US, MX and ES on a fresh chain and runs the demo case to a closed request", async () => {
    expect(stack!.reused).toBe(false);
    demo = await runDemo({ local: stack!.local, evidenceBytes: EVIDENCE_BYTES });
    expect(demo.verdict.exitCode).toBe(0);
    expect(demo.verdict.output).toContain("VERIFIED");
    expect(demo.request.status).toBe("Closed");
    const statuses = demo.request.timeline.map((t) => t.status).filter(Boolean);
    expect(statuses.join(" → ")).toBe(
      "Submitted → Acknowledged → ClarificationRequested → Acknowledged → Accepted → InExecution → Executed → Closed",
    );
    expect(demo.evidence.custody.map((c) => c.action)).toEqual(["Registered", "Offered", "Transferred"]);
    expect(demo.evidence.custodianState).toBe("US");
  });

  it("resumes after a full stop with every request and evidence item still there", async () => {
    await stack!.stop();
    stack = undefined;
    stack = await startOnFreePorts(dataDir, portBase);
    expect(stack.reused).toBe(true);

    const [us, mx, usAgency] = await Promise.all([
      signIn(stack.local, "US", "authority"),
      signIn(stack.local, "MX", "authority"),
      signIn(stack.local, "US", "agency"),
    ]);
    for (const session of [us, mx]) {
      const request = await session.call<RequestDetail>("GET", `/v1/requests/${demo.requestId}`);
      expect(request.status).toBe("Closed");
      expect(request.timeline).toEqual(demo.request.timeline);
      const listed = await session.call<{ items: { evidenceId: string }[] }>("GET", `/v1/requests/${demo.requestId}/evidence`);
      expect(listed.items.map((i) => i.evidenceId)).toEqual([demo.evidenceId]);
    }
    const evidence = await usAgency.call<EvidenceDetail>("GET", `/v1/evidence/${demo.evidenceId}`);
    expect(evidence).toMatchObject({ custodianState: "US", head: demo.evidence.head, held: { payload: true, manifest: true } });
    expect(evidence.custody).toEqual(demo.evidence.custody);
    const content = await openEvidenceContent(usAgency, demo.evidenceId);
    expect(await saveStream(content.body, join(dataDir, "delivered-after-restart.bin"))).toBe(demo.plaintextSha256);

    const provider = new JsonRpcProvider(stack.local.rpcUrl, undefined, { staticNetwork: true });
    try {
      const ledger = connectLedger(loadDeployment(stack.local.deploymentFile).contracts, provider);
      expect(Number((await ledger.requests.request(demo.requestId)).status)).toBe(RequestStatus.Closed);
      const onChain = await ledger.custody.evidence(demo.evidenceId);
      expect(onChain.head).toBe(demo.evidence.head);
      expect(onChain.payloadDigest).toBe(demo.evidence.payloadDigest);
    } finally {
      provider.destroy();
    }
  });
});
