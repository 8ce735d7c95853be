import ivm from 'isolated-vm';
import { Realm } from './realm.js';
import { wrapScript } from './realm-source.js';
import { classifyHostError, compileError, decodeRunOutcome, type RunLimits } from './run-outcome.js';
import { ScriptCache } from './script-cache.js';

/** Distinct sources compiled per isolate before the least recently used are released. */
const SCRIPT_CACHE_SIZE = 256;
/** Name used in syntax-error positions, e.g. `[script:1:4]`. */
const SCRIPT_FILENAME = 'script';

/**
 * One isolate of the pool: its hardened realm and its compiled scripts. It runs one evaluation at a time
 * (the pool guarantees it), so the synchronous calls it makes (handing over the input, resetting after a
 * timeout) never wait for the isolate's lock.
 */
export class IsolateSlot {
  readonly #isolate: ivm.Isolate;
  readonly #memoryLimitMb: number;
  readonly #scripts = new ScriptCache<ivm.Script>(SCRIPT_CACHE_SIZE);
  #realm: Realm;
  /** Set while a dirty realm is being replaced; the next evaluation waits for it. */
  #renewal: Promise<void> | undefined;

  private constructor(isolate: ivm.Isolate, realm: Realm, memoryLimitMb: number) {
    this.#isolate = isolate;
    this.#realm = realm;
    this.#memoryLimitMb = memoryLimitMb;
  }

  static async create(memoryLimitMb: number): Promise<IsolateSlot> {
    const isolate = new ivm.Isolate({ memoryLimit: memoryLimitMb });
    try {
      return new IsolateSlot(isolate, await Realm.create(isolate), memoryLimitMb);
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** False once the isolate is gone (memory limit, close): the pool then drops this slot. */
  get alive(): boolean {
    return !this.#isolate.isDisposed;
  }

  /** Pending while a dirty realm is being replaced; the pool hands the slot out again only after it. */
  get renewal(): Promise<void> | undefined {
    return this.#renewal;
  }

  /** Runs `source` with `$` bound to the JSON in `inputJson`; resolves to the JSON result. */
  async evaluate(source: string, inputJson: string, timeoutMs: number): Promise<unknown> {
    const limits: RunLimits = { timeoutMs, memoryLimitMb: this.#memoryLimitMb };
    if (this.#renewal !== undefined) await this.#renewal;
    const script = await this.#scripts.get(source, (text) => this.#compile(text, limits));
    let raw: unknown;
    try {
      this.#realm.setInput(inputJson);
      raw = await script.run(this.#realm.context, { timeout: timeoutMs });
    } catch (error) {
      throw classifyHostError(error, limits);
    } finally {
      this.#cleanUp();
    }
    return decodeRunOutcome(raw);
  }

  dispose(): void {
    this.#scripts.clear();
    if (!this.#isolate.isDisposed) this.#isolate.dispose();
  }

  /**
   * Compiles the bare source first, only to report syntax errors with their position (the wrapped form
   * would report them from inside `eval`, without one), then the wrapped form that actually runs.
   */
  async #compile(source: string, limits: RunLimits): Promise<ivm.Script> {
    try {
      const check = await this.#isolate.compileScript(source, { filename: SCRIPT_FILENAME });
      check.release();
      return await this.#isolate.compileScript(wrapScript(source), { filename: SCRIPT_FILENAME });
    } catch (error) {
      throw compileError(error, limits);
    }
  }

  /**
   * After every run, once isolated-vm has drained its promise jobs (so no script code can run any more):
   * undo what the script left in the realm, or replace the realm if that is impossible.
   */
  #cleanUp(): void {
    if (!this.alive) return;
    if (!this.#realm.reset()) this.#renew();
  }

  /** Replaces the realm in the background; a failure means the isolate is unusable, so it is disposed. */
  #renew(): void {
    if (this.#renewal !== undefined || !this.alive) return;
    const previous = this.#realm;
    this.#renewal = Realm.create(this.#isolate)
      .then(
        (next) => {
          this.#realm = next;
          previous.release();
        },
        () => this.dispose(),
      )
      .finally(() => {
        this.#renewal = undefined;
      });
  }
}
