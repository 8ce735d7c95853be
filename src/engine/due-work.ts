import type { Clock } from '../clock/clock.js';
import type { Queue, QueueOp } from '../queue/queue.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import type { Activity } from './activity.js';
import type { Signals } from './signals.js';
import { WakeupTimer } from './wakeup-timer.js';
import { DECIDE_QUEUE } from './working-state.js';

/** What {@link DueWork} needs from the engine around it. */
export interface DueWorkDeps {
  readonly queue: Queue;
  readonly clock: Clock;
  readonly activity: Activity;
  readonly workers: WorkerPool;
  /** Long polls of `batchPollTasks`, woken by queue name. */
  readonly queueArrivals: Signals;
  /** A sweep every so many ms (0: none), the backstop for messages other processes push. */
  readonly sweepIntervalMs: number;
  /** Runs the decide of a workflow whose decide message came due. */
  decide(workflowId: string): Promise<void>;
  /** Resolves once nothing is due now (the engine's idle()). */
  idle(): Promise<void>;
  logError(message: string, error: unknown): void;
}

/**
 * Runs what the queues say is due: decides whose durable wakeup came (retry delays, timeouts, WAIT), and tasks
 * that became visible to in-process workers. One timer is armed at the next due time; each commit tells it
 * about the messages it pushed.
 */
export class DueWork {
  readonly #deps: DueWorkDeps;
  readonly #wakeups: WakeupTimer;
  #started = false;

  constructor(deps: DueWorkDeps) {
    this.#deps = deps;
    this.#wakeups = new WakeupTimer(deps.clock, () => this.#onWake());
  }

  /** Arms the timer and runs what fell due while stopped. */
  async start(): Promise<void> {
    const { queue, clock, activity, sweepIntervalMs } = this.#deps;
    this.#started = true;
    const next = await queue.nextVisibleAt();
    if (next !== null) this.#wakeups.at(next);
    if (sweepIntervalMs > 0) this.#wakeups.at(clock.now() + sweepIntervalMs);
    this.#wakeups.start();
    activity.track(this.pump().then(() => this.#armNextDue()));
  }

  stop(): void {
    this.#started = false;
    this.#wakeups.stop();
  }

  /** Reacts to a commit: pushes visible tasks to in-process workers and arms the timer for later ones. */
  afterCommit(ops: readonly QueueOp[], now: number): void {
    for (const op of ops) {
      if (op.op !== 'push') continue;
      if (op.visibleAt > now) {
        this.#wakeups.at(op.visibleAt);
        continue;
      }
      if (op.queue === DECIDE_QUEUE) {
        if (this.#started) this.#deps.activity.track(this.pump());
        continue;
      }
      if (this.#started) this.#deps.workers.dispatch(op.queue);
      this.#deps.queueArrivals.signal(op.queue);
    }
  }

  /** Whether a decide or a task of an in-process worker is due now. */
  async hasDueWork(): Promise<boolean> {
    const next = await this.#deps.queue.nextVisibleAt([DECIDE_QUEUE, ...this.#deps.workers.queues()]);
    return next !== null && next <= this.#deps.clock.now();
  }

  /** Runs due decides and lets every in-process worker look for visible tasks. */
  async pump(): Promise<void> {
    const { queue, clock, workers, queueArrivals } = this.#deps;
    try {
      for (;;) {
        const leases = await queue.poll(DECIDE_QUEUE, { count: 64, now: clock.now(), leaseMs: 60_000 });
        if (leases.length === 0) break;
        await Promise.all(
          leases.map((lease) =>
            this.#deps
              .decide(lease.id)
              .catch((error) => this.#deps.logError(`Decide of workflow ${lease.id} failed`, error)),
          ),
        );
      }
    } catch (error) {
      this.#deps.logError('Polling the decide queue failed', error);
    }
    if (!this.#started) return;
    workers.dispatch();
    for (const name of workers.queues()) queueArrivals.signal(name);
  }

  async #onWake(): Promise<void> {
    if (!this.#started) return;
    const { clock, activity, sweepIntervalMs } = this.#deps;
    if (sweepIntervalMs > 0) this.#wakeups.at(clock.now() + sweepIntervalMs);
    activity.track(this.pump());
    await this.#deps.idle();
    await this.#armNextDue();
  }

  /**
   * Arms a wake at the next due time of the queues this engine serves (decides, in-process workers). The timer
   * keeps only the earliest instant it was given, and messages an earlier process left armed nothing, so each
   * wake looks up the next. A queue whose visible messages still wait (a busy worker) would hide the others'
   * later due times, so then each queue is asked on its own. (A queue's own backlog cannot hide its later due
   * times here: a wake runs after idle(), which returns only once no served queue has visible work; the sweep,
   * when configured, is the backstop.)
   */
  async #armNextDue(): Promise<void> {
    if (!this.#started) return;
    const { queue, clock, workers } = this.#deps;
    try {
      const now = clock.now();
      const queues = [DECIDE_QUEUE, ...workers.queues()];
      const next = await queue.nextVisibleAt(queues);
      if (next === null || next > now) {
        if (next !== null) this.#wakeups.at(next);
        return;
      }
      for (const name of queues) {
        const at = await queue.nextVisibleAt([name]);
        if (at !== null && at > now) this.#wakeups.at(at);
      }
    } catch (error) {
      this.#deps.logError('Looking up the next due time failed', error);
    }
  }
}
