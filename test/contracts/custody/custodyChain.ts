/**
 * Off-chain recomputation of the custody-chain head from events alone, through the SDK's
 * `sdk/src/crypto/custodyHead.ts` (written from IEvidenceCustody's NatSpec, not from CustodyChain.sol),
 * so the tests compare the contract with the one TypeScript reading every client uses.
 *
 *   head_0 = keccak256(abi.encode(chainid, custody contract, evidenceId, requestId, custodianState,
 *                                 custodianAccount, actor, payloadDigest, contentCommitment, manifestDigest))
 *   head_k = keccak256(abi.encode(head_{k-1}, k, action, actorState, actor, counterpartState,
 *                                 counterpartAccount, digest, expiresAt))
 */
import type { BigNumberish } from "ethers";
import {
  genesisHead as sdkGenesisHead,
  nextHead as sdkNextHead,
  type CustodyGenesis,
} from "../../../sdk/src/crypto/custodyHead";

/** The fields of an EvidenceRegistered event (names as in the ABI): the SDK's genesis fields. */
export type Registered = CustodyGenesis;

/** The fields of a CustodyRecorded event that enter the head (names as in the ABI). */
export interface Recorded {
  sequence: BigNumberish;
  action: BigNumberish;
  actorState: string;
  actor: string;
  counterpartState: string;
  counterpartAccount: string;
  digest: string;
  expiresAt: BigNumberish;
}

/** head_0 of an item registered on `chainId` in the custody contract at `custody` (the SDK's formula). */
export function genesisHead(chainId: BigNumberish, custody: string, e: Registered): string {
  // Fields one by one: `e` may be an ethers Result, whose named fields do not survive a spread.
  return sdkGenesisHead(BigInt(chainId), custody, {
    evidenceId: e.evidenceId,
    requestId: e.requestId,
    custodianState: e.custodianState,
    custodianAccount: e.custodianAccount,
    actor: e.actor,
    payloadDigest: e.payloadDigest,
    contentCommitment: e.contentCommitment,
    manifestDigest: e.manifestDigest,
  });
}

/** head_k from head_{k-1} and the k-th entry (the SDK's formula). */
export function nextHead(previousHead: string, e: Recorded): string {
  return sdkNextHead(previousHead, {
    sequence: BigInt(e.sequence),
    action: Number(e.action),
    actorState: e.actorState,
    actor: e.actor,
    counterpartState: e.counterpartState,
    counterpartAccount: e.counterpartAccount,
    digest: e.digest,
    expiresAt: BigInt(e.expiresAt),
  });
}

/**
 * Every head of an item, head_0 … head_n, from its registration and its custody entries in log order.
 * Throws when the entries' sequence numbers are not 1 … n: a gap means an event is missing.
 */
export function replayHeads(chainId: BigNumberish, custody: string, registered: Registered, entries: Recorded[]): string[] {
  const heads = [genesisHead(chainId, custody, registered)];
  entries.forEach((e, i) => {
    if (BigInt(e.sequence) !== BigInt(i + 1)) throw new Error(`custody entry ${i + 1} has sequence ${e.sequence}`);
    heads.push(nextHead(heads[i]!, e));
  });
  return heads;
}
