import type { Provider } from "ethers";
import { connectLedger } from "../ledger/contracts";
import { rebuildCustodyChain } from "../ledger/custodyChain";
import type { Deployment } from "../ledger/deployment";
import { decodeLedgerLogs, type LedgerEvent } from "../ledger/events";
import { logsByKey } from "../ledger/logs";
import { CustodyAction, RequestStatus } from "../ledger/types";
import { MlatError } from "../errors/MlatError";
import { verifierAddresses } from "./addresses";
import { checkAnchorLocation } from "./anchorLocation";
import { fromBundleEvent, type VerificationBundle } from "./bundle";
import {
  checkContentCommitment,
  checkCustodian,
  checkCustodyChain,
  checkCustodyHead,
  checkPayloadDigest,
  checkRequest,
  type StoredView,
} from "./checks";
import { fileFacts } from "./fileFacts";
import { check, overall, type Check, type VerificationReport } from "./report";

/** Verify against a bundle; with a provider, the bundle's events are also checked against that chain. */
export interface VerifyWithBundle {
  file: string;
  bundle: VerificationBundle;
  provider?: Provider;
  /** Overrides the bundle's salt (e.g. read from the decrypted manifest). */
  salt?: string;
}

/** Verify against the chain alone: the events and stored state are read over RPC. */
export interface VerifyOnChain {
  file: string;
  evidenceId: string;
  provider: Provider;
  deployment: Deployment;
  /** Needed for the content commitment of a plaintext file (it is in the manifest and the bundle). */
  salt?: string;
}

/** Parameters of {verifyEvidence}. */
export type VerifyEvidenceParameters = VerifyWithBundle | VerifyOnChain;

/**
 * Checks that a file is exactly the evidence anchored and that its custody is unbroken. Every check has
 * a verdict (pass, fail, skip) and a reason with the blocks and transactions it relied on.
 *
 * @example
 * const report = await verifyEvidence({ file: "phone.img", bundle: parseBundle(json), provider });
 * if (!report.ok) for (const c of report.checks) console.log(c.id, c.verdict, c.reason);
 */
export async function verifyEvidence(p: VerifyEvidenceParameters): Promise<VerificationReport> {
  const file = await fileFacts(p.file);
  const source = "bundle" in p ? fromBundle(p) : await fromChain(p);
  const { events, chainId, custody, evidenceId } = source;
  const registration = events.find((e) => e.name === "EvidenceRegistered");
  if (!registration) {
    throw new MlatError("EVIDENCE_UNKNOWN", `no registration of evidence ${evidenceId} in contract ${custody} on chain ${chainId}`);
  }
  const provider = p.provider;
  const stored = provider ? await readStored(provider, source.requestsAddress, custody, evidenceId, String(registration.args.requestId)) : undefined;
  const rebuild = rebuildCustodyChain(events, BigInt(chainId), custody);
  const checks: Check[] = [
    checkContentCommitment(file, registration, p.salt ?? source.salt, source.plaintextSha256),
    checkPayloadDigest(file, events, stored),
    provider
      ? "bundle" in p
        ? await checkAnchorLocation(provider, chainId, custody, events)
        : check("anchor-location", "pass", `events read from chain ${chainId}, contract ${custody} (the deployment's)`)
      : check("anchor-location", "skip", "no RPC endpoint: the bundle's events were not looked up on a chain"),
    checkCustodyChain(rebuild, events),
    checkCustodyHead(rebuild, stored, events),
    checkCustodian(events, stored),
    checkRequest(registration, stored),
  ];
  return { ok: overall(checks), evidenceId, file, chainId, custody, checks };
}

interface Source {
  events: LedgerEvent[];
  chainId: number;
  custody: string;
  requestsAddress: string;
  evidenceId: string;
  salt?: string;
  plaintextSha256?: string;
}

function fromBundle(p: VerifyWithBundle): Source {
  const b = p.bundle;
  const events = b.events.map((e) => fromBundleEvent(e, b.contracts.custody));
  return {
    events,
    chainId: b.chainId,
    custody: b.contracts.custody,
    requestsAddress: b.contracts.requests,
    evidenceId: b.evidenceId,
    salt: b.salt,
    plaintextSha256: b.plaintextSha256,
  };
}

async function fromChain(p: VerifyOnChain): Promise<Source> {
  const actual = Number((await p.provider.getNetwork()).chainId);
  if (actual !== p.deployment.chainId) {
    throw new MlatError("CHAIN_MISMATCH", `the deployment is on chain ${p.deployment.chainId}, but the RPC endpoint serves chain ${actual}`);
  }
  const { custody, requests } = p.deployment.contracts;
  const logs = await logsByKey(p.provider, custody, p.evidenceId, p.deployment.deployBlock);
  return {
    events: decodeLedgerLogs(p.deployment.contracts, logs),
    chainId: actual,
    custody,
    requestsAddress: requests,
    evidenceId: p.evidenceId,
  };
}

async function readStored(
  provider: Provider,
  requestsAddress: string,
  custody: string,
  evidenceId: string,
  requestId: string,
): Promise<StoredView | undefined> {
  const c = connectLedger(verifierAddresses(custody, requestsAddress), provider);
  try {
    const [e, parties] = await Promise.all([c.custody.evidence(evidenceId), c.requests.parties(requestId)]);
    return {
      head: e.head,
      payloadDigest: e.payloadDigest,
      contentCommitment: e.contentCommitment,
      custodianState: e.custodianState,
      custodianAccount: e.custodianAccount,
      disposition: Number(e.disposition) as CustodyAction,
      request: { requestingState: parties[0], requestedState: parties[1], status: Number(parties[2]) as RequestStatus },
    };
  } catch {
    // Not our contracts at those addresses (another chain or deployment): the anchor check says so.
    return undefined;
  }
}
