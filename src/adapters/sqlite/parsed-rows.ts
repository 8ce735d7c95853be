interface Entry<T> {
  readonly json: string;
  readonly tag: string | null;
  readonly value: T;
}

/**
 * Parsed JSON rows by key, reused while the row's text in the database is unchanged: a read compares the text
 * it just read (and a tag, such as the definition hash beside a workflow row) with the cached one and parses
 * only when they differ. The database stays the only source of truth (another process may change any row);
 * the cache only saves the JSON.parse of rows read again, which a decide does for every task of its workflow.
 * A commit seeds it with the objects it wrote, which belong to the store from then on (as in the memory store).
 * Values are shared between callers and must be treated as read-only. Bounded: least recently used go first.
 */
export class ParsedRows<T> {
  readonly #capacity: number;
  readonly #entries = new Map<string, Entry<T>>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /**
   * The value of a row read from the database, made by `parse` unless the cache holds it for this very text and
   * tag.
   */
  get(
    key: string,
    json: string,
    tag: string | null = null,
    parse: (json: string, tag: string | null) => T = (text) => JSON.parse(text) as T,
  ): T {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.json === json && entry.tag === tag) {
      // Most recently used last: Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value;
    }
    const value = parse(json, tag);
    this.set(key, json, value, tag);
    return value;
  }

  /** Records the value whose text `json` was written for `key`. */
  set(key: string, json: string, value: T, tag: string | null = null): void {
    this.#entries.delete(key);
    this.#entries.set(key, { json, tag, value });
    if (this.#entries.size > this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
