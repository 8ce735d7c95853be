import PQueue from 'p-queue';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { queueName } from '../engine/working-state.js';
import { TerminalError, ValidationError, type ValidationIssue } from '../errors.js';
import type { Task } from '../model/task.js';
import type { TaskResult } from '../model/task-result.js';
import type { WorkerHandler, WorkerOptions, WorkerResult } from './worker.js';

/** What a runner needs from the engine. */
export interface WorkerHost {
  /** The engine's clock, for the periodic poll (`pollIntervalMs`). */
  readonly clock: Clock;
  pollTasks(queueName: string, count: number, workerId: string): Promise<Task[]>;
  updateTask(result: TaskResult): Promise<void>;
  /** Registers in-flight work, for `idle()`. */
  track<T>(promise: Promise<T>): Promise<T>;
  reportError(error: unknown, context: string): void;
}

/**
 * Runs one in-process worker: polls its queue for as many tasks as it has free slots, runs the handler with
 * p-queue's concurrency limit, and reports each result like an external worker would.
 */
export class WorkerRunner {
  readonly queueName: string;
  readonly #host: WorkerHost;
  readonly #handler: WorkerHandler;
  readonly #workerId: string;
  readonly #tasks: PQueue;
  #abort = new AbortController();
  readonly #running = new Set<(reason: unknown) => void>();
  /** Slots promised to tasks being handed over with a commit (see `claim`). */
  #reserved = 0;
  #polling = false;
  #pollAgain = false;
  /**
   * Whether tasks may be waiting in the queue for this worker: work was offered while it had no free slot, or
   * its last poll filled every slot. A finished task polls for more only then; with push dispatch the queue
   * is usually empty, and a poll per task would cost more than the task.
   */
  #mayHaveBacklog = false;
  #stopped = false;
  readonly #pollIntervalMs: number | undefined;
  #pollTimer: TimerHandle | null = null;

  constructor(host: WorkerHost, taskType: string, handler: WorkerHandler, options: WorkerOptions = {}) {
    checkOptions(options);
    this.#host = host;
    this.#handler = handler;
    this.queueName = queueName(taskType, options.domain);
    this.#workerId = options.workerId ?? `baton-${process.pid}`;
    this.#tasks = new PQueue({ concurrency: options.concurrency ?? 1 });
    this.#pollIntervalMs = options.pollIntervalMs;
  }

  /** Polls for work if a slot is free; coalesces calls made while a poll is running. */
  dispatch(): void {
    if (this.#stopped) return;
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    this.#host.track(this.#pollLoop());
  }

  async #pollLoop(): Promise<void> {
    try {
      do {
        this.#pollAgain = false;
        if (this.#stopped) break;
        const free = this.#freeSlots();
        if (free <= 0) {
          this.#mayHaveBacklog = true;
          break;
        }
        this.#mayHaveBacklog = false;
        const tasks = await this.#host.pollTasks(this.queueName, free, this.#workerId);
        for (const task of tasks) this.#start(task);
        if (tasks.length === free) this.#pollAgain = true;
      } while (this.#pollAgain);
    } catch (error) {
      this.#mayHaveBacklog = true;
      this.#host.reportError(error, `polling ${this.queueName}`);
    } finally {
      this.#polling = false;
    }
  }

  #freeSlots(): number {
    return this.#tasks.concurrency - this.#tasks.pending - this.#tasks.size - this.#reserved;
  }

  /**
   * Reserves a slot for a task the engine is about to commit as started by this worker (push dispatch, no
   * queue round trip); null when the worker is stopped or busy.
   */
  claim(): { workerId: string; deliver(task: Task): void; release(): void } | null {
    if (this.#stopped) return null;
    if (this.#freeSlots() <= 0) {
      // The task goes to the queue instead: poll for it once a slot frees.
      this.#mayHaveBacklog = true;
      return null;
    }
    this.#reserved++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.#reserved--;
      return true;
    };
    return {
      workerId: this.#workerId,
      deliver: (task) => {
        if (settle()) this.#start(task);
      },
      release: () => {
        settle();
      },
    };
  }

  /** Runs a task in a slot; once it is done, looks for queued work if some may be waiting. */
  #start(task: Task): void {
    const finished = this.#tasks.add(() => this.#run(task));
    this.#host.track(
      finished.then(() => {
        if (this.#mayHaveBacklog) this.dispatch();
      }),
    );
  }

