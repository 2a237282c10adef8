import { open, type FileHandle } from "node:fs/promises";
import { AgeDecryptor, type DecryptParameters, type DecryptReturnType } from "./ageDecrypt";
import { AgeEncryptor, type EncryptParameters, type EncryptReturnType } from "./ageEncrypt";
import { writeFileAtomically, type AtomicWriteOptions } from "./atomicFile";
import { pumpFile } from "./filePump";
import type { AgeIdentity } from "./keys";
import type { FileEnds } from "./fileStreams";
import { decryptBetweenFiles, encryptBetweenFiles } from "./parallelFiles";

/**
 * Options of {@link decryptFile}: those of {@link DecryptParameters} but the identities, and how the
 * plaintext file is written.
 *
 * @example
 * const options: DecryptFileOptions = { armor: false, mode: 0o600 };
 */
export interface DecryptFileOptions extends Omit<DecryptParameters, "identities">, AtomicWriteOptions {}

/**
 * Decrypts the age file at `inPath` (binary or armored) into `outPath`, all or nothing: the plaintext is
 * written to a temporary file next to `outPath`, flushed, and renamed over it only when the whole file
 * authenticated. On failure the temporary file is deleted, `outPath` is untouched, and the typed error
 * of {@link AgeDecryptor} is thrown. Memory does not grow with the file size. A binary file of
 * `PARALLEL_FILE_FROM` bytes or more is opened on worker threads, one per core (see
 * {@link decryptBetweenFiles}); any other file, or one whose payload fails authentication there, goes
 * through {@link AgeDecryptor} on the calling thread with overlapped I/O (see {@link pumpFile}), which
 * names the fault.
 *
 * @example
 * const identities = parseIdentityFile(await readFile("state-key.txt", "utf8"));
 * const { plaintextSize } = await decryptFile("evidence.age", "evidence.pdf", identities);
 */
export async function decryptFile(
  inPath: string,
  outPath: string,
  identities: readonly (AgeIdentity | string)[],
  options: DecryptFileOptions = {},
): Promise<DecryptReturnType> {
  const { mode, fsync, ...rest } = options;
  let core: AgeDecryptor | undefined;
  const makeCore = (emit: (chunk: Buffer) => void) => (core = new AgeDecryptor({ ...rest, identities }, emit));
  makeCore(() => undefined); // validate the identities before touching the file system
  return fileToFile(inPath, outPath, { mode, fsync }, (ends) => decryptBetweenFiles(ends, { ...rest, identities }), async (input, output) => {
    await pumpFile(input, output, makeCore);
    const c = core as unknown as AgeDecryptor;
    return { plaintextSize: c.plaintextSize, ciphertextSize: c.ciphertextSize };
  });
}

/**
 * Options of {@link encryptFile}.
 *
 * @example
 * const options: EncryptFileOptions = { recipients: ["age1…"], mode: 0o644 };
 */
export interface EncryptFileOptions extends EncryptParameters, AtomicWriteOptions {}

/**
 * Encrypts the file at `inPath` into the age file `outPath`, all or nothing (temporary file, flush,
 * rename). Memory does not grow with the file size. A regular file of `PARALLEL_FILE_FROM` bytes
 * or more (binary output) is sealed on worker threads, one per core (see {@link encryptBetweenFiles});
 * a smaller one, armored output or a pipe, on the calling thread with overlapped I/O.
 *
 * @example
 * await encryptFile("evidence.pdf", "evidence.age", { recipients: [requestingState, executingState] });
 */
export async function encryptFile(inPath: string, outPath: string, options: EncryptFileOptions): Promise<EncryptReturnType> {
  const { mode, fsync, ...params } = options;
  let core: AgeEncryptor | undefined;
  const makeCore = (emit: (chunk: Buffer) => void) => (core = new AgeEncryptor(params, emit));
  makeCore(() => undefined); // validate the recipients before touching the file system
  return fileToFile(inPath, outPath, { mode, fsync }, (ends) => encryptBetweenFiles(ends, params), async (input, output) => {
    await pumpFile(input, output, makeCore);
    const c = core as unknown as AgeEncryptor;
    return { plaintextSize: c.plaintextSize, ciphertextSize: c.ciphertextSize };
  });
}

/**
 * Writes `outPath` all or nothing from the file at `inPath`: between the two descriptors on worker threads
 * when `parallel` takes the work (a regular input file), else through `sequential`.
 */
async function fileToFile<T>(
  inPath: string,
  outPath: string,
  options: AtomicWriteOptions,
  parallel: (ends: FileEnds) => Promise<T | undefined>,
  sequential: (input: FileHandle, output: FileHandle) => Promise<T>,
): Promise<T> {
  const input = await open(inPath, "r");
  try {
    const stat = await input.stat();
    return await writeFileAtomically(
      outPath,
      async (output) => {
        const ends = { inFd: input.fd, inputOffset: 0, size: stat.size, toEnd: true, outFd: output.fd, outputOffset: 0, outputFresh: true };
        return (stat.isFile() ? await parallel(ends) : undefined) ?? (await sequential(input, output));
      },
      options,
    );
  } finally {
    await input.close();
  }
}
