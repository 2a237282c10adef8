import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { Writable } from "node:stream";
import { decrypt } from "../../../sdk/src/crypto/ageDecrypt";
import { decryptManifest, type Manifest } from "../../../sdk/src/crypto/manifest";
import { MANIFEST } from "../../../sdk/src/crypto/formats";
import type { GatewayContext } from "../context";
import { GatewayError } from "../http/errors";
import type { EvidenceRow } from "../store/tables";

/** Largest manifest age file read (the manifest's own limit plus the age header and tag). */
const MAX_MANIFEST_FILE = MANIFEST.maxSize + 64 * 1024;

/** The ciphertext digest this gateway holds for an item, or CONFLICT (409) when it has not arrived or is corrupt. */
export async function heldPayloadDigest(ctx: GatewayContext, e: EvidenceRow): Promise<string> {
  if (!(await ctx.blobs.has(e.payload_digest))) {
    throw new GatewayError("CONFLICT", `this gateway does not hold the ciphertext ${e.payload_digest} of evidence ${e.evidence_id} yet`, {
      retryAfter: 2,
    });
  }
  if (!(await ctx.blobs.verify(e.payload_digest))) {
    throw new GatewayError("CONFLICT", `the ciphertext held for evidence ${e.evidence_id} does not match its payload digest`);
  }
  return e.payload_digest;
}

/** The decrypted manifest of an item, or undefined while its manifest blob has not arrived. */
export async function heldManifest(ctx: GatewayContext, e: EvidenceRow): Promise<Manifest | undefined> {
  if (!(await ctx.blobs.has(e.manifest_digest))) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.blobs.read(e.manifest_digest)) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_FILE) throw new GatewayError("INTERNAL", `manifest ${e.manifest_digest} is larger than a manifest can be`);
    chunks.push(chunk as Buffer);
  }
  return decryptManifest(Buffer.concat(chunks), { identities: [ctx.identity] });
}

/**
 * Streams the decrypted plaintext of a held payload into `output` (authenticated chunk by chunk), through
 * the crypto layer's pipe (batched writes, no Transform); on failure both streams are destroyed.
 */
export async function decryptPayloadTo(ctx: GatewayContext, payloadDigest: string, output: Writable): Promise<void> {
  await decrypt(ctx.blobs.read(payloadDigest), output, { identities: [ctx.identity] });
}

/**
 * Decrypts a held payload into a temp file of the blob store, runs `use` on its path, and deletes it
 * whatever happens.
 * @example const report = await withPlaintextFile(ctx, digest, (file) => verifyEvidence({ file, … }));
 */
export async function withPlaintextFile<T>(ctx: GatewayContext, payloadDigest: string, use: (file: string) => Promise<T>): Promise<T> {
  const temp = ctx.blobs.tempPath();
  try {
    await decryptPayloadTo(ctx, payloadDigest, createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    return await use(temp);
  } finally {
    await rm(temp, { force: true });
  }
}
