/** Tracks the engine's in-flight work so `idle()` can wait for all of it. */
export class Activity {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Registers a promise until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const done = () => {
      this.#pending.delete(promise);
    };
    promise.then(done, done);
    return promise;
  }

  /** Resolves once nothing tracked is pending, including work started by work that finished meanwhile. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
