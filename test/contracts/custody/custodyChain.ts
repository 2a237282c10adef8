/**
 * Off-chain recomputation of the custody-chain head from events alone, written from the formulas of
 * IEvidenceCustody's NatSpec (not from CustodyChain.sol), so the tests compare two independent readings.
 * Pure: no provider, no contract. The SDK will carry its own; keep this one small.
 *
 *   head_0 = keccak256(abi.encode(chainid, custody contract, evidenceId, requestId, custodianState,
 *                                 custodianAccount, actor, payloadDigest, contentCommitment, manifestDigest))
 *   head_k = keccak256(abi.encode(head_{k-1}, k, action, actorState, actor, counterpartState,
 *                                 counterpartAccount, digest, expiresAt))
 */
import { AbiCoder, keccak256, type BigNumberish } from "ethers";

const abi = AbiCoder.defaultAbiCoder();

/** The fields of an EvidenceRegistered event (names as in the ABI). */
export interface Registered {
  evidenceId: string;
  requestId: string;
  custodianState: string;
  custodianAccount: string;
  actor: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
}

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

/** head_0 of an item registered on `chainId` in the custody contract at `custody`. */
export function genesisHead(chainId: BigNumberish, custody: string, e: Registered): string {
  return keccak256(
    abi.encode(
      ["uint256", "address", "bytes32", "bytes32", "bytes2", "address", "address", "bytes32", "bytes32", "bytes32"],
      [
        chainId,
        custody,
        e.evidenceId,
        e.requestId,
        e.custodianState,
        e.custodianAccount,
        e.actor,
        e.payloadDigest,
        e.contentCommitment,
        e.manifestDigest,
      ],
    ),
  );
}

/** head_k from head_{k-1} and the k-th entry. */
export function nextHead(previousHead: string, e: Recorded): string {
  return keccak256(
    abi.encode(
      ["bytes32", "uint64", "uint8", "bytes2", "address", "bytes2", "address", "bytes32", "uint40"],
      [previousHead, e.sequence, e.action, e.actorState, e.actor, e.counterpartState, e.counterpartAccount, e.digest, e.expiresAt],
    ),
  );
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
