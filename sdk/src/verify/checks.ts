/**
 * The verifier's checks as pure functions over what was gathered: the file's facts, the custody events
 * (from a bundle or the chain) and, when an RPC endpoint was given, what the chain stores now.
 */
import { contentCommitment } from "../crypto/commitment";
import { CONTENT_COMMITMENT } from "../crypto/formats";
import { bytesOfSize, toHex } from "../crypto/hex";
import type { CustodyChainRebuild } from "../ledger/custodyChain";
import type { LedgerEvent } from "../ledger/events";
import { fromStateBytes } from "../ledger/stateCode";
import { CustodyAction, RequestStatus } from "../ledger/types";
import type { FileFacts } from "./fileFacts";
import { check, type ChainLocation, type Check } from "./report";

const at = (e: LedgerEvent): ChainLocation => ({ blockNumber: e.blockNumber, transactionHash: e.transactionHash });
const state = (b: unknown) => fromStateBytes(String(b)) || "(none)";

/** What the chain stores now for the item and its request (RPC mode only). */
export interface StoredView {
  head: string;
  payloadDigest: string;
  contentCommitment: string;
  custodianState: string;
  custodianAccount: string;
  disposition: CustodyAction;
  request: { requestingState: string; requestedState: string; status: RequestStatus };
}

/** The file is the plaintext whose salted commitment was anchored at registration. */
export function checkContentCommitment(
  file: FileFacts,
  registration: LedgerEvent,
  salt: string | undefined,
  claimedPlaintextSha256: string | undefined,
): Check {
  const id = "content-commitment";
  if (file.kind === "age") return check(id, "skip", "the file is the encrypted payload; the commitment is over the plaintext");
  const anchored = String(registration.args.contentCommitment);
  if (claimedPlaintextSha256 && toHex(bytesOfSize(claimedPlaintextSha256, 32, "the plaintext SHA-256")) !== file.sha256) {
    return check(id, "fail", `the file's SHA-256 ${file.sha256} is not the evidence's (${claimedPlaintextSha256})`);
  }
  if (!salt) return check(id, "skip", "no salt given (it is in the bundle and in the encrypted manifest)");
  const computed = contentCommitment(file.sha256, salt);
  return computed === anchored.toLowerCase()
    ? check(id, "pass", `SHA-256("${CONTENT_COMMITMENT.domain}" ‖ salt ‖ SHA-256(file)) = ${anchored}, as anchored at registration`, [at(registration)])
    : check(id, "fail", `the file's commitment ${computed} differs from the anchored ${anchored}`, [at(registration)]);
}

/** The file is an age payload whose SHA-256 is (or was, before a re-encryption) the anchored payload digest. */
export function checkPayloadDigest(file: FileFacts, events: readonly LedgerEvent[], stored?: StoredView): Check {
  const id = "payload-digest";
  if (file.kind !== "age") return check(id, "skip", "the file is the plaintext; the payload digest is over its age encryption");
  const registration = events.find((e) => e.name === "EvidenceRegistered")!;
  const history: { digest: string; event: LedgerEvent }[] = [
    { digest: String(registration.args.payloadDigest), event: registration },
    ...events
      .filter((e) => e.name === "CustodyRecorded" && Number(e.args.action) === CustodyAction.Reencrypted)
      .map((e) => ({ digest: String(e.args.digest), event: e })),
  ];
  const current = stored?.payloadDigest ?? history[history.length - 1]!.digest;
  if (file.sha256 === current.toLowerCase()) {
    const last = history.find((h) => h.digest.toLowerCase() === file.sha256);
    return check(id, "pass", `SHA-256 of the age file = the current payload digest ${current}`, last ? [at(last.event)] : undefined);
  }
  const earlier = history.find((h) => h.digest.toLowerCase() === file.sha256);
  if (earlier) {
    return check(id, "pass", `SHA-256 of the age file = an earlier payload digest (re-encrypted since); current is ${current}`, [at(earlier.event)]);
  }
  return check(id, "fail", `SHA-256 of the age file ${file.sha256} is no payload digest this item ever had (current ${current})`);
}

/** The custody events chain up, from a genesis bound to this chain and contract. */
export function checkCustodyChain(rebuild: CustodyChainRebuild, events: readonly LedgerEvent[]): Check {
  const id = "custody-chain";
  if (rebuild.problems.length > 0) return check(id, "fail", rebuild.problems.join("; "));
  return check(id, "pass", `${rebuild.links.length} custody entries, sequences contiguous, every head follows from the one before`, events.map(at));
}

/** The head rebuilt from the events equals the head the contract stores now. */
export function checkCustodyHead(rebuild: CustodyChainRebuild, stored: StoredView | undefined, events: readonly LedgerEvent[]): Check {
  const id = "custody-head";
  const lastEvent = events[events.length - 1]!;
  const eventHead = String(lastEvent.args.head);
  if (!stored) {
    return rebuild.head === eventHead
      ? check(id, "skip", `rebuilt head ${rebuild.head} matches the last event's; no RPC endpoint to compare with the stored head`)
      : check(id, "fail", `rebuilt head ${rebuild.head} differs from the last event's ${eventHead}`);
  }
  if (rebuild.head === stored.head) return check(id, "pass", `rebuilt head = stored head ${stored.head}`, [at(lastEvent)]);
  return check(id, "fail", `rebuilt head ${rebuild.head} differs from the stored head ${stored.head}: the events given are not the item's whole history (outdated bundle?) or were altered`);
}

/** Who holds the item now, or its final disposition; storage and events must agree. */
export function checkCustodian(events: readonly LedgerEvent[], stored?: StoredView): Check {
  const id = "custodian";
  let holder = state(events[0]!.args.custodianState);
  let since = events[0]!;
  let disposition: string | undefined;
  for (const e of events.slice(1)) {
    const action = Number(e.args.action) as CustodyAction;
    if (action === CustodyAction.Transferred) [holder, since] = [state(e.args.actorState), e];
    if (action >= CustodyAction.Returned) [disposition, since] = [CustodyAction[action], e];
  }
  const told = disposition ? `${disposition} by ${holder}` : `held by ${holder}`;
  if (stored) {
    const storedHolder = fromStateBytes(stored.custodianState);
    const storedDisposition = stored.disposition === CustodyAction.None ? undefined : CustodyAction[stored.disposition];
    if (storedHolder !== holder || storedDisposition !== disposition) {
      return check(id, "fail", `events say ${told}, the chain stores ${storedDisposition ?? "held"} by ${storedHolder}`);
    }
  }
  return check(id, "pass", `${told} since block ${since.blockNumber}`, [at(since)]);
}

/** The item's request: its parties, its status, and that the executing state registered the item. */
export function checkRequest(registration: LedgerEvent, stored?: StoredView): Check {
  const id = "request";
  if (!stored) return check(id, "skip", "no RPC endpoint: the request's status and parties were not read");
  const { requestingState, requestedState, status } = stored.request;
  if (status === RequestStatus.None) return check(id, "fail", `request ${String(registration.args.requestId)} does not exist on this chain`);
  const registrant = state(registration.args.custodianState);
  const parties = `${fromStateBytes(requestingState)} → ${fromStateBytes(requestedState)}, ${RequestStatus[status]}`;
  if (registrant !== fromStateBytes(requestedState)) {
    return check(id, "fail", `registered by ${registrant}, which is not the requested (executing) state: ${parties}`);
  }
  return check(id, "pass", `request ${parties}; registered by the executing state ${registrant}`, [at(registration)]);
}
