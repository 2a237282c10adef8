import { ftruncate, read, write } from "node:fs";
import { promisify } from "node:util";
import { isMlatError } from "../errors/MlatError";
import type { DecryptParameters, DecryptReturnType } from "./ageDecrypt";
import type { EncryptParameters, EncryptReturnType } from "./ageEncrypt";
import { parseHeader } from "./ageHeader";
import { encryptionPreamble } from "./agePreamble";
import { looksArmored } from "./armor";
import type { FileEnds } from "./fileStreams";
import { AGE } from "./formats";
import { toIdentity } from "./keys";
import { openFileInParallel, PARALLEL_FILE_FROM, payloadLayoutIsValid, sealFileInParallel } from "./parallelPayload";
import { payloadKey } from "./payload";
import { unwrapFileKey } from "./unwrapFileKey";

/** Bytes read first to find the header (most headers are a few hundred bytes). */
const FIRST_READ = 64 * 1024;

/**
 * Encrypts (binary age) the plaintext at `ends.inputOffset` of one regular file into another at
 * `ends.outputOffset`: the header and payload nonce first, then the payload sealed on worker threads (see
 * {@link sealFileInParallel}), when that applies: {@link PARALLEL_FILE_FROM} bytes or more, binary
 * output. Otherwise resolves to `undefined` (nothing written), for the caller to take the sequential path.
 * Neither descriptor is closed.
 *
 * @example
 * const sizes = (await encryptBetweenFiles(ends, { recipients })) ?? (await sequentially());
 */
export async function encryptBetweenFiles(ends: FileEnds, params: EncryptParameters): Promise<EncryptReturnType | undefined> {
  if (params?.armor || ends.size < PARALLEL_FILE_FROM) return undefined;
  const { preamble, payloadKey: key } = encryptionPreamble(params);
  try {
    await writeAt(ends.outFd, preamble, ends.outputOffset);
    const payloadSize = await sealFileInParallel({
      key,
      inFd: ends.inFd,
      inputOffset: ends.inputOffset,
      toEnd: ends.toEnd,
      size: ends.size,
      outFd: ends.outFd,
      outputOffset: ends.outputOffset + preamble.length,
    });
    return { plaintextSize: ends.size, ciphertextSize: preamble.length + payloadSize };
  } finally {
    key.fill(0);
  }
}

/**
 * Decrypts the binary age file at `ends.inputOffset` of one regular file (`ends.size` bytes) into another
 * at `ends.outputOffset`, the payload opened on worker threads (see {@link openFileInParallel}), when that
 * applies: {@link PARALLEL_FILE_FROM} bytes or more, not armored, a header that parses, a well-formed
 * payload layout, an output file emptied when it was opened (`ends.outputFresh`), and at least one
 * identity (bad parameters are the sequential path's to name). Otherwise, and when
 * a chunk fails authentication, resolves to `undefined` with the output cut back to `outputOffset`, for
 * the caller to take the sequential path (which then names the fault exactly as it always does and leaves
 * what it always leaves). A header that is invalid or that no identity opens throws as the sequential path
 * would. Neither descriptor is closed.
 *
 * @example
 * const sizes = (await decryptBetweenFiles(ends, params)) ?? (await sequentially());
 */
export async function decryptBetweenFiles(ends: FileEnds, params: DecryptParameters): Promise<DecryptReturnType | undefined> {
  const { inFd, inputOffset, size, outFd, outputOffset } = ends;
  if (params?.armor === true || size < PARALLEL_FILE_FROM || !ends.outputFresh) return undefined;
  if (!Array.isArray(params?.identities) || params.identities.length === 0) return undefined;
  const maxHeaderSize = params.maxHeaderSize ?? AGE.maxHeaderSize;
  let prefix = await readAt(inFd, Math.min(size, FIRST_READ), inputOffset);
  if (params.armor !== false && looksArmored(prefix) !== false) return undefined;
  let parsed = parseHeader(prefix, maxHeaderSize);
  if (!parsed && prefix.length < size) {
    prefix = await readAt(inFd, Math.min(size, maxHeaderSize + AGE.payloadNonceSize), inputOffset);
    parsed = parseHeader(prefix, maxHeaderSize);
  }
  if (!parsed) return undefined;
  const payloadStart = parsed.size + AGE.payloadNonceSize;
  if (prefix.length < payloadStart || !payloadLayoutIsValid(size - payloadStart)) return undefined;
  const fileKey = unwrapFileKey(parsed.header, params.identities.map(toIdentity));
  const key = payloadKey(fileKey, prefix.subarray(parsed.size, payloadStart));
  fileKey.fill(0);
  try {
    const plaintextSize = await openFileInParallel({
      key,
      inFd,
      inputOffset: inputOffset + payloadStart,
      size: size - payloadStart,
      toEnd: ends.toEnd,
      outFd,
      outputOffset,
    });
    return { plaintextSize, ciphertextSize: size };
  } catch (e) {
    if (!isMlatError(e, "AGE_PAYLOAD_INVALID")) throw e;
    await truncate(outFd, outputOffset);
    return undefined;
  } finally {
    key.fill(0);
  }
}

/** Up to `length` bytes at `position` (fewer at the end of the file). */
async function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, buffer, got, length - got, position + got, (e, bytes) => (e ? reject(e) : resolve(bytes))),
    );
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

/** Writes all of `data` at `position` of `fd`. */
async function writeAt(fd: number, data: Buffer, position: number): Promise<void> {
  for (let off = 0; off < data.length; ) {
    off += await new Promise<number>((resolve, reject) =>
      write(fd, data, off, data.length - off, position + off, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}

const truncate: (fd: number, length: number) => Promise<void> = promisify(ftruncate);
