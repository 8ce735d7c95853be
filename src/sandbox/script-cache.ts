/**
 * Compiled scripts of one isolate, keyed by source, least recently used evicted past `capacity`. Compiled
 * code lives in the isolate's heap (counted against its memory limit), so workflows that build scripts
 * dynamically must not grow it without bound; an evicted script is released once its compilation settles.
 * Failed compilations (syntax errors) are cached too, so a broken SWITCH in a loop fails fast.
 */
export class ScriptCache<T extends { release(): void }> {
  readonly #entries = new Map<string, Promise<T>>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The compiled script for `source`, compiling it on a miss. */
  get(source: string, compile: (source: string) => Promise<T>): Promise<T> {
    let entry = this.#entries.get(source);
    if (entry === undefined) {
      entry = compile(source);
      // A rejection is delivered to the caller; this handler only keeps it from counting as unhandled here.
      entry.catch(() => {});
      if (this.#entries.size >= this.#capacity) this.#evictOldest();
    } else {
      this.#entries.delete(source); // re-inserted below: Map order doubles as recency order
    }
    this.#entries.set(source, entry);
    return entry;
  }

  /** Releases every compiled script (their isolate is going away or being reset). */
  clear(): void {
    for (const entry of this.#entries.values()) releaseWhenSettled(entry);
    this.#entries.clear();
  }

  #evictOldest(): void {
    const oldest = this.#entries.entries().next().value;
    if (oldest === undefined) return;
    this.#entries.delete(oldest[0]);
    releaseWhenSettled(oldest[1]);
  }
}

function releaseWhenSettled(entry: Promise<{ release(): void }>): void {
  entry.then(
    (script) => script.release(),
    () => {},
  );
}
