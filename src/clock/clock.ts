/** A pending timer; pass it to {@link Clock.clearTimer}. */
export interface TimerHandle {
  readonly dueAt: number;
}

/**
 * The engine's only source of time. Every due time (retries, timeouts, WAIT, callbacks, sweeps) goes through
 * it, so a `ManualClock` (from `baton-engine/testing`) can drive the engine in tests.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Runs `fn` once at `dueAt` (epoch ms), or as soon as possible if that has passed. A returned promise tells a
   * manual clock when the consequences of the timer have settled.
   */
  setTimer(dueAt: number, fn: () => unknown): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}
