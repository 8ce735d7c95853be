import type Database from 'better-sqlite3';
import { BatonError } from '../../errors.js';

/**
 * The driver connection of each open database, kept out of `SqliteDatabase` so no driver type is part of the
 * public API. Internal to the adapter.
 */
const connections = new WeakMap<object, Database.Database>();

/** Records the connection of a database (at open). */
export function attachConnection(database: object, connection: Database.Database): void {
  connections.set(database, connection);
}

/** The better-sqlite3 connection of an open database, for the store and queue of this adapter. */
export function connectionOf(database: { readonly path: string }): Database.Database {
  const connection = connections.get(database);
  if (!connection) throw new BatonError('ADAPTER', `Not an open SQLite database: ${database.path}`);
  return connection;
}
