/**
 * Group commit: rows that concurrent requests write on their own go into one transaction, and each
 * caller resolves only once that transaction has committed — the same durability as a commit of its
 * own, for one `fsync` instead of one per row. On SQLite this matters twice: better-sqlite3 is
 * synchronous, so every commit (`synchronous = FULL`: an fsync, ~5 ms on this machine) blocks the event
 * loop and every request waiting on it.
 *
 * Rows are gathered until the event loop turns (`setImmediate`: everything that arrived in the same I/O
 * phase joins), then written by one `write(items)`; rows that arrive while it runs form the next batch.
 * If a batch fails, its rows are written one by one, so one bad row fails only its own caller.
 * @example
 * const audit = new GroupCommit<AuditEntryRow>((rows) => db.transaction().execute(async (trx) => { for (const r of rows) await trx.insertInto("audit_entries").values(r).execute(); }));
 * await audit.add(row); // committed
 */
export class GroupCommit<T> {
  readonly #queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #draining = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  /** Queues `item`; resolves once a transaction holding it has committed, rejects if it could not be written. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (e) {
        if (batch.length === 1) batch[0]!.reject(e);
        else for (const b of batch) await this.write([b.item]).then(b.resolve, b.reject);
      }
    }
    this.#draining = false;
  }
}
