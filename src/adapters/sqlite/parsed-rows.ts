interface Entry<T> {
  readonly json: string;
  readonly value: T;
}

/**
 * Parsed JSON rows by key, reused while the row's text in the database is unchanged: a read compares the text
 * it just read with the cached one and parses only when they differ. The database stays the only source of
 * truth (another process may change any row); the cache only saves the JSON.parse of rows read again. A commit
 * seeds it with the objects it wrote, which belong to the store from then on (as in the memory store). Values
 * are shared between callers and must be treated as read-only. Bounded: least recently used go first.
 */
export class ParsedRows<T> {
  readonly #capacity: number;
  readonly #entries = new Map<string, Entry<T>>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The value of a row just read from the database, parsed unless the cache holds it for this very text. */
  get(key: string, json: string): T {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.json === json) {
      // Most recently used last: Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value;
    }
    const value = JSON.parse(json) as T;
    this.set(key, json, value);
    return value;
  }

  /** Records the value whose text `json` was written for `key`. */
  set(key: string, json: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, { json, value });
    if (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }
}
