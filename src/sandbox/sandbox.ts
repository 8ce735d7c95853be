import { availableParallelism } from 'node:os';
import { IsolateSlot } from './isolate-slot.js';
import { ScriptError } from './script-error.js';

/** Limits and pool size of a {@link Sandbox}. */
export interface SandboxOptions {
  /** Heap limit of each isolate, in MB (isolated-vm's minimum is 8). @default 32 */
  memoryLimitMb?: number;
  /** Wall-clock budget of one evaluation, in ms, counted from when it starts running. @default 1000 */
  timeoutMs?: number;
  /** Isolates created at most (each runs one script at a time, on its own thread). @default os.availableParallelism() */
  poolSize?: number;
}

/** Counters for benchmarks and tests. */
export interface SandboxStats {
  /** Isolates started so far, replacements included. */
  readonly isolatesCreated: number;
  /** Evaluations started so far, failed ones included. */
  readonly evaluations: number;
}

interface Waiter {
  resolve(slot: IsolateSlot): void;
  reject(error: unknown): void;
}

/**
 * Runs Conductor scripts (INLINE, LAMBDA, SWITCH and DO_WHILE `javascript`) in V8 isolates via isolated-vm.
 *
 * - `$` is a JSON copy of the input; the result is the value of the last expression statement (GraalJS eval
 *   semantics), copied out as JSON: `undefined` becomes `null`, `NaN` and `Infinity` become `null`, a Date
 *   its ISO string, nested functions and `undefined` properties are dropped as `JSON.stringify` does; a
 *   result that is itself a function or symbol, or holds a BigInt or a cycle, fails with kind `output`.
 * - No host access: no `require`, `process`, timers, network, `WebAssembly` or `SharedArrayBuffer`;
 *   Reading the clock (`Date.now()`, `new Date()`) throws; dates built from explicit values work; `Math.random` works.
 *   `console.log` exists and does nothing.
 * - Each isolate keeps one frozen realm that evaluations share: builtins are frozen, so a script that
 *   assigns `Array.prototype.map` changes nothing (sloppy) or throws a TypeError (strict); implicit globals
 *   are deleted after each run; a script that leaves something undeletable gets the realm replaced.
 * - Scripts run on the isolate's thread (isolated-vm's async `run`), so the event loop stays free; a timeout
 *   or memory exhaustion fails only that evaluation, and an isolate that hit its heap limit is replaced.
 *
 * Isolates are created lazily, up to `poolSize`, when every existing one is busy.
 */
export class Sandbox {
  readonly #memoryLimitMb: number;
  readonly #timeoutMs: number;
  readonly #poolSize: number;
  readonly #slots = new Set<IsolateSlot>();
  readonly #idle: IsolateSlot[] = [];
  readonly #waiters: Waiter[] = [];
  /** Slots alive or being created; never more than `poolSize`. */
  #slotCount = 0;
  #closed = false;
  #isolatesCreated = 0;
  #evaluations = 0;

  constructor(options: SandboxOptions = {}) {
    this.#memoryLimitMb = options.memoryLimitMb ?? 32;
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#poolSize = Math.max(1, options.poolSize ?? availableParallelism());
  }

  get stats(): SandboxStats {
    return { isolatesCreated: this.#isolatesCreated, evaluations: this.#evaluations };
  }

  /**
   * Evaluates `script` with `$` bound to a JSON copy of `input` and resolves to its result as JSON.
   * Rejects with a {@link ScriptError} on any failure, including an input that is not JSON data.
   */
  async evaluate(
    script: string,
    input: Record<string, unknown>,
    options?: { timeoutMs?: number },
  ): Promise<unknown> {
    if (this.#closed) throw closedError();
    const inputJson = serializeInput(input);
    const timeoutMs = options?.timeoutMs ?? this.#timeoutMs;
    this.#evaluations++;
    const slot = await this.#acquire();
    try {
      return await slot.evaluate(script, inputJson, timeoutMs);
    } finally {
      this.#release(slot);
    }
  }

  /** Disposes every isolate; running and queued evaluations reject with a ScriptError. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closedError());
    for (const slot of this.#slots) slot.dispose();
    this.#slots.clear();
    this.#idle.length = 0;
  }

  #acquire(): Promise<IsolateSlot> {
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle);
    const slot = new Promise<IsolateSlot>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (this.#slotCount < this.#poolSize) this.#grow();
    return slot;
  }

  /** Starts one more isolate; the first waiter gets it. */
  #grow(): void {
    this.#slotCount++;
    this.#isolatesCreated++;
    IsolateSlot.create(this.#memoryLimitMb).then(
      (slot) => {
        this.#slots.add(slot);
        this.#release(slot);
      },
      (error: unknown) => {
        this.#slotCount--;
        const message = error instanceof Error ? error.message : String(error);
        this.#waiters
          .shift()
          ?.reject(new ScriptError('runtime', `Could not start a script isolate: ${message}`));
      },
    );
  }

  /** Hands a slot to the next waiter, parks it, or drops it if its isolate is gone. */
  #release(slot: IsolateSlot): void {
    if (this.#closed || !slot.alive) {
      this.#retire(slot);
      return;
    }
    const renewal = slot.renewal;
    if (renewal !== undefined) {
      renewal.then(() => this.#release(slot));
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(slot);
    else this.#idle.push(slot);
  }

  #retire(slot: IsolateSlot): void {
    slot.dispose();
    if (this.#slots.delete(slot)) this.#slotCount--;
    if (!this.#closed && this.#waiters.length > 0 && this.#slotCount < this.#poolSize) this.#grow();
  }
}

/** `$` goes in as JSON text, so the isolate sees exactly JSON semantics (and never a host object). */
function serializeInput(input: Record<string, unknown>): string {
  try {
    return JSON.stringify(input ?? {}) ?? '{}';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ScriptError('runtime', `The script input is not JSON data: ${message}`, { cause: error });
  }
}

function closedError(): ScriptError {
  return new ScriptError('runtime', 'The sandbox is closed');
}
