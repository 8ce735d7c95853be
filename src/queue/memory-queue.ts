import { BinaryHeap } from '../util/binary-heap.js';
import type { Lease, Queue, QueueOp, QueuePush } from './queue.js';

interface Message {
  readonly queue: string;
  readonly id: string;
  priority: number;
  visibleAt: number;
  /** Insertion order, the last tie-breaker. */
  order: number;
  /** Set while leased. */
  token: string | null;
  leaseUntil: number;
  /** Bumped on every change so heap entries of an older state are recognised as stale. */
  generation: number;
}

interface HeapEntry {
  readonly message: Message;
  readonly generation: number;
  /** When the message (re)appears: `visibleAt` while waiting, `leaseUntil` while leased. */
  readonly at: number;
}

function byDueTime(a: HeapEntry, b: HeapEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.message.order < b.message.order);
}

/** Messages of one queue: `pending` is ordered by time, `visible` by priority once their time has come. */
class QueueState {
  readonly messages = new Map<string, Message>();
  pending = new BinaryHeap<HeapEntry>(byDueTime);
  readonly visible = new BinaryHeap<HeapEntry>(
    (a, b) =>
      a.message.priority > b.message.priority ||
      (a.message.priority === b.message.priority &&
        (a.message.visibleAt < b.message.visibleAt ||
          (a.message.visibleAt === b.message.visibleAt && a.message.order < b.message.order))),
  );
  /**
   * The entries of `visible` by `visibleAt`, so `nextVisibleAt` sees the earliest visible message whatever its
   * priority. Pruned lazily; compacted in `#expose` when mostly stale, so it stays in proportion to `messages`.
   */
  visibleByTime = new BinaryHeap<HeapEntry>((a, b) => a.at < b.at);
  waiting = 0;
}

function isCurrent(entry: HeapEntry, states: Map<string, QueueState>): boolean {
  const state = states.get(entry.message.queue);
  return (
    state?.messages.get(entry.message.id) === entry.message && entry.message.generation === entry.generation
  );
}

/** The in-process queue: heaps per queue, lazy deletion, leases with tokens. Not shared between processes. */
export class MemoryQueue implements Queue {
  readonly name = 'memory';
  readonly #queues = new Map<string, QueueState>();
  #order = 0;
  #tokens = 0;

  async push(messages: readonly QueuePush[]): Promise<void> {
    for (const m of messages) this.pushNow(m);
  }

  /** Synchronous push, for callers in the same process that need no await. */
  pushNow(push: QueuePush): void {
    const state = this.#state(push.queue);
    const existing = state.messages.get(push.id);
    const priority = push.priority ?? 0;
    if (existing) {
      const visibleAt =
        push.keepEarlier && existing.token === null
          ? Math.min(existing.visibleAt, push.visibleAt)
          : push.visibleAt;
      // Nothing changes (a wakeup pushed again): keep the heap free of stale entries.
      if (existing.token === null && existing.visibleAt === visibleAt && existing.priority === priority)
        return;
      if (existing.token === null) state.waiting--;
      existing.priority = priority;
      existing.visibleAt = visibleAt;
      existing.token = null;
      existing.generation++;
      state.waiting++;
      state.pending.push({ message: existing, generation: existing.generation, at: visibleAt });
      // A message pushed again (a workflow's decide wakeup, at every commit) leaves its old entry behind.
      if (state.pending.size > 2 * state.messages.size + 64) this.#compactPending(state);
      return;
    }
    const message: Message = {
      queue: push.queue,
      id: push.id,
      priority,
      visibleAt: push.visibleAt,
      order: this.#order++,
      token: null,
      leaseUntil: 0,
      generation: 0,
    };
    state.messages.set(push.id, message);
    state.waiting++;
    state.pending.push({ message, generation: 0, at: push.visibleAt });
  }

  async poll(queue: string, options: { count: number; now: number; leaseMs: number }): Promise<Lease[]> {
    return this.pollNow(queue, options);
  }

