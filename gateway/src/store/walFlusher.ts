import { open, type FileHandle } from "node:fs/promises";

/**
 * Makes SQLite commits durable off the event loop. The database runs with `synchronous = NORMAL` (in WAL
 * mode a commit then writes its frames to the WAL without an `fsync`), and a writer waits for
 * {@link WalFlusher.durable} before it goes on: an `fdatasync` of the WAL file, on libuv's thread pool,
 * that *started after* its commit, so its frames are on disk, as `synchronous = FULL` would have made
 * them inside the commit, blocking the event loop (and every HTTP call waiting on it) for the length of
 * the `fsync`. One flush runs at a time; everyone who asks while it runs shares the next one (a group
 * commit). Checkpoints stay SQLite's: with NORMAL it syncs the WAL before a checkpoint and the database
 * file after one.
 *
 * @example
 * const flusher = new WalFlusher(walFileSync("gateway.sqlite"));
 * await flusher.durable(); // after a commit
 */
export class WalFlusher {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(private readonly flush: () => Promise<void>) {}

  /** Resolves once a flush that started after this call has completed; rejects with its error. */
  durable(): Promise<void> {
    if (!this.#running) return this.#start();
    // The running flush may have started before the caller's commit: wait for the next one.
    this.#next ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined;
        return this.#start();
      });
    return this.#next;
  }

  #start(): Promise<void> {
    const run: Promise<void> = this.flush().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }
}

/**
 * The flush of a SQLite database's WAL file (`<file>-wal`): `fdatasync` through a handle opened on first
 * use and kept (SQLite keeps the WAL file while a connection is open, and overwrites it from the start
 * after a checkpoint rather than replacing it).
 * @example const flush = walFileSync("/var/lib/mlat/gateway.sqlite"); await flush();
 */
export function walFileSync(databaseFile: string): { flush: () => Promise<void>; close: () => Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  return {
    flush: async () => {
      handle ??= open(`${databaseFile}-wal`, "r");
      await (await handle).datasync();
    },
    close: async () => {
      const h = handle;
      handle = undefined;
      if (h) await (await h).close();
    },
  };
}
