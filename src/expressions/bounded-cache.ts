/**
 * A string-keyed cache with a hard size cap. When full, the oldest insertion is dropped (FIFO): cheaper than
 * true LRU on every hit, and good enough because the hot keys (definition strings) get re-inserted quickly.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value for `key`, computing and storing it on a miss. */
  getOrCompute(key: string, compute: (key: string) => V): V {
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = compute(key);
      this.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.#capacity && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }
}
