import type { Clock, TimerHandle } from '../clock/clock.js';

/**
 * One clock timer for the engine's next due time: the engine tells it when something becomes due (a delayed
 * task, a timeout) and it calls `onWake` exactly then. Only the earliest requested instant is kept: every due
 * time is a queue message, and each wake looks the next one up in the queue (`Engine.#armNextDue`), so a busy
 * engine does not pile up one entry per commit (a response timeout per started task).
 */
export class WakeupTimer {
  readonly #clock: Clock;
  readonly #onWake: () => Promise<void>;
  /** The earliest requested instant not yet fired. */
  #next: number | null = null;
  #timer: TimerHandle | null = null;
  #running = false;

  constructor(clock: Clock, onWake: () => Promise<void>) {
    this.#clock = clock;
    this.#onWake = onWake;
  }

  /** Asks for a wake at `dueAt` (epoch ms); a later instant than the one armed is left to the queue lookup. */
  at(dueAt: number): void {
    if (this.#next !== null && dueAt >= this.#next) return;
    this.#next = dueAt;
    if (this.#running) this.#arm();
  }

  start(): void {
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #arm(): void {
    if (this.#timer) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    if (this.#next === null) return;
    this.#timer = this.#clock.setTimer(this.#next, () => this.#fire());
  }

  #fire(): Promise<void> {
    this.#timer = null;
    this.#next = null;
    return this.#onWake();
  }
}
