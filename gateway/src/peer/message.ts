/** Domain line of a peer push signature. */
export const PEER_PUSH_DOMAIN = "mlat-ledger/peer-push/v1";

/**
 * The text a sending gateway signs (EIP-191 `personal_sign`, its GATEWAY key) to push the blob `digest`
 * to `toState`'s gateway: binding the digest and the recipient, so a signature is good for one push only.
 * @example peerPushMessage("0xab…", "MX") // "mlat-ledger/peer-push/v1\n0xab…\nMX"
 */
export function peerPushMessage(digest: string, toState: string): string {
  return `${PEER_PUSH_DOMAIN}\n${digest.toLowerCase()}\n${toState}`;
}

/** HTTP headers of a push. */
export const PEER_HEADERS = { fromState: "x-mlat-from-state", signature: "x-mlat-signature" } as const;

/**
 * Largest push body accepted: the largest upload plus the age overhead (16 bytes per 64 KiB chunk and a
 * header well under 64 KiB).
 * @example peerBodyLimit(config.uploadLimitBytes)
 */
export function peerBodyLimit(uploadLimitBytes: number): number {
  return uploadLimitBytes + Math.ceil(uploadLimitBytes / 65_536) * 16 + 64 * 1024;
}
