import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import { sealPayload, type SealPayloadReturnType } from "../../../sdk/src/crypto/sealPayload";
import type { AgeRecipient } from "../../../sdk/src/crypto/keys";
import type { BlobStore } from "../blobs/blobStore";
import { GatewayError } from "../http/errors";

/**
 * Yields `source`'s chunks, failing with PAYLOAD_TOO_LARGE past `limit` bytes, and with BAD_REQUEST when
 * the stream ends short of `expectedLength` (a truncated upload is never sealed). Does not destroy an
 * HTTP request it stops reading, so the error can still be answered.
 */
async function* bounded(source: Readable, limit: number, expectedLength?: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new GatewayError("PAYLOAD_TOO_LARGE", `the upload is larger than ${limit} bytes`);
    yield chunk;
  }
  if (expectedLength !== undefined && size !== expectedLength) {
    throw new GatewayError("BAD_REQUEST", `the upload ended after ${size} of ${expectedLength} bytes`);
  }
}

/**
 * Seals a plaintext stream in one pass (SDK `sealPayload`: hash, encrypt to `recipients`, hash the age
 * file) into a temp file of the blob store, and commits it under its payload digest. Nothing is kept on
 * failure. Memory does not grow with the payload.
 * @example const sealed = await sealToBlob(ctx.blobs, req, [custodian, requester], { limit });
 */
export async function sealToBlob(
  blobs: BlobStore,
  source: Readable,
  recipients: readonly (AgeRecipient | string)[],
  options: { limit: number; expectedLength?: number },
): Promise<SealPayloadReturnType> {
  const temp = blobs.tempPath();
  try {
    const sealed = await sealPayload(
      bounded(source, options.limit, options.expectedLength),
      createWriteStream(temp, { flags: "wx", highWaterMark: 1 << 20 }),
      { recipients },
    );
    await blobs.commit(temp, sealed.payloadDigest);
    return sealed;
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
