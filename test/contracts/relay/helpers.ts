/**
 * Signing ERC-2771 forward requests with every knob exposed (nonce, deadline, chain id, forwarder), so
 * the relay tests can build the invalid ones too. Types and domain come from the SDK's one definition
 * (sdk/src/crypto/forwardRequest.ts); forwarder.test.ts checks that domain against the contract.
 */
import hre from "hardhat";
import { verifyTypedData, type Signer } from "ethers";
import {
  FORWARD_REQUEST_TYPES,
  forwarderDomain,
  type ForwardRequest,
} from "../../../sdk/src/crypto/forwardRequest";
import { latestTimestamp, type Ledger } from "../../helpers/ledger";

const TYPES = { ForwardRequest: [...FORWARD_REQUEST_TYPES.ForwardRequest] };

/** What `execute` takes: the request without its nonce, with the signature. */
export interface SignedRequest {
  from: string;
  to: string;
  value: bigint;
  gas: bigint;
  deadline: number;
  data: string;
  signature: string;
  /** The nonce signed (not sent: the forwarder reads its own). */
  nonce: bigint;
}

export interface SignParameters {
  signer: Signer;
  to: string;
  data: string;
  /** Default: the deployment's forwarder. */
  forwarder?: string;
  /** Default: the chain's id. */
  chainId?: bigint;
  /** Default: the forwarder's current nonce of the signer. */
  nonce?: bigint;
  /** Default: an hour after the latest block. */
  deadline?: number;
  gas?: bigint;
}

/** Signs a ForwardRequest with `signer.signTypedData` over the EIP-712 domain "MlatForwarder" v1. */
export async function signRequest(l: Ledger, p: SignParameters): Promise<SignedRequest> {
  const from = await p.signer.getAddress();
  const forwarder = p.forwarder ?? (await l.forwarder.getAddress());
  const chainId = p.chainId ?? (await hre.ethers.provider.getNetwork()).chainId;
  const request: ForwardRequest = {
    from,
    to: p.to,
    value: 0n,
    gas: p.gas ?? 500_000n,
    nonce: p.nonce ?? (await l.forwarder.nonces(from)),
    deadline: p.deadline ?? (await latestTimestamp()) + 3600,
    data: p.data,
  };
  const signature = await p.signer.signTypedData(forwarderDomain(chainId, forwarder), TYPES, request);
  const { nonce, ...rest } = request;
  return { ...rest, nonce, signature };
}

/**
 * The address the deployed forwarder recovers from `r` now (its current nonce of `r.from`, this chain,
 * this forwarder): what ERC2771ForwarderInvalidSigner reports when the signature was made for other values.
 */
export async function recoveredNow(l: Ledger, r: SignedRequest): Promise<string> {
  const { chainId } = await hre.ethers.provider.getNetwork();
  const message = { ...r, nonce: await l.forwarder.nonces(r.from) };
  return verifyTypedData(forwarderDomain(chainId, await l.forwarder.getAddress()), TYPES, message, r.signature);
}

/** `r` as the ABI tuple `execute` takes (without the nonce). */
export const forExecute = ({ nonce: _nonce, ...r }: SignedRequest) => r;
