import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDialectConfig } from "kysely";
import type { WalFlusher } from "./walFlusher";

/** What the dialect asks the database: whether a transaction is open, and whether a statement writes. */
export interface SqliteWrites {
  readonly inTransaction: boolean;
  writes(sql: string): boolean;
}

/**
 * Kysely's better-sqlite3 dialect, with every write made durable before it is reported done (see
 * {@link WalFlusher}): a transaction's commit, and a writing statement outside a transaction, wait for a
 * flush of the WAL. Reads never wait. The wait happens while Kysely still holds the connection (the next
 * query starts after the flush, as with `synchronous = FULL`), but off the event loop.
 *
 * @example
 * new Kysely<Tables>({ dialect: new DurableSqliteDialect({ database }, database, flusher) });
 */
export class DurableSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly database: SqliteWrites,
    private readonly flusher: WalFlusher,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const { database, flusher } = this;
    const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const wrap = (connection: DatabaseConnection): DatabaseConnection => {
      let w = wrapped.get(connection);
      if (!w) {
        w = {
          executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
            const result = await connection.executeQuery<R>(query);
            // A write outside a transaction committed on its own. (Transaction control statements count as
            // read-only: a transaction's commit waits in commitTransaction below.)
            if (!database.inTransaction && database.writes(query.sql)) await flusher.durable();
            return result;
          },
          streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
        };
        wrapped.set(connection, w);
      }
      return w;
    };
    return {
      init: (options) => inner.init(options),
      acquireConnection: async (options) => wrap(await inner.acquireConnection(options)),
      beginTransaction: (connection, settings) => inner.beginTransaction(connection, settings),
      commitTransaction: async (connection) => {
        await inner.commitTransaction(connection);
        await flusher.durable();
      },
      rollbackTransaction: (connection) => inner.rollbackTransaction(connection),
      savepoint: inner.savepoint?.bind(inner),
      rollbackToSavepoint: inner.rollbackToSavepoint?.bind(inner),
      releaseSavepoint: inner.releaseSavepoint?.bind(inner),
      releaseConnection: (connection, options) => inner.releaseConnection(connection, options),
      destroy: (options) => inner.destroy(options),
    };
  }
}
