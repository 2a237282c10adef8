import type { Wallet } from "ethers";
import { peerPushMessage } from "../../../gateway/src/peer/message";

/** PUTs `body` to a gateway's peer endpoint as `fromState`, signed by `signer` for `toState`. */
export async function pushAs(
  url: string,
  p: { digest: string; body: Uint8Array; fromState: string; toState: string; signer: Wallet; signature?: string },
): Promise<Response> {
  const signature = p.signature ?? (await p.signer.signMessage(peerPushMessage(p.digest, p.toState)));
  return fetch(new URL(`/v1/peer/blobs/${p.digest}`, url), {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", "x-mlat-from-state": p.fromState, "x-mlat-signature": signature },
    body: p.body,
  });
}
