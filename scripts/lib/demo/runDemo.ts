/**
 * The demo case, through the SDK only: the US asks MX for bank records and a seized phone's image under
 * their bilateral treaty; MX acknowledges, asks for a clarification, accepts and executes; MX's agency
 * uploads the image and offers custody to the US; the US gateway receives the ciphertext and the US agency
 * accepts custody; a verifier checks the delivered file with `mlat verify`; MX completes and the US closes.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EvidenceDetail } from "../../../gateway/src/evidence/view";
import type { RequestView, TimelineEntry } from "../../../gateway/src/requests/view";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { acceptEvidenceCustody, offerEvidenceCustody, openEvidenceContent, uploadEvidence } from "../../../sdk/src/gateway/evidence";
import type { LocalFile } from "../start/localFile";
import { signIn } from "./connect";
import { demoDossier } from "./dossier";
import { countingReader, saveStream, writeRandomFile } from "./files";
import { mb, waitFor, type Say } from "./progress";
import { custodyTable, timelineTable } from "./report";
import { runMlatVerify, type CliVerdict } from "./verifyCli";

/** Options of {@link runDemo}. */
export interface RunDemoParameters {
  local: LocalFile;
  /** Size of the generated evidence file; default 100 MB. */
  evidenceBytes?: number;
  say?: Say;
}

/** What the demo did, for a caller that checks it (the end-to-end test). */
export interface RunDemoReturnType {
  requestId: string;
  evidenceId: string;
  plaintextSha256: string;
  verdict: CliVerdict;
  request: RequestView & { timeline: TimelineEntry[] };
  evidence: EvidenceDetail;
}

type Written = { requestId: string; intent: Intent };
type RequestDetail = RequestView & { timeline: TimelineEntry[] };

/** The demo failed at a step: the message names it. */
export class DemoStepError extends Error {
  override readonly name = "DemoStepError";
}

/**
 * Runs the whole case against a running local consortium and returns what it did; prints progress with `say`.
 * @example const result = await runDemo({ local: readLocalFile(".data/local.json"), say: console.log });
 */
