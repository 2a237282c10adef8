import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from "kysely";
import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import pg from "pg";
import * as initial from "./migrations/001_initial";
import * as eventDigests from "./migrations/002_event_digests";
import * as jobsDone from "./migrations/003_jobs_done";
import type { Tables } from "./tables";
import { DurableSqliteDialect } from "./durableSqlite";
import { WalFlusher, walFileSync } from "./walFlusher";

/** The gateway's database handle and which dialect it speaks. */
export interface Store {
  db: Kysely<Tables>;
  dialect: "sqlite" | "postgres";
  close(): Promise<void>;
}

/** Every migration, in order; the same set for both dialects. */
const MIGRATIONS: Record<string, Migration> = { "001_initial": initial, "002_event_digests": eventDigests, "003_jobs_done": jobsDone };

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** PostgreSQL returns `bigint` (int8) as a string; every bigint here is a time or block number. */
const PG_TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
};

/**
 * Opens the store named by `url` (`sqlite:<file>`, `sqlite::memory:`, `postgres://…`) and migrates it.
 * `schema` isolates several gateways in one PostgreSQL database.
 * @example const store = await openStore("sqlite:.data/mx/gateway.sqlite");
 */
export async function openStore(url: string, schema?: string): Promise<Store> {
  const store = url.startsWith("sqlite:") ? openSqlite(url.slice("sqlite:".length)) : await openPostgres(url, schema);
  const migrator = new Migrator({ db: store.db, provider: new StaticMigrations(), migrationTableSchema: schema });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * A SQLite store. A file database runs in WAL mode with `synchronous = NORMAL` and every write waits for
 * an `fdatasync` of the WAL off the event loop before it is reported done (see `WalFlusher`): as durable
 * as `synchronous = FULL`, without blocking the event loop for each commit's `fsync`. `walSync` replaces
 * that flush (tests).
 */
export function openSqlite(file: string, walSync?: () => Promise<void>): Store {
  const memory = file === ":memory:";
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma("journal_mode = WAL");
  database.pragma(memory ? "synchronous = FULL" : "synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  database.pragma("foreign_keys = ON");
  const cached = withStatementCache(database);
  if (memory) {
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const wal = walFileSync(file);
  const flusher = new WalFlusher(walSync ?? wal.flush);
  const writes = {
    get inTransaction() {
      return database.inTransaction;
    },
    writes: (sql: string) => !(cached.prepare(sql) as Database.Statement).readonly,
  };
  const db = new Kysely<Tables>({ dialect: new DurableSqliteDialect({ database: cached }, writes, flusher) });
  return {
    db,
    dialect: "sqlite",
    close: async () => {
      await db.destroy();
      await wal.close();
    },
  };
}

/** Statements kept prepared; the gateway issues a few dozen distinct ones. */
const STATEMENT_CACHE = 256;

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, so keep them by SQL text
 * (one connection, queries run one at a time: a statement is never used by two queries at once).
 */
function withStatementCache(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: PG_TYPES });
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
    pool.on("connect", (client) => void client.query(`set search_path to "${schema}"`));
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** True when the store answers a trivial query (for `/readyz`). */
export async function storeReachable(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}
