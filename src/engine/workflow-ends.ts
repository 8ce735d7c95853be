import { wallClock } from '../clock/system-clock.js';
import { BatonError, NotFoundError } from '../errors.js';
import { isTerminalWorkflow } from '../model/status.js';
import type { Store } from '../store/store.js';
import { Signals } from './signals.js';

/** How often a wait re-reads the status, for ends committed by another process. */
const STATUS_RECHECK_MS = 1_000;

/**
 * Callers waiting for workflows to end (`waitForWorkflow`). An end this engine commits wakes them at once
 * (`ended`); one committed by another process sharing the store is seen at the next re-read of the status.
 */
export class WorkflowEnds {
  readonly #store: Store;
  readonly #signals = new Signals();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Wakes the callers waiting for `workflowId` (it ended, or was removed). */
  ended(workflowId: string): void {
    this.#signals.signal(workflowId);
  }

  /**
   * Resolves once the workflow is terminal; past `timeoutMs` (wall time) rejects with code TIMEOUT, and an
   * unknown workflow with NotFoundError.
   */
  async wait(workflowId: string, timeoutMs: number | undefined): Promise<void> {
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : wallClock.now() + timeoutMs;
    for (;;) {
      const left = deadline - wallClock.now();
      // Registered before the status is read, so an end in between is not missed.
      const waiter = this.#signals.waiter(workflowId, Math.max(0, Math.min(left, STATUS_RECHECK_MS)));
      try {
        const stored = await this.#store.getWorkflow(workflowId, { includeTasks: false });
        if (!stored) throw new NotFoundError(`Workflow ${workflowId} not found`);
        if (isTerminalWorkflow(stored.workflow.status) || (await waiter.fired)) return;
        if (wallClock.now() >= deadline) {
          throw new BatonError('TIMEOUT', `Workflow ${workflowId} did not end within ${timeoutMs} ms`);
        }
      } finally {
        waiter.cancel();
      }
    }
  }
}
