/**
 * Evidence custody actions (EvidenceCustody). Each resolves, once mined, to the custody entry it
 * appended, including the new custody-chain head.
 */
import { ZeroAddress } from "ethers";
import type { LedgerClient } from "../client";
import { toStateBytes } from "../stateCode";
import { CustodyAction } from "../types";
import { eventOf, writeLedger, type LedgerWrite } from "../write";
import type { LedgerEvent } from "../events";

/** Parameters of {registerEvidence}. */
export interface RegisterEvidenceParameters {
  evidenceId: string;
  requestId: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
  /** The account that holds it for the executing state; default: the state itself. */
  custodianAccount?: string;
}

/** A custody entry as appended. */
export interface CustodyEntryReturnType {
  evidenceId: string;
  sequence: bigint;
  action: CustodyAction;
  head: string;
}

function entryResult(evidenceId: string, events: LedgerEvent[]): CustodyEntryReturnType {
  const a = eventOf(events, "CustodyRecorded").args;
  return { evidenceId, sequence: a.sequence as bigint, action: Number(a.action) as CustodyAction, head: a.head as string };
}

/**
 * Registers evidence under a request in execution; the signer's (executing) state becomes custodian.
 * @example const { head } = await (await registerEvidence(mxAgency, { evidenceId, requestId, … })).wait();
 */
export function registerEvidence(
  client: LedgerClient,
  p: RegisterEvidenceParameters,
): Promise<LedgerWrite<{ evidenceId: string; head: string }>> {
  return writeLedger(client, {
    contract: "custody",
    method: "registerEvidence",
    args: [{ ...p, custodianAccount: p.custodianAccount ?? ZeroAddress }],
    result: (events) => ({ evidenceId: p.evidenceId, head: eventOf(events, "EvidenceRegistered").args.head as string }),
  });
}

/**
 * Offers custody to a state (and only one of its accounts, if given) until `expiresAt` (unix seconds).
 * @example await offerCustody(mxAgency, { evidenceId, toState: "US", expiresAt, documentDigest })
 */
export function offerCustody(
  client: LedgerClient,
  p: { evidenceId: string; toState: string; toAccount?: string; expiresAt: number; documentDigest: string },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "offerCustody",
    args: [p.evidenceId, toStateBytes(p.toState), p.toAccount ?? ZeroAddress, p.expiresAt, p.documentDigest],
    result: (events) => entryResult(p.evidenceId, events),
  });
}

/**
 * Accepts an offer, presenting the payload digest actually held (SHA-256 of the age file received).
 * @example await acceptCustody(usAgency, { evidenceId, heldPayloadDigest })
 */
export function acceptCustody(
  client: LedgerClient,
  p: { evidenceId: string; heldPayloadDigest: string },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "acceptCustody",
    args: [p.evidenceId, p.heldPayloadDigest],
    result: (events) => entryResult(p.evidenceId, events),
  });
}

/**
 * Rejects an offer.
 * @example await rejectCustody(usAgency, { evidenceId, documentDigest })
 */
export function rejectCustody(
  client: LedgerClient,
  p: { evidenceId: string; documentDigest: string },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "rejectCustody",
    args: [p.evidenceId, p.documentDigest],
    result: (events) => entryResult(p.evidenceId, events),
  });
}

/**
 * Cancels the custodian's current offer.
 * @example await cancelOffer(mxAgency, { evidenceId })
 */
export function cancelOffer(
  client: LedgerClient,
  p: { evidenceId: string },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "cancelOffer",
    args: [p.evidenceId],
    result: (events) => entryResult(p.evidenceId, events),
  });
}

/**
 * Records a re-encryption: the new age file's SHA-256 becomes the payload digest.
 * @example await recordReencryption(usAgency, { evidenceId, newPayloadDigest })
 */
export function recordReencryption(
  client: LedgerClient,
  p: { evidenceId: string; newPayloadDigest: string },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "recordReencryption",
    args: [p.evidenceId, p.newPayloadDigest],
    result: (events) => entryResult(p.evidenceId, events),
  });
}

/**
 * Records the final disposition: Returned, Destroyed or Released.
 * @example await disposeEvidence(usAgency, { evidenceId, disposition: CustodyAction.Returned, documentDigest })
 */
export function disposeEvidence(
  client: LedgerClient,
  p: {
    evidenceId: string;
    disposition: CustodyAction.Returned | CustodyAction.Destroyed | CustodyAction.Released;
    documentDigest: string;
  },
): Promise<LedgerWrite<CustodyEntryReturnType>> {
  return writeLedger(client, {
    contract: "custody",
    method: "dispose",
    args: [p.evidenceId, p.disposition, p.documentDigest],
    result: (events) => entryResult(p.evidenceId, events),
  });
}
