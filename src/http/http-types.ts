/**
 * The HTTP task's `http_request` input (Conductor's `HttpTask.Input`): what {@link executeHttpRequest}
 * sends. Fields are optional because they come from user definitions; missing `uri` or `method` is an error.
 */
export interface HttpRequest {
  uri?: string;
  /** GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS; case-insensitive. */
  method?: string;
  /** Header values are sent as strings; a list sends the header once per element; null is skipped. */
  headers?: Record<string, unknown>;
  /** A string is sent as-is; anything else is JSON-encoded. Ignored for GET and HEAD. */
  body?: unknown;
  /** Content-Type sent with a body, unless `headers` has one. @default 'application/json' */
  contentType?: string;
  /** Accept header, unless `headers` has one. @default 'application/json' */
  accept?: string;
  /** ms allowed to connect; together with `readTimeOut` it bounds the wait for the response headers. 0 disables. @default 3000 */
  connectionTimeOut?: number | string;
  /** ms the response may stay silent (before its headers, and between body chunks). 0 disables. @default 3000 */
  readTimeOut?: number | string;
}

/** The HTTP task's `response` output (Conductor's `HttpResponse.asMap()`). */
export interface HttpResponse {
  statusCode: number;
  /** Lower-case names; repeated headers are joined with `, ` except `set-cookie`, which is a list. */
  headers: Record<string, string | string[]>;
  /** The body parsed as JSON when it parses, else its text; null when empty. */
  body: unknown;
  /** The status line's reason, or the standard one for the code. */
  reasonPhrase: string;
}
