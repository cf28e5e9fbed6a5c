import { createRequire } from "node:module";

type Callback = (error: Error | null, table?: TableDefinition) => void;

interface TableDefinition {
  TableStatus?: string;
}

/** The part of dynalite's store (`dynalite/db`) this module touches. */
interface DynaliteStore {
  getTable(name: string, checkStatus: boolean | Callback, callback?: Callback): void;
  tableDb: {
    put(key: string, value: unknown, callback: (error: Error | null) => void): void;
    del(key: string, callback: (error: Error | null) => void): void;
  };
}

/**
 * Has every dynalite store created from now on keep its active tables' definitions in memory.
 * dynalite reads a table's definition from LevelDB at the start of every request (a LevelDB read
 * through libuv's thread pool: about a fifth of its thread's CPU under the local pipeline's load);
 * the definitions only change through `CreateTable`, `UpdateTable` and `DeleteTable`, which write
 * them with `tableDb.put`/`del`: each write drops the table's cached copy. Only ACTIVE tables are
 * kept, so a table being created or deleted is read as before. Written against dynalite 4.0.0
 * (pinned); the seams (`store.getTable`, `store.tableDb`) are checked when a store is made.
 *
 * @example
 * cacheDynaliteTables();
 * const server = dynalite({ path });
 */
export function cacheDynaliteTables(): void {
  const db = createRequire(require.resolve("dynalite"))("./db") as {
    create: (options: unknown) => DynaliteStore;
    tablesCached?: true;
  };
  if (db.tablesCached) return;
  const create = db.create;
  db.create = (options: unknown) => withTableCache(create(options));
  db.tablesCached = true;
}

function withTableCache(store: DynaliteStore): DynaliteStore {
  const { tableDb } = store;
  if (
    typeof store.getTable !== "function" ||
    typeof tableDb?.put !== "function" ||
    typeof tableDb.del !== "function"
  )
    throw new Error("dynalite's store is not the one cacheDynaliteTables was written for (dynalite 4.0.0)");
  const cache = new Map<string, TableDefinition>();
  const read = store.getTable.bind(store);
  const put = tableDb.put.bind(tableDb);
  const del = tableDb.del.bind(tableDb);
  tableDb.put = (key, value, callback) => {
    cache.delete(key);
    put(key, value, (error) => {
      cache.delete(key);
      callback(error);
    });
  };
  tableDb.del = (key, callback) => {
    cache.delete(key);
    del(key, (error) => {
      cache.delete(key);
      callback(error);
    });
  };
  store.getTable = (name, checkStatus, callback) => {
    const done = (typeof checkStatus === "function" ? checkStatus : callback) as Callback;
    const cached = cache.get(name);
    // UpdateTable and DeleteTable change the definition in place before writing it back.
    if (cached?.TableStatus === "ACTIVE") {
      setImmediate(done, null, cached);
      return;
    }
    read(name, typeof checkStatus === "function" ? true : checkStatus, (error, table) => {
      if (!error && table?.TableStatus === "ACTIVE") cache.set(name, table);
      done(error, table);
    });
  };
  return store;
}
