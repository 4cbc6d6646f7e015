/** Opens the store a runtime asks for: SQLite (in a data directory or in memory), or JS maps. */
import { MemoryStore } from "./memory/memory-store.ts";
import { openSqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store.ts";
import type { Store } from "./store.ts";

export type StoreKind = "sqlite" | "memory";

export function openStore(
  options: { kind?: StoreKind; dataDir?: string } & SqliteStoreOptions = {},
): Store {
  if (options.kind === "memory") {
    if (options.dataDir) {
      throw new TypeError("store: 'memory' keeps nothing on disk: drop dataDir, or use 'sqlite'");
    }
    return new MemoryStore();
  }
  return openSqliteStore(options.dataDir, options);
}
