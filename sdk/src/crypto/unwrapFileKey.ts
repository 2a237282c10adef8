import { verifyHeaderMac, type AgeHeader } from "./ageHeader";
import { cryptoError } from "./errors";
import { AGE } from "./formats";
import type { AgeIdentity } from "./keys";
import { parseX25519Stanza, unwrapX25519 } from "./x25519Stanza";

/** Stanza types of other age recipient kinds, which we recognise but do not implement. */
const KNOWN_UNSUPPORTED_TYPES: ReadonlySet<string> = new Set([
  AGE.scryptStanzaType,
  "mlkem768x25519",
  "ssh-ed25519",
  "ssh-rsa",
  "piv-p256",
  "p256tag",
  "mlkem768p256tag",
]);

/**
 * Unwraps the file key of a parsed header with the first identity that opens an X25519 stanza and checks
 * the header MAC. Throws `AGE_HEADER_INVALID` (a scrypt stanza that is not alone, a malformed X25519
 * stanza, a low-order share), `AGE_NO_IDENTITY_MATCHED`, `AGE_UNSUPPORTED_RECIPIENT` (no X25519 stanza
 * but stanzas of an age recipient kind we recognise and do not implement: scrypt, post-quantum hybrid,
 * SSH, PIV) or `AGE_HEADER_MAC_MISMATCH`. Stanzas of other types are ignored, as the spec requires.
 *
 * @example
 * const fileKey = unwrapFileKey(parseHeader(bytes)!.header, [identity]);
 */
export function unwrapFileKey(header: AgeHeader, identities: readonly AgeIdentity[]): Buffer {
  const { stanzas } = header;
  if (stanzas.some((s) => s.type === AGE.scryptStanzaType) && stanzas.length !== 1) {
    throw cryptoError("AGE_HEADER_INVALID", "invalid age header: an scrypt stanza must be the only stanza");
  }
  const x25519 = stanzas.filter((s) => s.type === AGE.x25519StanzaType).map(parseX25519Stanza);
  let fileKey: Buffer | null = null;
  search: for (const stanza of x25519) {
    for (const identity of identities) {
      fileKey = unwrapX25519(stanza, identity);
      if (fileKey) break search;
    }
  }
  if (!fileKey) {
    // Stanza types come from the file: show a few, shortened.
    const others = [...new Set(stanzas.filter((s) => s.type !== AGE.x25519StanzaType).map((s) => s.type.slice(0, 40)))].slice(0, 8);
    const known = others.filter((t) => KNOWN_UNSUPPORTED_TYPES.has(t));
    if (x25519.length === 0 && known.length > 0) {
      const details =
        known[0] === AGE.scryptStanzaType
          ? "the file is passphrase-encrypted; MLAT envelopes use X25519 recipients only"
          : "the file has no X25519 recipient stanza; MLAT envelopes use X25519 recipients only";
      throw cryptoError("AGE_UNSUPPORTED_RECIPIENT", `unsupported recipient type ${known.join(", ")}`, { details });
    }
    throw cryptoError("AGE_NO_IDENTITY_MATCHED", "no identity matched any of the file's recipients", {
      details:
        `tried ${identities.length} identit${identities.length === 1 ? "y" : "ies"} on ${x25519.length} X25519 stanza(s)` +
        (others.length ? `; ignored stanzas of other types: ${others.join(", ")}` : ""),
    });
  }
  if (!verifyHeaderMac(fileKey, header)) {
    fileKey.fill(0);
    throw cryptoError("AGE_HEADER_MAC_MISMATCH", "the age header MAC does not match", {
      details: "the header was modified after encryption",
    });
  }
  return fileKey;
}
