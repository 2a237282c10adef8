import {
  SqliteDialect,
  SqliteDriver,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from "kysely";
import type { WalFlusher } from "./walFlusher";

/** What the dialect asks the database: whether a transaction is open, and whether a statement writes. */
export interface SqliteWrites {
  readonly inTransaction: boolean;
  writes(sql: string): boolean;
}

/**
 * Kysely's better-sqlite3 driver, with every write made durable before it is reported done (see
 * {@link WalFlusher}): a transaction's commit, and a writing statement outside a transaction, wait for a
 * flush of the WAL. Reads never wait. The wait happens while Kysely still holds the connection (the next
 * query starts after the flush, as with `synchronous = FULL`), but off the event loop.
 */
class DurableSqliteDriver extends SqliteDriver {
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    config: SqliteDialectConfig,
    private readonly database: SqliteWrites,
    private readonly flusher: WalFlusher,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let durable = this.#connections.get(connection);
    if (!durable) {
      durable = {
        executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
          const result = await connection.executeQuery<R>(query);
          // A write outside a transaction committed on its own. (Transaction control statements count as
          // read-only: a transaction's commit waits in commitTransaction below.)
          if (!this.database.inTransaction && this.database.writes(query.sql)) await this.flusher.durable();
          return result;
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      this.#connections.set(connection, durable);
    }
    return durable;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    await this.flusher.durable();
  }
}

/**
 * Kysely's better-sqlite3 dialect over {@link DurableSqliteDriver}.
 *
 * @example
 * new Kysely<Tables>({ dialect: new DurableSqliteDialect({ database }, writes, flusher) });
 */
export class DurableSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly database: SqliteWrites,
    private readonly flusher: WalFlusher,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(this.config, this.database, this.flusher);
  }
}
