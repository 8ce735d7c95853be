/** A message to put on a queue. Messages are keyed by (queue, id): pushing an existing one replaces it. */
export interface QueuePush {
  queue: string;
  /** The task id for task queues, the workflow id for the decide queue. */
  id: string;
  /** 0–99, higher served first among visible messages. @default 0 */
  priority?: number;
  /** Epoch ms from which the message may be polled. */
  visibleAt: number;
  /**
   * When the message already exists, keep whichever `visibleAt` is earlier instead of replacing it (used for
   * wakeups, so an early timer is never pushed back by a later one).
   */
  keepEarlier?: boolean;
}

/** A polled message, invisible to other pollers until `ack` or until its lease lapses. */
export interface Lease {
  readonly queue: string;
  readonly id: string;
  /** Proves ownership: `ack` with a stale token (the lease lapsed and someone else polled) does nothing. */
  readonly token: string;
  readonly priority: number;
}

/** A change to a queue, as part of a store commit. */
export type QueueOp = ({ op: 'push' } & QueuePush) | { op: 'remove'; queue: string; id: string };

/**
 * Task queues and the decide queue: delayed visibility, priorities and leases. Times are passed in (`now`),
 * so the queue never reads a clock of its own and a manual clock drives it in tests.
 *
 * Adapters run the shared suite `describeQueueContract` from `baton-engine/testing`.
 */
export interface Queue {
  readonly name: string;
  /** Upserts messages by (queue, id). Pushing a leased message replaces the lease (it becomes waiting). */
  push(messages: readonly QueuePush[]): Promise<void>;
  /**
   * Leases up to `count` messages visible at `now` (`visibleAt <= now`), highest priority first, then earliest
   * `visibleAt`, then first pushed. A leased message is invisible until `now + leaseMs`, then visible again.
   */
  poll(queue: string, options: { count: number; now: number; leaseMs: number }): Promise<Lease[]>;
  /** Removes a leased message. False when the lease was lost (lapsed and re-polled, replaced or removed). */
  ack(lease: Lease): Promise<boolean>;
  /** Removes messages by id, leased or not; unknown ids are ignored. */
  remove(queue: string, ids: readonly string[]): Promise<void>;
  /** Applies pushes and removes in order. */
  apply(ops: readonly QueueOp[]): Promise<void>;
  /** Waiting messages (visible or delayed, not leased) per queue; only the named queues when given. */
  sizes(queues?: readonly string[]): Promise<Record<string, number>>;
  /** The earliest instant at which a message of these queues (all when omitted) is or becomes visible. */
  nextVisibleAt(queues?: readonly string[]): Promise<number | null>;
  /** Releases connections; the queue is unusable afterwards. */
  close(): Promise<void>;
}
