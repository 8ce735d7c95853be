import type { Clock, TimerHandle } from '../clock/clock.js';

interface ManualTimer extends TimerHandle {
  readonly seq: number;
  readonly fn: () => unknown;
  cleared: boolean;
}

/**
 * A clock that moves only when told to. Pass it as the engine's `clock` to drive every timer (retry delays,
 * timeouts, WAIT, callbacks, sweeps) from a test: `await clock.advance(3_600_000)` runs an hour instantly.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(Date.UTC(2026, 0, 1));
 * const engine = new Engine({ clock });
 * await clock.advance(60_000); // every timer due in the next minute fires, in order
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: ManualTimer[] = [];
  #advancing: Promise<void> = Promise.resolve();

  /** @param startEpochMs the initial time; defaults to the real time at construction. */
  constructor(startEpochMs: number = Date.now()) {
    this.#now = startEpochMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(dueAt: number, fn: () => unknown): TimerHandle {
    const timer: ManualTimer = { dueAt, fn, seq: this.#seq++, cleared: false };
    this.#timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    (handle as ManualTimer).cleared = true;
    this.#timers = this.#timers.filter((t) => t !== handle);
  }

  /** Number of timers waiting to fire (for tests of the clock itself). */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`. Every timer due within the window fires in due order, each with `now()` at its
   * own due time, and its consequences (the promise it returns) settle before the next one fires; timers set
   * meanwhile for instants inside the window fire too. Ends with `now()` = start + ms.
   */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: expected ms >= 0, got ${ms}`);
    const run = this.#advancing.then(() => this.#runUntil(this.#now + ms));
    this.#advancing = run.catch(() => {});
    return run;
  }

  /** Moves time to `epochMs` (firing due timers as `advance` does). Moving backwards throws. */
  set(epochMs: number): Promise<void> {
    if (epochMs < this.#now) {
      throw new RangeError(`ManualClock.set: time cannot move backwards (${epochMs} < ${this.#now})`);
    }
    return this.advance(epochMs - this.#now);
  }

  async #runUntil(target: number): Promise<void> {
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      if (next.dueAt > this.#now) this.#now = next.dueAt;
      try {
        await next.fn();
      } catch {
        // A timer's failure is its owner's concern; time still moves on.
      }
    }
    if (target > this.#now) this.#now = target;
  }

  #nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.#timers) {
      if (t.dueAt > target) continue;
      if (!best || t.dueAt < best.dueAt || (t.dueAt === best.dueAt && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
