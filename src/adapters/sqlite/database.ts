import Database from 'better-sqlite3';
import { BatonError } from '../../errors.js';
import { CommitBatcher } from './commit-batcher.js';
import { attachConnection, connectionOf } from './connection.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** Options of {@link SqliteDatabase.open} and `sqlite()`. */
export interface SqliteOptions {
  /** The database file (created when missing), or `:memory:`. */
  readonly path: string;
  /**
   * `PRAGMA synchronous` in WAL mode: `NORMAL` (the default) survives a process crash but may lose the last
   * commits on a power loss; `FULL` syncs every commit.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How long a writer waits for another process's lock before failing. @default 5000 */
  readonly busyTimeoutMs?: number;
}

/**
 * One open Baton SQLite database, shared by a {@link SqliteStore} and a {@link SqliteQueue} so a commit writes
 * state and queue in one transaction. It is closed when every store and queue using it is closed.
 */
export class SqliteDatabase {
  readonly path: string;
  /** @internal set once a SqliteQueue uses the database: store commits then write its queue ops. */
  queueAttached = false;
  #users = 0;
  #closed = false;

  private constructor(connection: Database.Database, path: string) {
    attachConnection(this, connection);
    this.path = path;
  }

  /**
   * Opens (or creates) a database and brings its schema up to date. A file that is not a Baton database (not
   * SQLite, corrupt, another application's, or from a newer Baton) is refused with a BatonError of code
   * `ADAPTER`, and left untouched.
   */
  static open(options: SqliteOptions): SqliteDatabase {
    let connection: Database.Database;
    try {
      connection = new Database(options.path);
    } catch (error) {
      throw new BatonError('ADAPTER', `Cannot open SQLite database ${options.path}: ${message(error)}`, {
        cause: error,
      });
    }
    try {
      connection.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      migrate(connection, options.path);
      connection.pragma('journal_mode = WAL');
      connection.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
      connection.pragma('foreign_keys = OFF');
    } catch (error) {
      connection.close();
      if (BatonError.is(error)) throw error;
      throw new BatonError(
        'ADAPTER',
        `${options.path} is not a usable Baton SQLite database (${message(error)}); it was left untouched`,
        { cause: error },
      );
    }
    return new SqliteDatabase(connection, options.path);
  }

  /** @internal counts a store or queue using the database. */
  acquire(): void {
    if (this.#closed) throw new BatonError('ADAPTER', `SQLite database ${this.path} is closed`);
    this.#users++;
  }

  /** @internal closes the connection when its last user lets go. */
  release(): void {
    if (this.#closed) return;
    this.#users--;
    if (this.#users <= 0) {
      this.#closed = true;
      const connection = connectionOf(this);
      // Writes submitted but not yet group-committed are written before the file closes.
      CommitBatcher.of(connection).flush();
      connection.close();
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Checks that the file is a Baton database (or empty), then applies the missing migrations in one transaction. */
function migrate(connection: Database.Database, path: string): void {
  // Reading the header fails with SQLITE_NOTADB for a file that is not SQLite (or is corrupt).
  const applicationId = connection.pragma('application_id', { simple: true }) as number;
  const version = connection.pragma('user_version', { simple: true }) as number;
  if (applicationId !== APPLICATION_ID) {
    const tables = connection.prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
    );
    const { n } = tables.get() as { n: number };
    if (applicationId !== 0 || version !== 0 || n > 0) {
      throw new BatonError(
        'ADAPTER',
        `${path} is an SQLite database of another application, not a Baton database; it was left untouched`,
      );
    }
  }
  if (version > SCHEMA_VERSION) {
    throw new BatonError(
      'ADAPTER',
      `${path} has Baton schema version ${version}, newer than this package's (${SCHEMA_VERSION}); upgrade baton-engine`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  connection
    .transaction(() => {
      // Another process may have migrated between the check and the write lock.
      const current = connection.pragma('user_version', { simple: true }) as number;
      for (let v = current; v < SCHEMA_VERSION; v++) connection.exec(MIGRATIONS[v]);
      connection.pragma(`application_id = ${APPLICATION_ID}`);
      connection.pragma(`user_version = ${SCHEMA_VERSION}`);
    })
    .immediate();
}
