import type { Signer } from "ethers";
import { FORWARD_REQUEST_TYPES, forwarderDomain, type ForwardRequest } from "../crypto/forwardRequest";

/** What {signForwardRequest} needs. */
export interface SignForwardRequestParameters {
  /** The agency or central-authority key that signs; never needs gas. */
  signer: Signer;
  /** The forwarder of the deployment. */
  forwarder: { getAddress(): Promise<string>; nonces(owner: string): Promise<bigint> };
  /** The ledger contract called. */
  to: string;
  /** ABI-encoded call. */
  data: string;
  /** Gas the relayed call gets; default 500,000. */
  gas?: bigint;
  /** Seconds the signature stays valid; default 1 hour from the latest block's time. */
  validFor?: number;
  /** Explicit nonce; default the forwarder's current nonce of the signer. */
  nonce?: bigint;
}

/** The `ForwardRequestData` a relayer passes to `execute`/`executeBatch`. */
export interface ForwardRequestData {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  deadline: number;
  data: string;
  signature: string;
}

/**
 * Signs an EIP-712 forward request so that a gateway can relay the call for `signer`.
 * @example
 * const req = await signForwardRequest({ signer: agency, forwarder, to: custodyAddress, data });
 * await forwarder.connect(gateway).execute(req);
 */
export async function signForwardRequest(p: SignForwardRequestParameters): Promise<ForwardRequestData> {
  const provider = p.signer.provider;
  if (!provider) throw new Error("the signer needs a provider to learn the chain id");
  const from = await p.signer.getAddress();
  const [network, forwarderAddress, nonce, latest] = await Promise.all([
    provider.getNetwork(),
    p.forwarder.getAddress(),
    p.nonce ?? p.forwarder.nonces(from),
    provider.getBlock("latest"),
  ]);
  // The chain's clock, not the signer's: the forwarder compares the deadline with block.timestamp.
  const now = latest?.timestamp ?? Math.floor(Date.now() / 1000);
  const request: ForwardRequest = {
    from,
    to: p.to,
    value: 0n,
    gas: p.gas ?? 500_000n,
    nonce,
    deadline: now + (p.validFor ?? 3600),
    data: p.data,
  };
  const signature = await p.signer.signTypedData(
    forwarderDomain(network.chainId, forwarderAddress),
    { ForwardRequest: [...FORWARD_REQUEST_TYPES.ForwardRequest] },
    request,
  );
  return { from, to: request.to, value: 0n, gas: request.gas, deadline: request.deadline, data: request.data, signature };
}
