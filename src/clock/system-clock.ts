import type { Clock, TimerHandle } from './clock.js';

// setTimeout's delay is a signed 32-bit number of ms; longer waits are chained.
const MAX_DELAY_MS = 2_147_483_647;

interface SystemTimer extends TimerHandle {
  timeout: NodeJS.Timeout | undefined;
}

/** The real clock: `Date.now()` and `setTimeout`, timers unref'd so they never keep the process alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(dueAt: number, fn: () => unknown): TimerHandle {
    const timer: SystemTimer = { dueAt, timeout: undefined };
    const arm = () => {
      const delay = Math.max(0, dueAt - Date.now());
      timer.timeout = setTimeout(delay > MAX_DELAY_MS ? arm : fire, Math.min(delay, MAX_DELAY_MS));
      timer.timeout.unref?.();
    };
    const fire = () => {
      timer.timeout = undefined;
      fn();
    };
    arm();
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as SystemTimer;
    if (timer.timeout) clearTimeout(timer.timeout);
    timer.timeout = undefined;
  }

  /**
   * Calls `fn` after `ms` of wall time unless the returned cancel is called first. Unlike {@link setTimer} the
   * timer keeps the process alive, as a caller awaiting a wait with a timeout expects.
   */
  after(ms: number, fn: () => void): () => void {
    const t = setTimeout(fn, Math.min(Math.max(0, ms), MAX_DELAY_MS));
    return () => clearTimeout(t);
  }

  /** Resolves after `ms` of wall time, or at once when `signal` aborts (for caller-facing waits). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** The process-wide wall clock used for caller-facing waits. */
export const wallClock = new SystemClock();
