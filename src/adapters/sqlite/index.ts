/**
 * The SQLite adapter: state and queues in one database file (WAL), so every decide commits atomically and
 * everything survives a restart. Needs the optional peer dependency `better-sqlite3` (12.x).
 *
 * @example
 * ```ts
 * import { Engine } from 'baton-engine';
 * import { sqlite } from 'baton-engine/sqlite';
 * const engine = new Engine({ ...sqlite({ path: 'baton.db' }) });
 * ```
 * @module
 */
import { SqliteDatabase, type SqliteOptions } from './database.js';
import { SqliteQueue } from './queue.js';
import { SqliteStore } from './store.js';

export { SqliteDatabase, type SqliteOptions } from './database.js';
export { SCHEMA_VERSION } from './migrations.js';
export { SqliteQueue } from './queue.js';
export { SqliteStore } from './store.js';

/**
 * Opens (or creates) a Baton database and returns a store and a queue on it, to spread into the engine's
 * options. The store commits the queue's messages in its own transactions. The file is closed when both are
 * closed. A file that is not a Baton database is refused (BatonError `ADAPTER`) and left untouched; one of an
 * older schema version is migrated.
 */
export function sqlite(options: SqliteOptions): { store: SqliteStore; queue: SqliteQueue } {
  const database = SqliteDatabase.open(options);
  return { store: new SqliteStore(database), queue: new SqliteQueue(database) };
}
