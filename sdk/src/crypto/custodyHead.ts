import { AbiCoder, keccak256 } from "ethers";

/**
 * The custody-chain hash of `contracts/libraries/CustodyChain.sol`, off-chain. The one place its
 * layout is written in TypeScript; a test compares it with the contract's `nextHead` and stored heads.
 *
 *   head_0 = keccak256(abi.encode(chainId, custody, evidenceId, requestId, custodianState,
 *                                 custodianAccount, actor, payloadDigest, contentCommitment, manifestDigest))
 *   head_k = keccak256(abi.encode(head_{k-1}, k, action, actorState, actor, counterpartState,
 *                                 counterpartAccount, digest, expiresAt))
 */
const coder = AbiCoder.defaultAbiCoder();

/** The fields of an `EvidenceRegistered` event that head_0 commits to. */
export interface CustodyGenesis {
  evidenceId: string;
  requestId: string;
  custodianState: string;
  custodianAccount: string;
  actor: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
}

/** The fields of a `CustodyRecorded` event that head_k commits to. */
export interface CustodyLink {
  sequence: bigint;
  action: number;
  actorState: string;
  actor: string;
  counterpartState: string;
  counterpartAccount: string;
  digest: string;
  expiresAt: bigint;
}

/**
 * head_0 of an evidence item registered on `chainId` in the custody contract at `custody`.
 * @example genesisHead(31337n, custodyAddress, registeredEvent)
 */
export function genesisHead(chainId: bigint, custody: string, g: CustodyGenesis): string {
  return keccak256(
    coder.encode(
      ["uint256", "address", "bytes32", "bytes32", "bytes2", "address", "address", "bytes32", "bytes32", "bytes32"],
      [
        chainId,
        custody,
        g.evidenceId,
        g.requestId,
        g.custodianState,
        g.custodianAccount,
        g.actor,
        g.payloadDigest,
        g.contentCommitment,
        g.manifestDigest,
      ],
    ),
  );
}

/**
 * head_k from head_{k-1} and the k-th entry.
 * @example nextHead(previous, { sequence: 1n, action: CustodyAction.Offered, … })
 */
export function nextHead(previous: string, e: CustodyLink): string {
  return keccak256(
    coder.encode(
      ["bytes32", "uint64", "uint8", "bytes2", "address", "bytes2", "address", "bytes32", "uint40"],
      [previous, e.sequence, e.action, e.actorState, e.actor, e.counterpartState, e.counterpartAccount, e.digest, e.expiresAt],
    ),
  );
}
