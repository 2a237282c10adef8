import { randomBytes } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Options of {@link writeFileAtomically}.
 *
 * @example
 * const options: AtomicWriteOptions = { mode: 0o600, fsync: true };
 */
export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o600: decrypted evidence is for its owner only). */
  readonly mode?: number;
  /** Flush the file (and its directory entry) to disk before and after the rename (default true). */
  readonly fsync?: boolean;
}

/**
 * Writes a file all or nothing: `write` fills a temporary file in the target's directory (through the
 * open handle it is given), which is flushed to disk and renamed over `path` only if `write` resolves;
 * on any failure the temporary file is deleted and `path` is left untouched. The rename is atomic on
 * POSIX file systems.
 *
 * @example
 * await writeFileAtomically("out.bin", (handle) => handle.writeFile(bytes).then(() => bytes.length));
 */
export async function writeFileAtomically<T>(
  path: string,
  write: (handle: FileHandle) => Promise<T>,
  options: AtomicWriteOptions = {},
): Promise<T> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  const handle = await open(temp, "wx", options.mode ?? 0o600);
  let closed = false;
  try {
    const result = await write(handle);
    if (options.fsync ?? true) await handle.sync();
    await handle.close();
    closed = true;
    await rename(temp, path);
    if (options.fsync ?? true) await syncDirectory(dir);
    return result;
  } catch (e) {
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw e;
  }
}

/** fsync of a directory, so a rename in it survives a crash; best effort where unsupported. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync a directory; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
