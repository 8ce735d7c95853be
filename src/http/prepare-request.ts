import { HttpRequestError } from './http-request-error.js';
import type { HttpRequest } from './http-types.js';

const DEFAULT_MEDIA_TYPE = 'application/json';
const DEFAULT_TIMEOUT_MS = 3000;
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);
/** RFC 9110 token characters; fetch also refuses these three methods outright. */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** A validated request, ready for `fetch`. */
export interface PreparedRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly connectionTimeOut: number;
  readonly readTimeOut: number;
}

/** Validates an HTTP task input and builds what `fetch` needs; throws HttpRequestError `invalid`. */
export function prepareRequest(request: HttpRequest): PreparedRequest {
  if (typeof request.uri !== 'string' || request.uri.trim() === '') {
    // Conductor's own wording for these two.
    throw new HttpRequestError(
      'invalid',
      'Missing HTTP URI. See documentation for HttpTask for required input parameters',
    );
  }
  if (typeof request.method !== 'string' || request.method.trim() === '') {
    throw new HttpRequestError('invalid', 'No HTTP method specified');
  }
  const method = request.method.trim().toUpperCase();
  if (!METHOD_TOKEN.test(method) || FORBIDDEN_METHODS.has(method)) {
    throw new HttpRequestError('invalid', `Unsupported HTTP method "${request.method}"`);
  }
  const body = BODYLESS_METHODS.has(method) ? undefined : encodeBody(request.body);
  return {
    url: parseUri(request.uri.trim()),
    method,
    headers: buildHeaders(request, body !== undefined),
    body,
    connectionTimeOut: parseTimeout('connectionTimeOut', request.connectionTimeOut),
    readTimeOut: parseTimeout('readTimeOut', request.readTimeOut),
  };
}

function parseUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new HttpRequestError('invalid', `Invalid HTTP URI "${uri}": not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpRequestError('invalid', `Invalid HTTP URI "${uri}": only http and https are supported`);
  }
  return url;
}

function encodeBody(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function buildHeaders(request: HttpRequest, hasBody: boolean): Headers {
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== null && item !== undefined) headers.append(name, headerValue(item));
      }
    }
  } catch (error) {
    throw new HttpRequestError('invalid', `Invalid HTTP header: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!headers.has('accept')) headers.set('accept', request.accept ?? DEFAULT_MEDIA_TYPE);
  if (hasBody && !headers.has('content-type'))
    headers.set('content-type', request.contentType ?? DEFAULT_MEDIA_TYPE);
  return headers;
}

function headerValue(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A timeout in ms; definitions may carry it as a string after `${...}` substitution. */
function parseTimeout(field: string, value: number | string | undefined): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new HttpRequestError(
      'invalid',
      `Invalid ${field} ${JSON.stringify(value)}: expected milliseconds >= 0`,
    );
  }
  return ms;
}
