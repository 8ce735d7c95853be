import { Deadline } from './deadline.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import { prepareRequest } from './prepare-request.js';
import { readResponse } from './read-response.js';

export { HttpRequestError, type HttpRequestErrorKind } from './http-request-error.js';
export type { HttpRequest, HttpResponse } from './http-types.js';

/**
 * Performs the HTTP task's call with Node's global `fetch` and returns the response whatever its status:
 * the task type decides COMPLETED (2xx) or FAILED. Rejects with an HttpRequestError when there is no
 * response: an invalid request, a timeout, a network failure, or `options.signal` aborting.
 *
 * Timeouts: `fetch` cannot tell connecting from waiting, so the response headers must arrive within
 * `connectionTimeOut + readTimeOut`; after that, the body may pause at most `readTimeOut` between chunks.
 * Redirects are followed. A body on GET or HEAD is ignored.
 *
 * @example
 * const response = await executeHttpRequest({ uri: 'https://example.com/api', method: 'POST', body: { a: 1 } });
 * if (response.statusCode >= 200 && response.statusCode < 300) use(response.body);
 */
export async function executeHttpRequest(
  request: HttpRequest,
  options: { signal?: AbortSignal } = {},
): Promise<HttpResponse> {
  const prepared = prepareRequest(request);
  const what = `HTTP ${prepared.method} ${prepared.url.href}`;
  const deadline = new Deadline(options.signal);
  const headerBudget =
    prepared.connectionTimeOut > 0 && prepared.readTimeOut > 0
      ? prepared.connectionTimeOut + prepared.readTimeOut
      : 0;
  deadline.arm(
    headerBudget,
    `${what} timed out: no response within ${headerBudget} ms ` +
      `(connectionTimeOut ${prepared.connectionTimeOut} ms + readTimeOut ${prepared.readTimeOut} ms)`,
  );
  try {
    let response: Response;
    try {
      response = await fetch(prepared.url, {
        method: prepared.method,
        headers: prepared.headers,
        body: prepared.body,
        signal: deadline.signal,
      });
    } catch (error) {
      throw deadline.explain(error, what);
    }
    return await readResponse(response, deadline, prepared.readTimeOut, what);
  } finally {
    deadline.dispose();
  }
}
