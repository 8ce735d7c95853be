import type Database from 'better-sqlite3';
import type { QueueOp, QueuePush } from '../../queue/queue.js';

/** The statements of the queue tables, prepared once per database and shared with the store's commits. */
export class QueueStatements {
  readonly #push: Database.Statement;
  readonly #remove: Database.Statement;

  constructor(db: Database.Database) {
    this.#push = db.prepare(`
      INSERT INTO queue_messages (queue, id, priority, visible_at, token, lease_until, avail_at)
      VALUES (@queue, @id, @priority, @visibleAt, NULL, 0, @visibleAt)
      ON CONFLICT (queue, id) DO UPDATE SET
        priority = excluded.priority,
        visible_at = CASE WHEN @keepEarlier = 1 AND token IS NULL
          THEN min(visible_at, excluded.visible_at) ELSE excluded.visible_at END,
        avail_at = CASE WHEN @keepEarlier = 1 AND token IS NULL
          THEN min(visible_at, excluded.visible_at) ELSE excluded.visible_at END,
        token = NULL,
        lease_until = 0`);
    this.#remove = db.prepare('DELETE FROM queue_messages WHERE queue = ? AND id = ?');
  }

  push(m: QueuePush): void {
    this.#push.run({
      queue: m.queue,
      id: m.id,
      priority: m.priority ?? 0,
      visibleAt: m.visibleAt,
      keepEarlier: m.keepEarlier ? 1 : 0,
    });
  }

  remove(queue: string, id: string): void {
    this.#remove.run(queue, id);
  }

  /** Applies queue ops in order; the caller provides the transaction. */
  apply(ops: readonly QueueOp[]): void {
    for (const op of ops) {
      if (op.op === 'push') this.push(op);
      else this.remove(op.queue, op.id);
    }
  }
}
