import type { Clock } from '../clock/clock.js';
import type { Task } from '../model/task.js';
import type { Lease, Queue, QueueOp } from '../queue/queue.js';
import type { Store } from '../store/store.js';
import type { TaskTransition } from './working-state.js';

/**
 * How long a task held back by the concurrency limit stays invisible when no slot frees in this process
 * (Conductor's `taskExecutionPostponeDuration`, 60 s). A slot freed here makes it visible at once; the delay
 * only bounds the wait after a crash or when the slot frees in another process.
 */
export const CONCURRENCY_POSTPONE_MS = 60_000;

/** A task's limits, from the TaskDef it runs with; null when it has none. */
interface Limits {
  /** Polls allowed per window; 0 = no rate limit. */
  readonly perWindow: number;
  readonly windowMs: number;
  /** IN_PROGRESS tasks allowed at once; 0 = no limit. */
  readonly concurrency: number;
}

/** The verdict on a poll of a limited task. */
export type Admission =
  | { readonly admitted: true; readonly release: () => void }
  /** `visibleAt`: when to offer the task again; `waitsForSlot`: also as soon as a running task ends. */
  | { readonly admitted: false; readonly visibleAt: number; readonly waitsForSlot: boolean };

/** A message held back until a concurrency slot frees. */
export interface HeldMessage {
  readonly queue: string;
  readonly id: string;
  readonly priority: number;
}

/** Whether a task is subject to a rate or concurrency limit (and so always goes through its queue). */
export function hasTaskLimits(task: Task): boolean {
  // Allocation-free: called for every task that leaves IN_PROGRESS.
  return task.rateLimitPerFrequency > 0 || (task.taskDefinition?.concurrentExecLimit ?? 0) > 0;
}

function limitsOf(task: Task): Limits | null {
  const perWindow = Math.max(task.rateLimitPerFrequency || 0, 0);
  const concurrency = task.taskDefinition?.concurrentExecLimit ?? 0;
  if (perWindow <= 0 && concurrency <= 0) return null;
  // Conductor's TaskDef default window is 1 s.
  const seconds = task.rateLimitFrequencyInSeconds > 0 ? task.rateLimitFrequencyInSeconds : 1;
  return { perWindow, windowMs: seconds * 1000, concurrency: Math.max(0, concurrency) };
}

/**
 * Rate and concurrency limits of worker tasks (DESIGN.md 2a), enforced when a task is polled, per task
 * definition name (`taskDefName`), as Conductor does:
 *
 * - `rateLimitPerFrequency` polls per `rateLimitFrequencyInSeconds`: a sliding window of poll times; a poll at
 *   `t` holds its slot until `t + window` (completing the task frees nothing). A denied task is offered again
 *   exactly when the oldest poll leaves the window.
 * - `concurrentExecLimit`: tasks of the definition IN_PROGRESS at once. A denied task waits until a running
 *   one leaves IN_PROGRESS (ends, or is put back by an IN_PROGRESS report), then it is offered again at once.
 *
 * Denied tasks stay SCHEDULED with their queue message; nothing is lost. The counts live in this process's
 * memory: several engine processes on one store each enforce their own limit, and a restarted engine starts
 * counting afresh (a store-backed counter is future work). Holders of concurrency slots are re-checked
 * against the store when the limit is reached, so a task that ended unseen (its workflow removed, or moved
 * by another process) frees its slot.
 */
export class TaskLimits {
  /** taskDefName → poll times still in the window, oldest first. */
  readonly #polls = new Map<string, number[]>();
  /** taskDefName → ids of its tasks this process saw start and not yet leave IN_PROGRESS. */
  readonly #running = new Map<string, Set<string>>();
  /** taskDefName → messages held back by its concurrency limit, by task id. */
  readonly #held = new Map<string, Map<string, HeldMessage>>();

  /** Whether a concurrency limit is reached, so holders are worth re-checking (see `prune`). */
  isAtConcurrencyLimit(task: Task): boolean {
    const limits = limitsOf(task);
    return !!limits && limits.concurrency > 0 && this.#runningOf(task.taskDefName).size >= limits.concurrency;
  }

  /**
   * Drops holders of `task`'s definition that are no longer IN_PROGRESS (per `current`); true when a slot
   * freed.
   */
  async prune(task: Task, current: (taskId: string) => Promise<Task | null>): Promise<boolean> {
    const running = this.#running.get(task.taskDefName);
    if (!running) return false;
    let freed = false;
    for (const id of [...running]) {
      const holder = await current(id);
      if (holder?.status !== 'IN_PROGRESS') freed = running.delete(id) || freed;
    }
    return freed;
  }

