import type { LocalClaim } from '../engine/workflow-executor.js';
import type { WorkerRunner } from './worker-runner.js';

/** The in-process workers of an engine, by the queue they serve (`taskType` or `domain:taskType`). */
export class WorkerPool {
  readonly #byQueue = new Map<string, Set<WorkerRunner>>();

  add(runner: WorkerRunner): void {
    let set = this.#byQueue.get(runner.queueName);
    if (!set) {
      set = new Set();
      this.#byQueue.set(runner.queueName, set);
    }
    set.add(runner);
  }

  delete(runner: WorkerRunner): void {
    const set = this.#byQueue.get(runner.queueName);
    set?.delete(runner);
    // A queue nobody serves any more must not count as due work for idle().
    if (set?.size === 0) this.#byQueue.delete(runner.queueName);
  }

  /** The queues some worker serves. */
  queues(): IterableIterator<string> {
    return this.#byQueue.keys();
  }

  all(): WorkerRunner[] {
    return [...this.#byQueue.values()].flatMap((set) => [...set]);
  }

  /** True when some worker serves `queue`. */
  serves(queue: string): boolean {
    return (this.#byQueue.get(queue)?.size ?? 0) > 0;
  }

  /** Lets the workers of `queue` (of every queue when omitted) look for visible tasks. */
  dispatch(queue?: string): void {
    const sets = queue === undefined ? this.#byQueue.values() : [this.#byQueue.get(queue) ?? []];
    for (const set of sets) for (const runner of set) runner.dispatch();
  }

  /** A free slot of a worker of `queue`, reserved for a task handed over with a commit; null when all are busy. */
  claim(queue: string): LocalClaim | null {
    for (const runner of this.#byQueue.get(queue) ?? []) {
      const claim = runner.claim();
      if (claim) return claim;
    }
    return null;
  }
}
