/**
 * What a gateway holds, counted: the rows of every table of its store (found by introspection, so a
 * table added later is counted too) and the files of its blob directory. Suites that send hostile or
 * refused requests compare a census before and after to prove nothing was stored.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import type { Tables } from "../../gateway/src/store/tables";

/** Row count per table, plus `blobs` (content-addressed files) and `blobs.tmp` (temp files). */
export type Census = Record<string, number>;

/** Counts the files under `dir`, not descending into `tmp`; `tmp` counted apart. */
export function countBlobFiles(dir: string): { blobs: number; tmp: number } {
  const walk = (d: string): number =>
    existsSync(d) ? readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? (e.name === "tmp" ? 0 : walk(join(d, e.name))) : 1), 0) : 0;
  const tmp = join(dir, "tmp");
  return { blobs: walk(dir), tmp: existsSync(tmp) ? readdirSync(tmp).length : 0 };
}

/**
 * Counts every table of the store (its PostgreSQL schema, when `schema` is given) and the blob files.
 * @example const before = await storeCensus(gw.ctx.store.db, config.blobDir, config.storeSchema);
 */
export async function storeCensus(db: Kysely<Tables>, blobDir: string, schema?: string): Promise<Census> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView && (schema === undefined || t.schema === schema));
  const census: Census = {};
  for (const t of tables.map((t) => t.name).sort()) {
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(schema ? `${schema}.${t}` : t)}`.execute(db);
    census[t] = Number(row.rows[0]!.n);
  }
  const files = countBlobFiles(blobDir);
  census.blobs = files.blobs;
  census["blobs.tmp"] = files.tmp;
  return census;
}
