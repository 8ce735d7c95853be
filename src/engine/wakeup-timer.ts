import type { Clock, TimerHandle } from '../clock/clock.js';
import { BinaryHeap } from '../util/binary-heap.js';

/**
 * One clock timer for many due times: the engine tells it when something becomes due (a delayed task, a
 * timeout) and it calls `onWake` at each such instant, exactly then. Due times before `start()` are kept.
 */
export class WakeupTimer {
  readonly #clock: Clock;
  readonly #onWake: () => Promise<void>;
  readonly #due = new BinaryHeap<number>((a, b) => a < b);
  #timer: TimerHandle | null = null;
  #running = false;

  constructor(clock: Clock, onWake: () => Promise<void>) {
    this.#clock = clock;
    this.#onWake = onWake;
  }

  /** Asks for a wake at `dueAt` (epoch ms). */
  at(dueAt: number): void {
    this.#due.push(dueAt);
    if (this.#running && (!this.#timer || dueAt < this.#timer.dueAt)) this.#arm();
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
    const next = this.#due.peek();
    if (next === undefined) return;
    this.#timer = this.#clock.setTimer(next, () => this.#fire());
  }

  #fire(): Promise<void> {
    this.#timer = null;
    const now = this.#clock.now();
    while ((this.#due.peek() ?? Number.POSITIVE_INFINITY) <= now) this.#due.pop();
    if (this.#running) this.#arm();
    return this.#onWake();
  }
}
