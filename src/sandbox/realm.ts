import type ivm from 'isolated-vm';
import { REALM_SOURCE } from './realm-source.js';

/**
 * One hardened context of an isolate, shared by the evaluations that run on it (see `realm-source.ts`).
 * Only the holder object and the reset function are reachable from the host; scripts see neither.
 */
export class Realm {
  readonly context: ivm.Context;
  readonly #holder: ivm.Reference<Record<string, unknown>>;
  readonly #reset: ivm.Reference<() => boolean>;

  private constructor(
    context: ivm.Context,
    holder: ivm.Reference<Record<string, unknown>>,
    reset: ivm.Reference<() => boolean>,
  ) {
    this.context = context;
    this.#holder = holder;
    this.#reset = reset;
  }

  /** Creates a context in `isolate` and hardens it (off the main thread: both steps are async). */
  static async create(isolate: ivm.Isolate): Promise<Realm> {
    const context = await isolate.createContext();
    try {
      const handles = await context.eval(REALM_SOURCE, { reference: true });
      const holder = handles.getSync('holder', { reference: true });
      const reset = handles.getSync('reset', { reference: true });
      handles.release();
      return new Realm(context, holder, reset);
    } catch (error) {
      context.release();
      throw error;
    }
  }

  /** Hands the next evaluation its input as JSON text; `$` parses it inside the isolate on first read. */
  setInput(json: string): void {
    this.#holder.setSync('json', json);
  }

  /**
   * Undoes what an evaluation left behind: implicit globals (also those its promise jobs created after the
   * script returned), the input, the RegExp legacy statics. Runs only trusted code, so the synchronous call
   * is short. False when something cannot be undone (a non-configurable global, a replaced prototype of
   * the global object) and the realm must be replaced.
   */
  reset(): boolean {
    try {
      return this.#reset.applySync(undefined, [], { timeout: 1000 }) === true;
    } catch {
      return false;
    }
  }

  release(): void {
    this.#holder.release();
    this.#reset.release();
    this.context.release();
  }
}
