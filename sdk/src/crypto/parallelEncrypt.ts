import { write } from "node:fs";
import type { EncryptParameters, EncryptReturnType } from "./ageEncrypt";
import { encryptionPreamble } from "./agePreamble";
import type { FileEnds } from "./fileStreams";
import { sealFileInParallel } from "./parallelFileSeal";

export { PARALLEL_FILE_FROM } from "./parallelFileSeal";

/**
 * Encrypts (binary age) the plaintext at `ends.inputOffset` of one regular file into another at
 * `ends.outputOffset`: the header and payload nonce first, then the payload sealed on worker threads (see
 * {@link sealFileInParallel}). Neither descriptor is closed.
 *
 * @example
 * const sizes = await encryptBetweenFiles({ inFd, inputOffset: 0, size, toEnd: true, outFd, outputOffset: 0 }, { recipients });
 */
export async function encryptBetweenFiles(ends: FileEnds, params: EncryptParameters): Promise<EncryptReturnType> {
  const { preamble, payloadKey } = encryptionPreamble(params);
  try {
    await writeAt(ends.outFd, preamble, ends.outputOffset);
    const payloadSize = await sealFileInParallel({
      key: payloadKey,
      inFd: ends.inFd,
      inputOffset: ends.inputOffset,
      toEnd: ends.toEnd,
      size: ends.size,
      outFd: ends.outFd,
      payloadOffset: ends.outputOffset + preamble.length,
    });
    return { plaintextSize: ends.size, ciphertextSize: preamble.length + payloadSize };
  } finally {
    payloadKey.fill(0);
  }
}

/** Writes all of `data` at `position` of `fd`. */
async function writeAt(fd: number, data: Buffer, position: number): Promise<void> {
  for (let off = 0; off < data.length; ) {
    off += await new Promise<number>((resolve, reject) =>
      write(fd, data, off, data.length - off, position + off, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}