  /** Synchronous poll, for callers in the same process that need no await. */
  pollNow(queue: string, { count, now, leaseMs }: { count: number; now: number; leaseMs: number }): Lease[] {
    const state = this.#queues.get(queue);
    if (!state || count <= 0) return [];
    this.#expose(state, now);
    const leases: Lease[] = [];
    while (leases.length < count) {
      const entry = state.visible.pop();
      if (!entry) break;
      if (!isCurrent(entry, this.#queues)) continue;
      const message = entry.message;
      message.token = `${++this.#tokens}`;
      message.leaseUntil = now + leaseMs;
      message.generation++;
      state.waiting--;
      state.pending.push({ message, generation: message.generation, at: message.leaseUntil });
      leases.push({ queue, id: message.id, token: message.token, priority: message.priority });
    }
    return leases;
  }

  async ack(lease: Lease): Promise<boolean> {
    const state = this.#queues.get(lease.queue);
    const message = state?.messages.get(lease.id);
    if (!state || !message || message.token !== lease.token) return false;
    state.messages.delete(lease.id);
    return true;
  }

  async remove(queue: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) this.removeNow(queue, id);
  }

  removeNow(queue: string, id: string): void {
    const state = this.#queues.get(queue);
    const message = state?.messages.get(id);
    if (!state || !message) return;
    if (message.token === null) state.waiting--;
    state.messages.delete(id);
  }

  async apply(ops: readonly QueueOp[]): Promise<void> {
    this.applyNow(ops);
  }

  applyNow(ops: readonly QueueOp[]): void {
    for (const op of ops) {
      if (op.op === 'push') this.pushNow(op);
      else this.removeNow(op.queue, op.id);
    }
  }

  async sizes(queues?: readonly string[]): Promise<Record<string, number>> {
    const sizes: Record<string, number> = {};
    if (queues) {
      for (const q of queues) sizes[q] = this.#queues.get(q)?.waiting ?? 0;
      return sizes;
    }
    for (const [q, state] of this.#queues) if (state.waiting > 0) sizes[q] = state.waiting;
    return sizes;
  }

  async nextVisibleAt(queues?: readonly string[]): Promise<number | null> {
    return this.nextVisibleAtNow(queues);
  }

  nextVisibleAtNow(queues?: readonly string[]): number | null {
    let next: number | null = null;
    const names = queues ?? [...this.#queues.keys()];
    for (const name of names) {
      const state = this.#queues.get(name);
      if (!state) continue;
      const at = this.#earliest(state);
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  async close(): Promise<void> {
    this.#queues.clear();
  }

  #state(queue: string): QueueState {
    let state = this.#queues.get(queue);
    if (!state) {
      state = new QueueState();
      this.#queues.set(queue, state);
    }
    return state;
  }

  /** Moves every message whose time has come (visible, or lease lapsed) into the priority heap. */
  #expose(state: QueueState, now: number): void {
    if (state.visibleByTime.size > 2 * state.messages.size + 64) this.#compactVisibleByTime(state);
    for (;;) {
      const entry = state.pending.peek();
      if (!entry || entry.at > now) return;
      state.pending.pop();
      if (!isCurrent(entry, this.#queues)) continue;
      const message = entry.message;
      if (message.token !== null) {
        // The lease lapsed: the message is waiting again, behind no one it was ahead of before.
        message.token = null;
        message.generation++;
        state.waiting++;
      }
      const visible = { message, generation: message.generation, at: message.visibleAt };
      state.visible.push(visible);
      state.visibleByTime.push(visible);
    }
  }

  /** Rebuilds `visibleByTime` from the waiting messages (those not yet exposed do no harm: same `visibleAt`). */
  #compactVisibleByTime(state: QueueState): void {
    state.visibleByTime = new BinaryHeap<HeapEntry>((a, b) => a.at < b.at);
    for (const message of state.messages.values()) {
      if (message.token === null) {
        state.visibleByTime.push({ message, generation: message.generation, at: message.visibleAt });
      }
    }
  }

  /**
   * Rebuilds `pending` from the messages: each waiting one at its `visibleAt`, each leased one at its lease's end.
   * A waiting message already exposed gets a second, harmless entry in `visible` (same generation: the first
   * one polled bumps it and the other becomes stale).
   */
  #compactPending(state: QueueState): void {
    state.pending = new BinaryHeap<HeapEntry>(byDueTime);
    for (const message of state.messages.values()) {
      const at = message.token === null ? message.visibleAt : message.leaseUntil;
      state.pending.push({ message, generation: message.generation, at });
    }
  }

  #earliest(state: QueueState): number | null {
    let best: number | null = null;
    const byTime = state.visibleByTime;
    while (byTime.size > 0 && !isCurrent(byTime.peek()!, this.#queues)) byTime.pop();
    while (state.pending.size > 0 && !isCurrent(state.pending.peek()!, this.#queues)) state.pending.pop();
    const visible = byTime.peek();
    if (visible) best = visible.at;
    const pending = state.pending.peek();
    if (pending && (best === null || pending.at < best)) best = pending.at;
    return best;
  }
}
