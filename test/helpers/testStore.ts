import { openStore, type Store } from "../../gateway/src/store/database";
import { dropSchemas, POSTGRES_URL, type StoreKind } from "./gateways";

/**
 * A migrated gateway store of `kind` for one test: SQLite in memory, or a fresh PostgreSQL schema that
 * `close()` drops.
 * @example const { store, close } = await openTestStore("postgres"); … await close();
 */
export async function openTestStore(kind: StoreKind): Promise<{ store: Store; close(): Promise<void> }> {
  if (kind === "sqlite") {
    const store = await openStore("sqlite::memory:");
    return { store, close: () => store.close() };
  }
  const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
  const store = await openStore(POSTGRES_URL, schema);
  return {
    store,
    close: async () => {
      await store.close();
      await dropSchemas([schema]);
    },
  };
}