  /**
   * Decides a poll of a SCHEDULED task at `now`. When admitted the slots are taken at once (so concurrent
   * polls cannot both pass); `release` gives them back if the task could not be started after all.
   */
  admit(task: Task, now: number): Admission {
    const limits = limitsOf(task);
    if (!limits) return { admitted: true, release: () => {} };
    const name = task.taskDefName;
    const running = this.#runningOf(name);
    if (limits.concurrency > 0 && running.size >= limits.concurrency && !running.has(task.taskId)) {
      return { admitted: false, visibleAt: now + CONCURRENCY_POSTPONE_MS, waitsForSlot: true };
    }
    let polls: number[] | undefined;
    if (limits.perWindow > 0) {
      polls = this.#pollsOf(name, now, limits.windowMs);
      if (polls.length >= limits.perWindow) {
        // The slot the next poll may take frees when the poll `perWindow` places back leaves the window.
        const visibleAt = polls[polls.length - limits.perWindow] + limits.windowMs;
        return { admitted: false, visibleAt, waitsForSlot: false };
      }
      polls.push(now);
    }
    if (limits.concurrency > 0) running.add(task.taskId);
    this.#held.get(name)?.delete(task.taskId);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        if (limits.concurrency > 0) running.delete(task.taskId);
        if (polls) {
          const at = polls.lastIndexOf(now);
          if (at >= 0) polls.splice(at, 1);
        }
      },
    };
  }

  /** Remembers a message held back by the concurrency limit, to offer it again when a slot frees. */
  hold(task: Task, message: HeldMessage): void {
    let held = this.#held.get(task.taskDefName);
    if (!held) {
      held = new Map();
      this.#held.set(task.taskDefName, held);
    }
    held.set(message.id, message);
  }

  /**
   * Records tasks that left IN_PROGRESS; returns the held messages of the definitions whose slot freed (to
   * be offered again now), forgetting them.
   */
  stopped(tasks: Iterable<Task>): HeldMessage[] {
    const freed = new Set<string>();
    for (const task of tasks) {
      const running = this.#running.get(task.taskDefName);
      if (running?.delete(task.taskId)) freed.add(task.taskDefName);
      if (running?.size === 0) this.#running.delete(task.taskDefName);
    }
    return this.takeHeld(freed);
  }

  /** Takes the held messages of these definitions (a slot freed for them). */
  takeHeld(names: Iterable<string>): HeldMessage[] {
    const messages: HeldMessage[] = [];
    for (const name of names) {
      const held = this.#held.get(name);
      if (!held) continue;
      this.#held.delete(name);
      messages.push(...held.values());
    }
    return messages;
  }

  #runningOf(name: string): Set<string> {
    let running = this.#running.get(name);
    if (!running) {
      running = new Set();
      this.#running.set(name, running);
    }
    return running;
  }

  /** The poll times of a definition still inside the window at `now`. */
  #pollsOf(name: string, now: number, windowMs: number): number[] {
    let polls = this.#polls.get(name);
    if (!polls) {
      polls = [];
      this.#polls.set(name, polls);
    }
    let expired = 0;
    while (expired < polls.length && polls[expired] + windowMs <= now) expired++;
    if (expired > 0) polls.splice(0, expired);
    return polls;
  }
}

/** What {@link TaskLimitGate} needs from the executor. */
export interface TaskLimitDeps {
  readonly queue: Queue;
  readonly store: Pick<Store, 'getTask'>;
  readonly clock: Clock;
  /** Lets timers and in-process workers react to re-timed messages, as after a commit. */
  afterCommit(ops: readonly QueueOp[], now: number): void;
}

/**
 * {@link TaskLimits} at the executor's poll: decides each polled task and re-times the messages of denied
 * ones (held back, never lost), and offers held tasks again when a commit frees a concurrency slot.
 */
export class TaskLimitGate {
  readonly #limits = new TaskLimits();
  readonly #deps: () => TaskLimitDeps;

  constructor(deps: () => TaskLimitDeps) {
    this.#deps = deps;
  }

  /**
   * The verdict on a polled task: null, synchronously, when no limit applies (or the task is not SCHEDULED
   * any more: the poll drops its stale message). A denied task's message is pushed back, visible when a slot
   * frees.
   */
  admit(task: Task, lease: Lease): Promise<Admission> | null {
    if (task.status !== 'SCHEDULED' || !hasTaskLimits(task)) return null;
    return this.#admitLimited(task, lease);
  }

  async #admitLimited(task: Task, lease: Lease): Promise<Admission> {
    const { store, clock } = this.#deps();
    const limits = this.#limits;
    if (limits.isAtConcurrencyLimit(task) && (await limits.prune(task, (id) => store.getTask(id)))) {
      // A holder ended unseen: the tasks held for its slot may run too.
      await this.#offerHeld(limits.takeHeld([task.taskDefName]));
    }
    const now = clock.now();
    const admission = limits.admit(task, now);
    if (admission.admitted) return admission;
    const message: HeldMessage = { queue: lease.queue, id: lease.id, priority: lease.priority };
    if (admission.waitsForSlot) limits.hold(task, message);
    await this.#offer([message], admission.visibleAt);
    return admission;
  }

  /**
   * After a commit: tasks that left IN_PROGRESS free their concurrency slots, and the tasks held for them are
   * offered now. Null (no promise, no await on the commit path) when nothing was held.
   */
  committed(
    transitions: readonly TaskTransition[],
    current: (taskId: string) => Task | undefined,
  ): Promise<void> | null {
    let stopped: Task[] | null = null;
    for (const { task, from } of transitions) {
      if (from !== 'IN_PROGRESS' || !hasTaskLimits(task)) continue;
      if (current(task.taskId)?.status === 'IN_PROGRESS') continue;
      stopped ??= [];
      stopped.push(task);
    }
    if (!stopped) return null;
    const held = this.#limits.stopped(stopped);
    return held.length > 0 ? this.#offerHeld(held) : null;
  }

  /** Offers held tasks now, those still SCHEDULED (a held task may have been canceled meanwhile). */
  async #offerHeld(messages: readonly HeldMessage[]): Promise<void> {
    const { store, clock } = this.#deps();
    const waiting: HeldMessage[] = [];
    for (const message of messages) {
      if ((await store.getTask(message.id))?.status === 'SCHEDULED') waiting.push(message);
    }
    await this.#offer(waiting, clock.now());
  }

  async #offer(messages: readonly HeldMessage[], visibleAt: number): Promise<void> {
    if (messages.length === 0) return;
    const deps = this.#deps();
    const ops: QueueOp[] = messages.map((m) => ({
      op: 'push',
      queue: m.queue,
      id: m.id,
      priority: m.priority,
      visibleAt,
    }));
    await deps.queue.apply(ops);
    deps.afterCommit(ops, deps.clock.now());
  }
}
