import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import type { Tables } from "../store/tables";
import type { BlobStore } from "./blobStore";

/** Blobs younger than this are left alone (another replica may be about to record them). */
const GRACE_MS = 60_000;

/**
 * Removes blobs no document record refers to: what a crash between writing a blob and committing its
 * record leaves behind (the blob is written first, so a record never lacks its blob). Returns how many
 * were removed.
 * @example await sweepOrphanBlobs(blobs, dir, db)
 */
export async function sweepOrphanBlobs(blobs: BlobStore, dir: string, db: Kysely<Tables>, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const a of await hexDirs(dir)) {
    for (const b of await hexDirs(join(dir, a))) {
      for (const name of await readdir(join(dir, a, b))) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const digest = "0x" + name;
        const known = await db.selectFrom("documents").select("digest").where("digest", "=", digest).executeTakeFirst();
        if (known) continue;
        const age = now - (await stat(join(dir, a, b, name))).mtimeMs;
        if (age < GRACE_MS) continue;
        await blobs.remove(digest);
        removed++;
      }
    }
  }
  return removed;
}

async function hexDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}
