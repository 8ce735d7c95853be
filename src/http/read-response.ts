import { STATUS_CODES } from 'node:http';
import type { Deadline } from './deadline.js';
import type { HttpResponse } from './http-types.js';

/**
 * Reads a fetch response into the HTTP task's output shape. The body is read chunk by chunk with the
 * read timeout re-armed on each one, so a slow but steady download passes and a stalled one fails.
 */
export async function readResponse(
  response: Response,
  deadline: Deadline,
  readTimeOut: number,
  what: string,
): Promise<HttpResponse> {
  const text = await readText(response, deadline, readTimeOut, what);
  return {
    statusCode: response.status,
    headers: headerRecord(response.headers),
    body: parseBody(text),
    reasonPhrase: response.statusText || STATUS_CODES[response.status] || '',
  };
}

async function readText(
  response: Response,
  deadline: Deadline,
  readTimeOut: number,
  what: string,
): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  const stalled = `${what}: the response body stalled for more than readTimeOut ${readTimeOut} ms`;
  deadline.arm(readTimeOut, stalled);
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk);
      deadline.arm(readTimeOut, stalled);
    }
  } catch (error) {
    throw deadline.explain(error, what);
  } finally {
    deadline.disarm();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Conductor parses any body that is JSON (even a bare number or string literal); other text stays text. */
function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerRecord(headers: Headers): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record['set-cookie'] = cookies;
  return record;
}
