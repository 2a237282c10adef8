import { formatRecipient, parseRecipient, recipientFromPublicKey } from "../crypto/keys";

/**
 * The 32 bytes of a state's age X25519 recipient as anchored on-chain (0x hex). Accepts an `age1…`
 * recipient or the 32 bytes already in 0x hex; anything else throws the crypto layer's typed error.
 * @example recipientToKeyBytes("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")
 */
export function recipientToKeyBytes(recipient: string): string {
  const r = recipient.startsWith("0x") ? recipientFromPublicKey(recipient) : parseRecipient(recipient);
  return "0x" + Buffer.from(r.publicKey).toString("hex");
}

/**
 * The `age1…` recipient of a key anchored on-chain, for encrypting to that state with any age tool.
 * @example keyBytesToRecipient((await consortium.state("0x4d58")).encryptionKey) // "age1…"
 */
export function keyBytesToRecipient(keyBytes: string): string {
  return formatRecipient(recipientFromPublicKey(keyBytes));
}
