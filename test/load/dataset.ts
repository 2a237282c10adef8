/**
 * The dataset a load run starts from, built through REST as agencies would build it: requests between
 * the US and Mexico in both directions, spread over every lifecycle status, with their dossiers, step
 * documents and (for requests in execution) evidence items, some handed over to the requesting state.
 * Everything is signed by real accounts, relayed, mined and indexed before the load starts.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Wallet } from "ethers";
import type { Dossier } from "../../gateway/src/dossier";
import { connectGateway, type GatewaySession, type Intent } from "../../sdk/src/gateway/client";
import { GatewayRequestError } from "../../sdk/src/gateway/http";
import { acceptEvidenceCustody, offerEvidenceCustody, uploadEvidence } from "../../sdk/src/gateway/evidence";
import { dossierOfSize } from "../gateway/dossier/example";
import { statusReached } from "../gateway/evidence/scenario";
import { eventually } from "../helpers/gateways";
import type { LoadNetwork } from "./loadNetwork";

type Party = "requesting" | "requested";
type Code = "US" | "MX";

/** One lifecycle step of a story: who takes it, its body, and the status it leads to. */
interface Step {
  path: string;
  by: Party;
  body?: Record<string, unknown>;
  status: string;
}

/** A request's life up to where the dataset leaves it; `evidence` items are uploaded once in execution. */
interface Story {
  name: string;
  steps: Step[];
  evidence?: number;
}

const letter = (subject: string) => ({ subject, body: "Ref. our note of " + new Date().toISOString().slice(0, 10) });
const ack: Step = { path: "acknowledge", by: "requested", status: "Acknowledged" };
const accept: Step = { path: "accept", by: "requested", status: "Accepted" };
const start: Step = { path: "start-execution", by: "requested", status: "InExecution" };
const complete: Step = { path: "complete", by: "requested", status: "Executed", body: { document: letter("execution report") } };

/**
 * Twelve stories, run in turn in each direction: the statuses an agency's list shows in practice, with
 * evidence under the requests being executed or executed.
 */
export const STORIES: readonly Story[] = [
  { name: "submitted", steps: [] },
  { name: "acknowledged", steps: [ack] },
  { name: "clarification requested", steps: [ack, { path: "clarification-request", by: "requested", status: "ClarificationRequested", body: { document: letter("please specify the accounts") } }] },
  {
    name: "clarified",
    steps: [
      ack,
      { path: "clarification-request", by: "requested", status: "ClarificationRequested", body: { document: letter("which period?") } },
      { path: "clarification", by: "requesting", status: "Acknowledged", body: { document: letter("2023-03 to 2024-06") } },
    ],
  },
  { name: "accepted", steps: [ack, accept] },
  { name: "partially accepted", steps: [ack, { path: "partial-accept", by: "requested", status: "PartiallyAccepted", body: { acceptedTypes: ["BANK_RECORDS"] } }] },
  { name: "refused", steps: [ack, { path: "refuse", by: "requested", status: "Refused", body: { reason: "DualCriminalityAbsent", document: letter("no dual criminality") } }] },
  { name: "in execution", steps: [ack, accept, start] },
  { name: "in execution with evidence", steps: [ack, accept, start], evidence: 2 },
  { name: "executed", steps: [ack, accept, start, complete], evidence: 1 },
  { name: "closed", steps: [ack, accept, start, complete, { path: "close", by: "requesting", status: "Closed" }] },
  { name: "withdrawn", steps: [{ path: "withdraw", by: "requesting", status: "Withdrawn", body: { document: letter("case dropped") } }] },
];

/** Statuses in which the requesting state can still extend the response deadline. */
const OPEN = new Set(["Submitted", "Acknowledged", "ClarificationRequested", "Accepted", "PartiallyAccepted", "InExecution"]);

/** A request of the dataset as the US gateway shows it. */
export interface DatasetRequest {
  requestId: string;
  requesting: Code;
  status: string;
  evidence: string[];
}

/** What the load draws its ids from. */
export interface Dataset {
  requests: DatasetRequest[];
  /** US → MX requests still open: the US may extend their deadlines. */
  extendable: string[];
  /** Evidence items the US gateway lists (metadata readable). */
  evidence: string[];
  /** Evidence items whose content the US holds and is entitled to (download, bundle). */
  content: string[];
}

/** A complete dossier from `from` to `to` under their bilateral treaty, about `bytes` long as JSON. */
export function dossierBetween(ln: LoadNetwork, from: Code, to: Code, bytes: number): Dossier {
  const base = dossierOfSize(bytes);
  return {
    ...base,
    language: "en",
    requestingAuthority: { ...base.requestingAuthority, state: from },
    requestedAuthority: { ...base.requestedAuthority, state: to },
    treaty: { ...base.treaty, treatyId: ln.net.consortium.bilateralTreaty },
  };
}

