import type { Task } from '../model/task.js';
import type { BackgroundJob, BackgroundOutcome } from '../tasks/task-type.js';

/** What the jobs need from the engine around them. */
export interface BackgroundJobsHost {
  /** Registers in-flight work, so `idle()` and `stop()` wait for it. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Applies a job's outcome to its task (the executor's `updateTask`). */
  apply(task: Task, outcome: BackgroundOutcome): Promise<void>;
  reportError(error: unknown, context: string): void;
}

interface RunningJob {
  readonly controller: AbortController;
  canceled: boolean;
  done?: Promise<void>;
}

/**
 * System-task work that runs outside the workflow's unit of work (an HTTP call), one job per task id. The job's
 * outcome goes back through a unit of work of its own, so a slow job never holds the workflow's lane: other
 * branches, worker results and API calls on the workflow go on meanwhile.
 *
 * A task id stays registered until its outcome has been applied, so a decide that runs the task again in
 * between does not start a second job. A task left IN_PROGRESS with no job (the process stopped mid-call) is
 * the task type's to run again, once its lease lapses: such work is at-least-once, like a worker's task.
 */
export class BackgroundJobs {
  readonly #host: BackgroundJobsHost;
  readonly #running = new Map<string, RunningJob>();
  /** Set once `stop()` has given up waiting: running jobs are aborted, new ones are not started. */
  #aborting = false;

  constructor(host: BackgroundJobsHost) {
    this.#host = host;
  }

  /** Starts `job` for `task` unless one is running for that task id already. */
  run(task: Task, job: BackgroundJob): void {
    // A stopping engine starts nothing new: the task type re-runs the job once the task's lease lapses.
    if (this.#aborting || this.#running.has(task.taskId)) return;
    const entry: RunningJob = { controller: new AbortController(), canceled: false };
    this.#running.set(task.taskId, entry);
    entry.done = this.#host.track(this.#settle(task, job, entry));
  }

  /** Aborts the job of a task (canceled); its outcome is not applied. */
  cancel(taskId: string): void {
    const entry = this.#running.get(taskId);
    if (!entry) return;
    entry.canceled = true;
    entry.controller.abort(new Error('Task canceled'));
  }

  /**
   * Waits up to `graceMs` for running jobs, then aborts the rest and drops their outcomes: their tasks stay
   * IN_PROGRESS, and the task type runs them again once their lease lapses (after a restart).
   */
  async stop(graceMs: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.#running.size > 0) {
      const grace = new AbortController();
      const finished = await Promise.race([
        this.#drained().then(() => true),
        sleep(graceMs, grace.signal).then(() => false),
      ]);
      grace.abort();
      if (finished) return;
    }
    this.#aborting = true;
    for (const entry of this.#running.values()) {
      entry.canceled = true;
      entry.controller.abort(new Error('Engine stopped'));
    }
  }

  /** After a `stop()`, jobs run normally again. */
  resume(): void {
    this.#aborting = false;
  }

  /** Resolves once no job is running, including jobs started while waiting. */
  async #drained(): Promise<void> {
    while (this.#running.size > 0) {
      await Promise.allSettled([...this.#running.values()].map((entry) => entry.done));
    }
  }

  async #settle(task: Task, job: BackgroundJob, entry: RunningJob): Promise<void> {
    try {
      let outcome: BackgroundOutcome;
      try {
        outcome = await job(entry.controller.signal);
      } catch (error) {
        outcome = { status: 'FAILED', reasonForIncompletion: messageOf(error) };
      }
      if (!entry.canceled) await this.#host.apply(task, outcome);
    } catch (error) {
      this.#host.reportError(error, `applying the outcome of task ${task.taskId}`);
    } finally {
      this.#running.delete(task.taskId);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
