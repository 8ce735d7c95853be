import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  ok?: boolean;
  value?: unknown;
}

/** The most units of work one transaction takes; the rest go in the next one. */
const MAX_BATCH = 1000;

const batchers = new WeakMap<Database.Database, CommitBatcher>();

/**
 * Group commit for one SQLite connection: units of work (a store commit, a queue write) submitted while a batch
 * is open, that is until the next `setImmediate` turn, are written in one transaction, so the cost of a
 * transaction (its WAL frames, and with `synchronous=FULL` its fsync) is paid once for all of them.
 *
 * - Each unit runs inside its own SAVEPOINT: one that throws (a VersionConflictError, an
 *   IdempotencyConflictError) is rolled back alone and rejects only its own promise; the others commit.
 * - A promise settles only after the transaction holding its unit has committed (or failed): a resolved unit
 *   is as durable as the connection's `synchronous` setting makes a commit.
 * - Units run in submission order, so two commits of one workflow apply in call order.
 * - better-sqlite3 is synchronous, so a whole batch runs in one call that nothing else interleaves with: reads
 *   never see a batch half done, and a read made before a unit's promise settles sees the state without it
 *   (the unit has not happened yet), one made after sees it.
 *
 * When the transaction as a whole fails (BEGIN or COMMIT fails, or an error makes SQLite abandon the
 * transaction), every unit of the batch rejects with that error and none of them is written.
 */
export class CommitBatcher {
  readonly #db: Database.Database;
  /** Runs one unit atomically: a transaction of its own, or a savepoint inside the batch's transaction. */
  readonly #atomically: Database.Transaction<(work: () => unknown) => unknown>;
  readonly #batch: Database.Transaction<(batch: Pending[]) => void>;
  #pending: Pending[] = [];

  private constructor(db: Database.Database) {
    this.#db = db;
    // better-sqlite3 nests a transaction function called inside another as a SAVEPOINT.
    this.#atomically = db.transaction((work: () => unknown) => work());
    this.#batch = db.transaction((batch: Pending[]) => {
      for (const unit of batch) {
        try {
          unit.value = this.#atomically(unit.work);
          unit.ok = true;
        } catch (error) {
          // Some errors (I/O, a full disk) make SQLite roll the whole transaction back: the units before this
          // one are gone too, so the batch fails as a whole.
          if (!this.#db.inTransaction) throw error;
          unit.ok = false;
          unit.value = error;
        }
      }
    });
  }

  /** The batcher of a connection (one per connection, shared by the store and the queue on it). */
  static of(db: Database.Database): CommitBatcher {
    let batcher = batchers.get(db);
    if (!batcher) {
      batcher = new CommitBatcher(db);
      batchers.set(db, batcher);
    }
    return batcher;
  }

  /**
   * Runs `work` (synchronous database writes) in the next batch's transaction; resolves with its result once
   * that transaction has committed, rejects with what it threw (then nothing it wrote is kept).
   */
  run<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const unit: Pending = { work, resolve: resolve as (value: unknown) => void, reject };
      if (this.#pending.push(unit) === 1) setImmediate(this.#flush);
    });
  }

  /** Writes what is pending now (the database is about to close). */
  flush(): void {
    while (this.#pending.length > 0) this.#flush();
  }

  readonly #flush = (): void => {
    const batch = this.#pending.length > MAX_BATCH ? this.#pending.splice(0, MAX_BATCH) : this.#pending;
    if (batch === this.#pending) this.#pending = [];
    else setImmediate(this.#flush);
    if (batch.length === 0) return;
    if (batch.length === 1) {
      // Alone: its own transaction, no savepoint needed.
      const [unit] = batch;
      try {
        unit.value = this.#atomically.immediate(unit.work);
      } catch (error) {
        unit.reject(error);
        return;
      }
      unit.resolve(unit.value);
      return;
    }
    try {
      this.#batch.immediate(batch);
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    for (const unit of batch) {
      if (unit.ok) unit.resolve(unit.value);
      else unit.reject(unit.value);
    }
  };
}