  async #run(task: Task): Promise<void> {
    const logs: string[] = [];
    let result: TaskResult;
    try {
      const signal = this.#abort.signal;
      // A handler that ignores its aborted signal is abandoned, so stop() stays bounded.
      const returning = this.#abandonable(this.#handler(task, { signal, log: (m) => logs.push(String(m)) }));
      // A synchronous handler's result is used as is: no microtask turn for it.
      const returned = returning instanceof Promise ? await returning : returning;
      result = toTaskResult(task, returned ?? {}, this.#workerId);
    } catch (error) {
      const status = error instanceof TerminalError ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
      result = failure(task, status, error instanceof Error ? error.message : String(error), this.#workerId);
    }
    if (logs.length > 0) result.logs = [...logs, ...(result.logs ?? [])];
    try {
      await this.#host.updateTask(result);
    } catch (error) {
      this.#host.reportError(error, `reporting task ${task.taskId}`);
      // A malformed result (not JSON, an unknown status) would leave the task IN_PROGRESS until its response
      // timeout, then fail the same way on every retry: it fails for good now, saying why.
      if (error instanceof ValidationError) await this.#failMalformed(task, error);
    }
  }

  async #failMalformed(task: Task, error: ValidationError): Promise<void> {
    try {
      const reason = `The worker returned a malformed result: ${error.message}`;
      await this.#host.updateTask(failure(task, 'FAILED_WITH_TERMINAL_ERROR', reason, this.#workerId));
    } catch (failure) {
      this.#host.reportError(failure, `failing task ${task.taskId}`);
    }
  }

  /**
   * Starts serving, with the engine (again after a stop): tasks are pushed and offered from now on, and with
   * `pollIntervalMs` the queue is also polled that often.
   */
  start(): void {
    this.#stopped = false;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    if (this.#pollIntervalMs !== undefined && this.#pollTimer === null)
      this.#armPollTimer(this.#pollIntervalMs);
  }

  /** The periodic poll: finds tasks another process queued, which this engine was never told about. */
  #armPollTimer(intervalMs: number): void {
    const clock = this.#host.clock;
    this.#pollTimer = clock.setTimer(clock.now() + intervalMs, () => {
      this.#pollTimer = null;
      if (this.#stopped) return;
      this.dispatch();
      this.#armPollTimer(intervalMs);
    });
  }

  /** Stops polling; waits up to `graceMs` for running tasks, then aborts their signals. */
  async stop(graceMs: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    this.#stopped = true;
    if (this.#pollTimer) this.#host.clock.clearTimer(this.#pollTimer);
    this.#pollTimer = null;
    this.#tasks.clear();
    const grace = new AbortController();
    const drained = this.#tasks.onIdle().then(() => true);
    const finished = await Promise.race([drained, sleep(graceMs, grace.signal).then(() => false)]);
    grace.abort();
    if (!finished) {
      const reason = new Error('Engine stopped');
      this.#abort.abort(reason);
      for (const abandon of this.#running) abandon(reason);
    }
  }

  /**
   * Settles like `work`, or rejects as soon as the runner is stopped past its grace period: a handler that
   * ignores its aborted signal is abandoned, so stop() stays bounded. (A set of rejecters rather than an abort
   * listener per task: hundreds of concurrent handlers would pile listeners onto one signal.)
   */
  #abandonable<T>(work: T | Promise<T>): T | Promise<T> {
    if (!(work instanceof Promise)) return work;
    if (this.#abort.signal.aborted) return Promise.reject(this.#abort.signal.reason);
    return new Promise<T>((resolve, reject) => {
      this.#running.add(reject);
      work.then(resolve, reject).finally(() => this.#running.delete(reject));
    });
  }
}

/** Options that would make the runner misbehave are refused up front, naming the option. */
function checkOptions(options: WorkerOptions): void {
  const issues: ValidationIssue[] = [];
  const { concurrency, pollIntervalMs } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    issues.push({ path: 'concurrency', message: 'must be an integer of 1 or more' });
  }
  if (pollIntervalMs !== undefined && !(Number.isFinite(pollIntervalMs) && pollIntervalMs > 0)) {
    issues.push({ path: 'pollIntervalMs', message: 'must be a positive number of milliseconds' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'worker options');
}

/** A result that fails `task` with `reason`. */
function failure(
  task: Task,
  status: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR',
  reason: string,
  workerId: string,
): TaskResult {
  return {
    taskId: task.taskId,
    workflowInstanceId: task.workflowInstanceId,
    status,
    reasonForIncompletion: reason,
    workerId,
  };
}

function toTaskResult(task: Task, returned: WorkerResult, workerId: string): TaskResult {
  return {
    taskId: task.taskId,
    workflowInstanceId: task.workflowInstanceId,
    status: returned.status ?? 'COMPLETED',
    outputData: returned.outputData ?? {},
    reasonForIncompletion: returned.reasonForIncompletion ?? null,
    callbackAfterSeconds: returned.callbackAfterSeconds,
    logs: returned.logs,
    workerId,
  };
}
