/**
 * Runs work for one key at a time, in call order: every change to a workflow in this process goes through its
 * lane, so decides never race each other here (version fencing covers other processes).
 */
export class Lanes {
  /** Keys with work running → the callers waiting for their turn, first come first served. */
  readonly #busy = new Map<string, Array<() => void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const waiting = this.#busy.get(key);
    // A lane nobody uses costs no promise chain: most units of work find their workflow's lane free.
    if (waiting) await new Promise<void>((resolve) => waiting.push(resolve));
    else this.#busy.set(key, []);
    try {
      return await work();
    } finally {
      // Hand the lane to the next caller, or free it.
      const next = this.#busy.get(key)?.shift();
      if (next) next();
      else this.#busy.delete(key);
    }
  }
}
