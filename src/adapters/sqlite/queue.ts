import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Lease, Queue, QueueOp, QueuePush } from '../../queue/queue.js';
import { CommitBatcher } from './commit-batcher.js';
import { connectionOf } from './connection.js';
import type { SqliteDatabase } from './database.js';
import { QueueStatements } from './queue-statements.js';

interface MessageRow {
  ord: number;
  id: string;
  priority: number;
}

/**
 * Task queues and the decide queue in SQLite tables. On the database of a {@link SqliteStore} its messages are
 * written by the store's commits, in the same transaction as the state they belong to. Its own writes (push,
 * poll, ack, remove, apply) are group-committed with the store's commits (see `commit-batcher.ts`).
 */
export class SqliteQueue implements Queue {
  readonly name = 'sqlite';
  /** @internal */
  readonly database: SqliteDatabase;
  readonly #ops: QueueStatements;
  readonly #select: Database.Statement<[string, number, number], MessageRow>;
  readonly #lease: Database.Statement;
  readonly #ack: Database.Statement;
  readonly #sizesAll: Database.Statement<[], { queue: string; n: number }>;
  readonly #sizesOf: Database.Statement<[string], { queue: string; n: number }>;
  readonly #nextAll: Database.Statement<[], { at: number | null }>;
  readonly #nextOf: Database.Statement<[string], { at: number | null }>;
  readonly #batcher: CommitBatcher;
  /** Tokens are unique across processes sharing the file: a random prefix and a counter. */
  readonly #tokenPrefix = randomBytes(6).toString('hex');
  #tokens = 0;
  #closed = false;

  constructor(database: SqliteDatabase) {
    database.acquire();
    database.queueAttached = true;
    this.database = database;
    const db = connectionOf(database);
    this.#ops = new QueueStatements(db);
    this.#select = db.prepare(`
      SELECT ord, id, priority FROM queue_messages
      WHERE queue = ? AND avail_at <= ?
      ORDER BY priority DESC, visible_at, ord
      LIMIT ?`);
    this.#lease = db.prepare(
      'UPDATE queue_messages SET token = ?, lease_until = ?, avail_at = ? WHERE ord = ?',
    );
    this.#ack = db.prepare('DELETE FROM queue_messages WHERE queue = ? AND id = ? AND token = ?');
    this.#sizesAll = db.prepare(
      'SELECT queue, count(*) AS n FROM queue_messages WHERE token IS NULL GROUP BY queue',
    );
    this.#sizesOf = db.prepare(`
      SELECT queue, count(*) AS n FROM queue_messages
      WHERE token IS NULL AND queue IN (SELECT value FROM json_each(?)) GROUP BY queue`);
    this.#nextAll = db.prepare('SELECT min(avail_at) AS at FROM queue_messages');
    this.#nextOf = db.prepare(`
      SELECT min(avail_at) AS at FROM queue_messages WHERE queue IN (SELECT value FROM json_each(?))`);
    this.#batcher = CommitBatcher.of(db);
  }

  async push(messages: readonly QueuePush[]): Promise<void> {
    if (messages.length === 0) return;
    await this.#batcher.run(() => {
      for (const m of messages) this.#ops.push(m);
    });
  }

  async poll(queue: string, options: { count: number; now: number; leaseMs: number }): Promise<Lease[]> {
    if (options.count <= 0) return [];
    const { count, now, leaseMs } = options;
    return this.#batcher.run(() => {
      const rows = this.#select.all(queue, now, count);
      const leaseUntil = now + leaseMs;
      return rows.map((row) => {
        const token = `${this.#tokenPrefix}-${++this.#tokens}`;
        this.#lease.run(token, leaseUntil, leaseUntil, row.ord);
        return { queue, id: row.id, token, priority: row.priority };
      });
    });
  }

  ack(lease: Lease): Promise<boolean> {
    return this.#batcher.run(() => this.#ack.run(lease.queue, lease.id, lease.token).changes > 0);
  }

  async remove(queue: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#batcher.run(() => {
      for (const id of ids) this.#ops.remove(queue, id);
    });
  }

  async apply(ops: readonly QueueOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.#batcher.run(() => this.#ops.apply(ops));
  }

  async sizes(queues?: readonly string[]): Promise<Record<string, number>> {
    const sizes: Record<string, number> = {};
    if (queues) {
      for (const q of queues) sizes[q] = 0;
      for (const row of this.#sizesOf.all(JSON.stringify(queues))) sizes[row.queue] = row.n;
      return sizes;
    }
    for (const row of this.#sizesAll.all()) sizes[row.queue] = row.n;
    return sizes;
  }

  async nextVisibleAt(queues?: readonly string[]): Promise<number | null> {
    const row = queues ? this.#nextOf.get(JSON.stringify(queues)) : this.#nextAll.get();
    return row?.at ?? null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.database.release();
  }
}
