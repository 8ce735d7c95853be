import { HttpRequestError } from './http-request-error.js';

/**
 * One AbortController for a request, aborted by the caller's signal or by whichever timeout is armed.
 * `fetch` only reports "aborted", so this remembers why, and {@link Deadline.explain} turns the failure into
 * the right HttpRequestError.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #external: AbortSignal | undefined;
  #timer: NodeJS.Timeout | undefined;
  #expired: string | undefined;

  constructor(external?: AbortSignal) {
    this.signal = this.#controller.signal;
    this.#external = external;
    if (external?.aborted) this.#controller.abort(external.reason);
    else external?.addEventListener('abort', this.#onExternalAbort, { once: true });
  }

  /** Aborts after `ms` (0: never) with `message`, replacing any timeout armed before. */
  arm(ms: number, message: string): void {
    this.disarm();
    if (ms <= 0) return;
    this.#timer = setTimeout(() => {
      this.#expired = message;
      this.#controller.abort();
    }, ms);
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the timer and the listener on the caller's signal. */
  dispose(): void {
    this.disarm();
    this.#external?.removeEventListener('abort', this.#onExternalAbort);
  }

  /** The HttpRequestError for a failed fetch or body read: timeout, abort, or a network failure. */
  explain(error: unknown, what: string): HttpRequestError {
    if (this.#expired !== undefined) return new HttpRequestError('timeout', this.#expired, { cause: error });
    if (this.#external?.aborted)
      return new HttpRequestError('aborted', `${what} was aborted`, { cause: error });
    const cause = (error as { cause?: unknown })?.cause;
    const detail =
      cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    return new HttpRequestError('network', `${what} failed: ${detail}`, { cause: error });
  }

  readonly #onExternalAbort = (): void => {
    this.#controller.abort(this.#external?.reason);
  };
}
