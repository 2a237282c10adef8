import { FORWARD_REQUEST_TYPES, forwarderDomain } from "../../../sdk/src/crypto/forwardRequest";
import type { IntentRow } from "../store/tables";

/** The EIP-712 payload an account signs to let its gateway relay a call (wallet `eth_signTypedData_v4`). */
export interface IntentTypedData {
  domain: { name: string; version: string; chainId: string; verifyingContract: string };
  types: { ForwardRequest: { name: string; type: string }[] };
  primaryType: "ForwardRequest";
  message: { from: string; to: string; value: string; gas: string; nonce: string; deadline: number; data: string };
}

/**
 * The typed data of an intent: the forward request of `intent` on `chainId` through `forwarder`.
 * Integers are decimal strings so the document is plain JSON.
 * @example await wallet.signTypedData(t.domain, t.types, t.message)
 */
export function intentTypedData(intent: IntentRow, chainId: number, forwarder: string): IntentTypedData {
  const d = forwarderDomain(BigInt(chainId), forwarder);
  return {
    domain: { name: d.name, version: d.version, chainId: String(chainId), verifyingContract: forwarder },
    types: { ForwardRequest: FORWARD_REQUEST_TYPES.ForwardRequest.map((f) => ({ ...f })) },
    primaryType: "ForwardRequest",
    message: {
      from: intent.actor,
      to: intent.to_address,
      value: "0",
      gas: intent.gas,
      nonce: intent.nonce,
      deadline: intent.deadline,
      data: intent.data,
    },
  };
}