/** The four sessions one worker of the builder uses: a central authority and an agency of each state. */
interface Crew {
  ca: Record<Code, GatewaySession>;
  agency: Record<Code, GatewaySession>;
}

/**
 * Builds `size` requests (the stories in turn, alternating direction US → MX and MX → US) with `workers`
 * crews in parallel, each crew its own accounts (a crew's steps are sequential, as one officer's are).
 * Resolves once the US gateway shows every request in its final status and holds the evidence it should.
 */
export async function buildDataset(ln: LoadNetwork, size: number, workers: number): Promise<Dataset> {
  const url = { US: ln.gateways.US.url, MX: ln.gateways.MX.url };
  const signIn = (code: Code, w: Wallet) => connectGateway(url[code], w);
  const crews: Crew[] = await Promise.all(
    Array.from({ length: workers }, async (_, i) => ({
      ca: { US: await signIn("US", ln.staff.US.CENTRAL_AUTHORITY[i]!), MX: await signIn("MX", ln.staff.MX.CENTRAL_AUTHORITY[i]!) },
      agency: { US: await signIn("US", ln.staff.US.AGENCY[i]!), MX: await signIn("MX", ln.staff.MX.AGENCY[i]!) },
    })),
  );
  const requests: DatasetRequest[] = [];
  let next = 0;
  await Promise.all(
    crews.map(async (crew) => {
      while (next < size) {
        const n = next++;
        const story = STORIES[Math.floor(n / 2) % STORIES.length]!;
        const requesting: Code = n % 2 === 0 ? "US" : "MX";
        requests.push(await runStory(ln, crew, story, requesting));
      }
    }),
  );
  const us = crews[0]!.ca.US;
  for (const r of requests) await statusReached(us, r.requestId, r.status);
  const evidence = requests.flatMap((r) => r.evidence);
  // The US holds the content it is entitled to once custody was offered to it (the executing state pushes
  // the ciphertext with the offer); items still with Mexico's custodian are listed but held there only.
  const content: string[] = [];
  for (const id of evidence) {
    const d = await us.call<{ entitled: boolean; held: { payload: boolean; manifest: boolean } }>("GET", `/v1/evidence/${id}`);
    if (d.entitled && d.held.payload && d.held.manifest) content.push(id);
  }
  return {
    requests,
    extendable: requests.filter((r) => r.requesting === "US" && OPEN.has(r.status)).map((r) => r.requestId),
    evidence,
    content,
  };
}

async function runStory(ln: LoadNetwork, crew: Crew, story: Story, requesting: Code): Promise<DatasetRequest> {
  const requested: Code = requesting === "US" ? "MX" : "US";
  const party = (p: Party) => (p === "requesting" ? requesting : requested);
  const dossier = dossierBetween(ln, requesting, requested, 10 * 1024);
  const { requestId } = await crew.ca[requesting].write<{ requestId: string; intent: Intent }>("/v1/requests", { dossier });
  let status = "Submitted";
  const evidence: string[] = [];
  for (const step of story.steps) {
    const actor = crew.ca[party(step.by)];
    // The acting gateway must have indexed the previous step before it prepares the next.
    await statusReached(actor, requestId, status);
    await actor.write(`/v1/requests/${requestId}/${step.path}`, step.body ?? {});
    status = step.status;
    if (step.path === "start-execution") {
      for (let i = 0; i < (story.evidence ?? 0); i++) evidence.push(await addEvidence(ln, crew, requestId, requesting, requested, i));
    }
  }
  return { requestId, requesting, status, evidence };
}

/**
 * Uploads one file (32–256 KiB) as the executing state's agency; the first item of each request is then
 * handed over to the requesting state (offered, pushed, accepted).
 */
async function addEvidence(ln: LoadNetwork, crew: Crew, requestId: string, requesting: Code, executing: Code, i: number): Promise<string> {
  const file = join(ln.net.dir, `evidence-${randomBytes(6).toString("hex")}.pdf`);
  writeFileSync(file, randomBytes(32 * 1024 + Math.floor(Math.random() * 224 * 1024)));
  const uploaded = await uploadEvidence(crew.agency[executing], requestId, file, {
    mediaType: "application/pdf",
    description: `statement ${i + 1} of the accounts named in the request`,
    collectedBy: `${executing} financial intelligence unit`,
  });
  if (i === 0) {
    await offerEvidenceCustody(crew.agency[executing], uploaded.evidenceId, { toState: requesting, document: letter("hand-over") });
    // 409 until the requesting gateway holds the ciphertext its peer pushes.
    await eventually(() => acceptEvidenceCustody(crew.agency[requesting], uploaded.evidenceId).catch((e: unknown) => {
      if (e instanceof GatewayRequestError && e.status === 409) return undefined;
      throw e;
    }));
  }
  return uploaded.evidenceId;
}
