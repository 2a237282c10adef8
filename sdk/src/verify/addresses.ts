import type { ContractAddresses } from "../ledger/deployment";

const NONE = "0x0000000000000000000000000000000000000000";

/**
 * The contract addresses a verifier knows from a bundle: the custody and request registries only; the
 * others are left at the zero address (nothing is read from them).
 */
export function verifierAddresses(custody: string, requests: string = NONE): ContractAddresses {
  return { forwarder: NONE, consortium: NONE, treaties: NONE, requests, custody, anchors: NONE };
}
