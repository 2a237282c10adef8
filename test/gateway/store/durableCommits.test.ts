import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite, type Store } from "../../../gateway/src/store/database";
import { WalFlusher } from "../../../gateway/src/store/walFlusher";

/** A flush the test finishes by hand, counting how many were started. */
function manualFlush() {
  const started: { done: () => void; fail: (e: Error) => void }[] = [];
  const flush = () => new Promise<void>((resolve, reject) => started.push({ done: resolve, fail: reject }));
  return { flush, started };
}

const settled = async (p: Promise<unknown>) => {
  let state = "pending";
  p.then(() => (state = "resolved"), () => (state = "rejected"));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe("WalFlusher (commits made durable by a flush that started after them)", () => {
  it("waits for the next flush when one is already running, and lets everyone who asked meanwhile share it", async () => {
    const { flush, started } = manualFlush();
    const f = new WalFlusher(flush);
    const first = f.durable();
    const second = f.durable();
    const third = f.durable();
    expect(started).toHaveLength(1);
    started[0]!.done();
    expect(await settled(first)).toBe("resolved");
    // The flush that was running when they asked may not hold their commits: they wait for the next one.
    expect(await settled(second)).toBe("pending");
    expect(started).toHaveLength(2);
    started[1]!.done();
    expect(await settled(second)).toBe("resolved");
    expect(await settled(third)).toBe("resolved");
    expect(started).toHaveLength(2);
  });

  it("fails the callers of a flush that fails, and starts afresh for the next caller", async () => {
    const { flush, started } = manualFlush();
    const f = new WalFlusher(flush);
    const failed = f.durable();
    started[0]!.fail(new Error("EIO"));
    await expect(failed).rejects.toThrow("EIO");
    const next = f.durable();
    expect(started).toHaveLength(2);
    started[1]!.done();
    await expect(next).resolves.toBeUndefined();
  });
});

describe("a SQLite store's writes", () => {
  let dir: string;
  let store: Store;
  let flushes: ReturnType<typeof manualFlush>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlat-durable-"));
    flushes = manualFlush();
    store = openSqlite(join(dir, "gateway.sqlite"), flushes.flush);
    const create = store.db.schema.createTable("t").addColumn("k", "text", (c) => c.primaryKey()).execute();
    while ((await settled(create)) === "pending") flushes.started.at(-1)?.done();
  });
  afterEach(async () => {
    for (const f of flushes.started) f.done();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `write`; checks it waits for exactly one new flush and is done once that flush is. */
  async function doneOnlyAfterOneFlush(write: () => Promise<unknown>) {
    const before = flushes.started.length;
    const written = write();
    expect(await settled(written)).toBe("pending");
    expect(flushes.started.length).toBe(before + 1);
    flushes.started.at(-1)!.done();
    expect(await settled(written)).toBe("resolved");
  }

  it("are reported done only after a flush of the WAL (a statement on its own)", async () => {
    await doneOnlyAfterOneFlush(() => store.db.insertInto("t" as never).values({ k: "a" } as never).execute());
  });

  it("are reported done only after a flush of the WAL (a transaction, once, at its commit)", async () => {
    await doneOnlyAfterOneFlush(() =>
      store.db.transaction().execute(async (t) => {
        await t.insertInto("t" as never).values({ k: "b" } as never).execute();
        await t.insertInto("t" as never).values({ k: "c" } as never).execute();
      }),
    );
  });

  it("do not flush for reads", async () => {
    const before = flushes.started.length;
    await store.db.selectFrom("t" as never).selectAll().execute();
    expect(flushes.started.length).toBe(before);
  });

  it("are refused when the flush fails (the caller does not hear 'done' for a write that may not be on disk)", async () => {
    const insert = store.db.insertInto("t" as never).values({ k: "d" } as never).execute();
    await new Promise((r) => setImmediate(r));
    flushes.started.at(-1)!.fail(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await expect(insert).rejects.toThrow("EIO");
  });
});

describe("the WAL flush of a real file", () => {
  it("syncs the database's -wal file after each write", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlat-durable-"));
    const store = openSqlite(join(dir, "gateway.sqlite"));
    try {
      await store.db.schema.createTable("t").addColumn("k", "text").execute();
      await store.db.insertInto("t" as never).values({ k: "x" } as never).execute();
      expect(await store.db.selectFrom("t" as never).selectAll().execute()).toEqual([{ k: "x" }]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
