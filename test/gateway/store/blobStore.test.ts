import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobStore } from "../../../gateway/src/blobs/blobStore";
import { sweepOrphanBlobs } from "../../../gateway/src/blobs/orphans";
import { openStore, type Store } from "../../../gateway/src/store/database";

const digestOf = (b: Buffer) => "0x" + createHash("sha256").update(b).digest("hex");
const drain = async (r: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe("the content-addressed blob store", () => {
  let dir: string;
  let blobs: BlobStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mlat-blobs-"));
    blobs = new BlobStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stores bytes under their SHA-256 and reads them back", async () => {
    const bytes = Buffer.from("evidence bytes");
    const stored = await blobs.put(Readable.from([bytes]));
    expect(stored).toEqual({ digest: digestOf(bytes), size: bytes.length });
    expect(await drain(blobs.read(stored.digest))).toEqual(bytes);
  });

  it("stores bytes from memory exactly as put stores the same bytes from a stream", async () => {
    const bytes = Buffer.from("a sealed dossier");
    const fromMemory = await blobs.putBytes(bytes);
    expect(fromMemory).toEqual(await blobs.put(Readable.from([bytes])));
    expect(await drain(blobs.read(fromMemory.digest))).toEqual(bytes);
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it("places a blob again when its fan-out directory was removed behind the store's back", async () => {
    const first = await blobs.putBytes(Buffer.from("one"));
    rmSync(join(blobs.pathOf(first.digest), ".."), { recursive: true });
    const again = await blobs.putBytes(Buffer.from("one"));
    expect(await drain(blobs.read(again.digest))).toEqual(Buffer.from("one"));
  });

  it("keeps nothing, not even a temp file, when the bytes do not match the expected digest", async () => {
    await expect(blobs.put(Readable.from([Buffer.from("a")]), { expected: digestOf(Buffer.from("b")) })).rejects.toMatchObject({ code: "DIGEST_MISMATCH" });
    expect(readdirSync(dir)).toEqual(["tmp"]);
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it("refuses bodies over the limit with PAYLOAD_TOO_LARGE and keeps nothing", async () => {
    await expect(blobs.put(Readable.from([Buffer.alloc(2048)]), { limit: 1024 })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it.each(["../../etc/passwd", "0x1234", "..", "0x" + "g".repeat(64), "a/b"])("refuses the name %s (only hex digests reach a path)", (name) => {
    expect(() => blobs.pathOf(name)).toThrow(/digest/);
  });

  it("fails a read whose bytes were changed on disk", async () => {
    const stored = await blobs.put(Readable.from([Buffer.from("original")]));
    writeFileSync(blobs.pathOf(stored.digest), "tampered");
    await expect(drain(blobs.read(stored.digest))).rejects.toMatchObject({ code: "DIGEST_MISMATCH" });
    expect(await blobs.verify(stored.digest)).toBe(false);
  });
  it("maps only hex SHA-256 names to paths: traversal, absolute paths, NUL and look-alikes never reach the file system", async () => {
    writeFileSync(join(dir, "..", "mlat-secret"), "outside the store");
    const hostile = fc.oneof(
      fc.constantFrom("../mlat-secret", "../../etc/passwd", "/etc/passwd", "..%2fmlat-secret", "0x" + "a".repeat(63) + "/", "a".repeat(64) + "\0", "0x" + "g".repeat(64), "0X" + "a".repeat(64) + "/..", "a".repeat(65), ""),
      fc.string({ maxLength: 80 }),
      fc.stringMatching(/^(\.\.\/|\/|[0-9a-f]){1,70}$/),
    ).filter((name) => !/^(0x)?[0-9a-fA-F]{64}$/.test(name));
    await fc.assert(
      fc.asyncProperty(hostile, async (name) => {
        expect(() => blobs.pathOf(name)).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
        expect(await blobs.has(name)).toBe(false);
        expect(await blobs.sizeOf(name)).toBeUndefined();
        expect(() => blobs.read(name)).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
        await expect(blobs.remove(name)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      }),
      { numRuns: 2_000 },
    );
    expect(existsSync(join(dir, "..", "mlat-secret"))).toBe(true);
    rmSync(join(dir, "..", "mlat-secret"));
  });
});

describe("the orphan sweep", () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlat-orphans-"));
    store = await openStore("sqlite::memory:");
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes old blobs no record refers to, and keeps recorded and fresh ones", async () => {
    const blobs = new BlobStore(dir);
    const recorded = await blobs.put(Readable.from([Buffer.from("recorded")]));
    const orphan = await blobs.put(Readable.from([Buffer.from("orphan")]));
    const fresh = await blobs.put(Readable.from([Buffer.from("fresh")]));
    await store.db.insertInto("documents").values({ digest: recorded.digest, kind: "dossier", request_id: null, evidence_id: null, size: 8, origin: "local", created_by: null, created_at: 0 }).execute();
    const old = new Date(Date.now() - 3_600_000);
    for (const d of [recorded.digest, orphan.digest]) utimesSync(blobs.pathOf(d), old, old);
    expect(await sweepOrphanBlobs(blobs, dir, store.db)).toBe(1);
    expect(existsSync(blobs.pathOf(orphan.digest))).toBe(false);
    expect(existsSync(blobs.pathOf(recorded.digest))).toBe(true);
    expect(existsSync(blobs.pathOf(fresh.digest))).toBe(true);
  });
});
