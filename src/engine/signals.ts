import { wallClock } from '../clock/system-clock.js';

/** A registered wait: `fired` resolves true when signalled, false when its time ran out. */
export interface Waiter {
  readonly fired: Promise<boolean>;
  /** Stops waiting (and frees the timer); call it once done with the waiter. */
  cancel(): void;
}

/**
 * One-shot wake-ups by key, for caller-facing waits (a workflow's end, a task arriving in a queue). Times are
 * wall-clock: these waits are the caller's, not the engine's.
 */
export class Signals {
  readonly #waiting = new Map<string, Set<(fired: boolean) => void>>();

  /** Waits for `signal(key)`, at most `timeoutMs` (forever when undefined). Register before checking state. */
  waiter(key: string, timeoutMs?: number): Waiter {
    // A plain timer, not an AbortController: aborting one builds a DOMException with a stack trace, and a
    // waiter is made for every waitForWorkflow (that was a tenth of the engine's time in linear-5).
    let stopTimer: (() => void) | null = null;
    let settle: (fired: boolean) => void = () => {};
    const fired = new Promise<boolean>((resolve) => {
      settle = (value) => {
        this.#forget(key, settle);
        stopTimer?.();
        stopTimer = null;
        resolve(value);
      };
    });
    let set = this.#waiting.get(key);
    if (!set) {
      set = new Set();
      this.#waiting.set(key, set);
    }
    set.add(settle);
    if (timeoutMs !== undefined) stopTimer = wallClock.after(timeoutMs, () => settle(false));
    return { fired, cancel: () => settle(false) };
  }

  /** Wakes every current waiter of `key`. */
  signal(key: string): void {
    const set = this.#waiting.get(key);
    if (set) for (const settle of [...set]) settle(true);
  }

  #forget(key: string, settle: (fired: boolean) => void): void {
    const set = this.#waiting.get(key);
    set?.delete(settle);
    if (set?.size === 0) this.#waiting.delete(key);
  }
}
