/**
 * Why an HTTP call could not produce a response:
 * - `invalid`: the request itself is unusable (no uri or method, a malformed or non-http(s) uri, a bad
 *   header, a negative timeout);
 * - `timeout`: no response headers within `connectionTimeOut + readTimeOut`, or the body stalled for
 *   longer than `readTimeOut`;
 * - `network`: the connection failed (refused, DNS, TLS, reset);
 * - `aborted`: the caller's signal aborted it.
 */
export type HttpRequestErrorKind = 'invalid' | 'timeout' | 'network' | 'aborted';

/** An HTTP task's call failed before a status code was known; a non-2xx response is not an error. */
export class HttpRequestError extends Error {
  override name = 'HttpRequestError';
  readonly kind: HttpRequestErrorKind;

  constructor(kind: HttpRequestErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