export async function runDemo(p: RunDemoParameters): Promise<RunDemoReturnType> {
  const say = p.say ?? (() => undefined);
  const size = p.evidenceBytes ?? 100 * 1_000_000;
  const work = mkdtempSync(join(tmpdir(), "mlat-demo-"));
  let n = 0;
  const step = (line: string) => say(`${String(++n).padStart(2)}. ${line}`);
  try {
    step("signing in (Sign-In with Ethereum) to the US and MX gateways as their central authorities, agencies and the US verifier");
    const [us, mx, usAgency, mxAgency, usVerifier] = await Promise.all([
      signIn(p.local, "US", "authority"),
      signIn(p.local, "MX", "authority"),
      signIn(p.local, "US", "agency"),
      signIn(p.local, "MX", "agency"),
      signIn(p.local, "US", "verifier"),
    ]);
    const statusAt = (s: GatewaySession, id: string, status: string) =>
      waitFor(say, `the ${s.state} gateway to show the request ${status}`, async () => {
        const r = await s.call<RequestDetail>("GET", `/v1/requests/${id}`);
        return r.status === status ? r : undefined;
      });
    const act = async (s: GatewaySession, id: string, action: string, document: Record<string, unknown>) => {
      const { intent } = await s.write<Written>(`/v1/requests/${id}/${action}`, { document });
      say(`      ${s.state} ${action}: block ${intent.blockNumber}, tx ${intent.transactionHash}`);
    };

    step("US central authority submits the request to MX under the US–MX treaty (bank records, phone image)");
    const { requestId, intent } = await us.write<Written>("/v1/requests", { dossier: demoDossier(p.local.treaties.bilateral) });
    say(`      request ${requestId} anchored in block ${intent.blockNumber}`);
    await statusAt(mx, requestId, "Submitted");

    step("MX acknowledges receipt, then asks for a clarification");
    await act(mx, requestId, "acknowledge", { note: "Received by the Dirección General de Procedimientos Internacionales." });
    await act(mx, requestId, "clarification-request", {
      question: "Please state which phone numbers and which period the forensic image should cover in the analysis report.",
    });
    await statusAt(us, requestId, "ClarificationRequested");

    step("US provides the clarification");
    await act(us, requestId, "clarification", { answer: "Numbers +52 81 5550 1234 and +52 81 5550 9876; 1 January to 14 October 2024." });
    await statusAt(mx, requestId, "Acknowledged");

    step("MX accepts the request and starts execution");
    await act(mx, requestId, "accept", { decision: "Accepted under art. 1 of the treaty; execution assigned to FGR Nuevo León." });
    await act(mx, requestId, "start-execution", {});

    step(`MX agency uploads the phone image (${mb(size)}, generated in ${work})`);
    const file = join(work, "phone-image-FGR-NL-2024-3381.bin");
    const sha256 = await writeRandomFile(file, size);
    say(`      generated; SHA-256 ${sha256}`);
    const started = Date.now();
    let nextReport = size / 4;
    const source = countingReader(createReadStream(file, { highWaterMark: 1 << 20 }), (bytes) => {
      if (bytes < nextReport) return;
      nextReport += Math.max(size / 4, 1);
      say(`      sent ${mb(bytes)} of ${mb(size)}`);
    });
    const uploaded = await uploadEvidence(mxAgency, requestId, source, {
      fileName: "phone-image-FGR-NL-2024-3381.bin",
      mediaType: "application/octet-stream",
      description: "Forensic image of the phone seized from Rafael Montoya Ibarra on 14 October 2024",
      collectedBy: "FGR Nuevo León, Unidad de Servicios Periciales",
      collectedAt: "2024-10-15T09:30:00Z",
    });
    if (uploaded.plaintextSha256 !== sha256) throw new DemoStepError(`the gateway hashed the upload as ${uploaded.plaintextSha256}, not ${sha256}`);
    const evidenceId = uploaded.evidenceId;
    say(`      sealed (age) and registered in ${((Date.now() - started) / 1000).toFixed(1)} s: evidence ${evidenceId}`);
    say(`      payload digest ${uploaded.payloadDigest}, content commitment ${uploaded.contentCommitment}`);

    step("MX agency offers custody to the US (its gateway pushes the ciphertext to the US gateway)");
    await offerEvidenceCustody(mxAgency, evidenceId, { toState: "US", document: { note: "Handed over under art. 12 of the treaty." } });
    await waitFor(say, "the US gateway to receive and check the ciphertext", async () => {
      const d = await usAgency.call<EvidenceDetail>("GET", `/v1/evidence/${evidenceId}`);
      return d.held.payload && d.held.manifest && d.offer?.toState === "US" ? d : undefined;
    });
    say("      the US gateway holds the ciphertext and its manifest; their digests match the on-chain commitments");

    step("US agency accepts custody (presenting the payload digest its gateway holds)");
    const accepted = await acceptEvidenceCustody(usAgency, evidenceId);
    say(`      custody transferred in block ${accepted.intent.blockNumber}`);

    step("US agency downloads the delivered (decrypted) file");
    const delivered = join(work, "delivered-phone-image.bin");
    const content = await openEvidenceContent(usAgency, evidenceId);
    const deliveredSha = await saveStream(content.body, delivered);
    if (deliveredSha !== sha256) throw new DemoStepError(`the delivered file hashes to ${deliveredSha}, the uploaded one to ${sha256}`);
    say(`      ${mb(size)} saved to ${delivered}; SHA-256 matches the upload`);

    step("a verifier checks the delivered file with `mlat verify` (bundle from the US gateway, checked against the chain)");
    const bundle = await usVerifier.call<unknown>("GET", `/v1/evidence/${evidenceId}/bundle`);
    const bundleFile = join(work, "bundle.json");
    writeFileSync(bundleFile, JSON.stringify(bundle, null, 2) + "\n");
    const verdict = await runMlatVerify({ file: delivered, bundleFile, rpcUrl: p.local.rpcUrl });
    say(`      $ ${verdict.command}`);
    for (const line of verdict.output.trimEnd().split("\n")) say(`      ${line}`);
    if (verdict.exitCode !== 0) throw new DemoStepError(`mlat verify did not verify the delivered file (exit ${verdict.exitCode})`);

    step("MX reports execution complete; the US closes the request");
    await act(mx, requestId, "complete", { note: "All measures executed; the phone image was delivered, the bank records follow by courier." });
    await statusAt(us, requestId, "Executed");
    await act(us, requestId, "close", { note: "Received in full; thank you." });
    const request = await statusAt(us, requestId, "Closed");
    const evidence = await us.call<EvidenceDetail>("GET", `/v1/evidence/${evidenceId}`);

    say("");
    say(`Timeline of request ${requestId} (${request.requestingState} → ${request.requestedState}, ${request.status}):`);
    say(timelineTable(request.timeline));
    say(`Custody chain of evidence ${evidenceId} (custodian now ${evidence.custodianState}, head ${evidence.head}):`);
    say(custodyTable(evidence.custody));
    return { requestId, evidenceId, plaintextSha256: sha256, verdict, request, evidence };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
