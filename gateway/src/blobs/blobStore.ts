import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { access, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { failpoint } from "../failpoints";
import { GatewayError } from "../http/errors";

/** A blob name: the lower-case hex SHA-256 of its bytes, with or without `0x`. Nothing else reaches a path. */
const DIGEST = /^(0x)?[0-9a-f]{64}$/;

/** What {BlobStore.put} stored. */
export interface StoredBlob {
  /** `0x`-prefixed SHA-256 of the bytes. */
  digest: string;
  size: number;
}

/**
 * A content-addressed directory: each blob lives at `<dir>/<aa>/<bb>/<digest>`, written to a temp file,
 * fsynced and renamed into place, so a blob is either whole or absent. Reads are re-hashed and fail if
 * the bytes no longer match their name.
 */
export class BlobStore {
  readonly #dir: string;
  readonly #tmp: string;
  /** Fan-out directories known to exist (`aa/bb`), so placing a blob does not ask for them again. */
  readonly #made = new Set<string>();

  constructor(dir: string) {
    this.#dir = dir;
    this.#tmp = join(dir, "tmp");
    mkdirSync(this.#tmp, { recursive: true });
  }

  /** The path of a digest's blob; throws on anything that is not a digest (no path traversal). */
  pathOf(digest: string): string {
    const hex = normalize(digest);
    return join(this.#dir, hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  /** True when the blob is present. */
  async has(digest: string): Promise<boolean> {
    try {
      await access(this.pathOf(digest));
      return true;
    } catch {
      return false;
    }
  }

  /** Size of a present blob, or undefined. */
  async sizeOf(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(digest))).size;
    } catch {
      return undefined;
    }
  }

  /**
   * Streams `source` into the store. With `expected`, the bytes must hash to it or nothing is kept.
   * `limit` caps the size (413). Idempotent: storing bytes already present changes nothing.
   */
  async put(source: Readable | AsyncIterable<Uint8Array>, options: { expected?: string; limit?: number } = {}): Promise<StoredBlob> {
    const temp = this.tempPath();
    const hasher = new HashingCounter(options.limit);
    try {
      await pipeline(source, hasher, createWriteStream(temp, { flags: "wx", highWaterMark: 1 << 20 }));
      const digest = "0x" + hasher.digest();
      if (options.expected !== undefined && digest !== "0x" + normalize(options.expected)) {
        throw new GatewayError("DIGEST_MISMATCH", `the bytes hash to ${digest}, not ${options.expected}`);
      }
      await this.commit(temp, digest);
      return { digest, size: hasher.size };
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  /**
   * Stores bytes already in memory (a sealed document, a manifest): hashed here, written and flushed
   * through one file handle, then placed as {@link commit} does. Same result as `put` of the same bytes,
   * in half the file system calls.
   */
  async putBytes(bytes: Uint8Array): Promise<StoredBlob> {
    const digest = "0x" + createHash("sha256").update(bytes).digest("hex");
    const temp = this.tempPath();
    try {
      const file = await open(temp, "wx");
      try {
        await file.writeFile(bytes);
        await file.datasync();
      } finally {
        await file.close();
      }
      await this.#place(temp, digest);
      return { digest, size: bytes.length };
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  /** A fresh temp path inside the store (same filesystem, so the final rename is atomic). */
  tempPath(): string {
    return join(this.#tmp, randomBytes(12).toString("hex"));
  }

  /** Moves a fully written temp file (already hashed to `digest`) into place durably. */
  async commit(temp: string, digest: string): Promise<void> {
    const handle = await open(temp, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.#place(temp, digest);
  }

  /** Renames a flushed temp file to its digest's path and flushes the directory (the rename's durability). */
  async #place(temp: string, digest: string, again = false): Promise<void> {
    const path = this.pathOf(digest);
    const dir = join(path, "..");
    if (!this.#made.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#made.add(dir);
    }
    try {
      await rename(temp, path);
    } catch (e) {
      // The directory was removed behind our back (an operator tidying up): make it again, once.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || again || !this.#made.delete(dir)) throw e;
      return this.#place(temp, digest, true);
    }
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    failpoint("blob.afterRename");
  }

  /**
   * Reads a blob; the stream fails with DIGEST_MISMATCH at its end if the bytes do not hash to their name
   * (a reader must not trust the bytes before the stream ends cleanly).
   */
  read(digest: string): Readable {
    const expected = normalize(digest);
    const check = new HashingCounter();
    const file = createReadStream(this.pathOf(digest), { highWaterMark: 1 << 20 });
    file.on("error", (e) => check.destroy(e));
    check.onFlush = () => {
      const actual = check.digest();
      if (actual !== expected) throw new GatewayError("DIGEST_MISMATCH", `blob ${expected} is corrupt (hashes to ${actual})`);
    };
    return file.pipe(check);
  }

  /** Hashes a stored blob fully; true when its bytes still match its name. */
  async verify(digest: string): Promise<boolean> {
    try {
      const reader = this.read(digest);
      for await (const _ of reader) void _;
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Removes the temp files a crashed writer left, those untouched for `olderThanMs` (a live writer, maybe
   * another replica's, keeps its file fresh); 0 removes them all (one gateway alone on the directory).
   */
  async sweepTemp(olderThanMs = 0): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.#tmp).catch(() => [] as string[])) {
      const path = join(this.#tmp, name);
      if (olderThanMs > 0) {
        const written = await stat(path).then((s) => s.mtimeMs, () => undefined);
        if (written === undefined || now - written < olderThanMs) continue;
      }
      await rm(path, { recursive: true, force: true });
    }
    await mkdir(this.#tmp, { recursive: true });
  }

  /** Deletes a blob (only for blobs no record refers to). */
  async remove(digest: string): Promise<void> {
    await rm(this.pathOf(digest), { force: true });
  }
}

function normalize(digest: string): string {
  const d = digest.toLowerCase();
  if (!DIGEST.test(d)) throw new GatewayError("BAD_REQUEST", "a blob name must be a SHA-256 digest in hex");
  return d.startsWith("0x") ? d.slice(2) : d;
}

/** Pass-through that hashes and counts, failing past `limit` bytes. */
class HashingCounter extends Transform {
  readonly #hash = createHash("sha256");
  readonly #limit?: number;
  size = 0;
  onFlush?: () => void;

  constructor(limit?: number) {
    super({ highWaterMark: 1 << 20 });
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.#limit !== undefined && this.size > this.#limit) {
      done(new GatewayError("PAYLOAD_TOO_LARGE", `the body is larger than ${this.#limit} bytes`));
      return;
    }
    this.#hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.onFlush?.();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  digest(): string {
    return this.#hash.digest("hex");
  }
}
