/**
 * EIP-712 definitions of the relayed-call format: OpenZeppelin's `ERC2771Forwarder` as deployed by
 * `contracts/relay/MlatForwarder.sol`. The one place these strings live; a test compares the
 * type hash with the contract's.
 */

/** EIP-712 domain name and version of the MLAT forwarder. */
export const FORWARDER_DOMAIN = { name: "MlatForwarder", version: "1" } as const;

/** EIP-712 types of a forward request (OpenZeppelin 5 `ForwardRequest`). */
export const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
} as const;

/** The type string whose keccak256 is the contract's `FORWARD_REQUEST_TYPEHASH`. */
export const FORWARD_REQUEST_TYPE =
  "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)";

/** A forward request as signed. */
export interface ForwardRequest {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  nonce: bigint;
  deadline: number;
  data: string;
}

/**
 * The EIP-712 domain of a forwarder at `verifyingContract` on `chainId`.
 * @example forwarderDomain(31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
 */
export function forwarderDomain(chainId: bigint, verifyingContract: string) {
  return { ...FORWARDER_DOMAIN, chainId, verifyingContract };
}
