import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeHttpRequest, HttpRequestError } from '../../src/http/index.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/json': (_request, _body, response) => {
    response.setHeader('set-cookie', ['a=1', 'b=2']);
    response.setHeader('x-trace', 'abc');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ hello: 'world' }));
  },
  '/echo': (request, body, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        method: request.method,
        contentType: request.headers['content-type'] ?? null,
        accept: request.headers.accept ?? null,
        custom: request.headers['x-custom'] ?? null,
        body,
      }),
    );
  },
  '/text': (_request, _body, response) => response.end('plain text'),
  '/empty': (_request, _body, response) => response.writeHead(204).end(),
  '/fail': (_request, _body, response) => {
    response.statusCode = 500;
    response.end(JSON.stringify({ error: 'boom' }));
  },
  '/never': () => {
    // Holds the request open: the client must give up on its own.
  },
  '/stall': (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first chunk');
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const handler = routes[request.url ?? ''];
      if (handler === undefined) response.writeHead(404).end();
      else handler(request, Buffer.concat(chunks).toString('utf8'), response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function requestFailure(promise: Promise<unknown>): Promise<HttpRequestError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected an HttpRequestError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
}

describe('executeHttpRequest: responses', () => {
  it('GETs JSON: parsed body, headers, status and reason', async () => {
    const response = await executeHttpRequest({ uri: `${base}/json`, method: 'get' });
    expect(response.statusCode).toBe(200);
    expect(response.reasonPhrase).toBe('OK');
    expect(response.body).toEqual({ hello: 'world' });
    expect(response.headers['x-trace']).toBe('abc');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('POSTs an object as JSON with the default content type and accept', async () => {
    const response = await executeHttpRequest({
      uri: `${base}/echo`,
      method: 'POST',
      headers: { 'X-Custom': 42 },
      body: { order: 7, items: ['a'] },
    });
    expect(response.body).toEqual({
      method: 'POST',
      contentType: 'application/json',
      accept: 'application/json',
      custom: '42',
      body: '{"order":7,"items":["a"]}',
    });
  });

  it('sends a string body as-is with the given content type', async () => {
    const response = await executeHttpRequest({
      uri: `${base}/echo`,
      method: 'PUT',
      body: 'raw=1',
      contentType: 'application/x-www-form-urlencoded',
      accept: 'text/plain',
    });
    expect(response.body).toMatchObject({
      method: 'PUT',
      contentType: 'application/x-www-form-urlencoded',
      accept: 'text/plain',
      body: 'raw=1',
    });
  });

  it('returns a 500 response instead of throwing', async () => {
    const response = await executeHttpRequest({ uri: `${base}/fail`, method: 'GET' });
    expect(response.statusCode).toBe(500);
    expect(response.reasonPhrase).toBe('Internal Server Error');
    expect(response.body).toEqual({ error: 'boom' });
  });

  it('keeps a non-JSON body as text and an empty one as null', async () => {
    expect((await executeHttpRequest({ uri: `${base}/text`, method: 'GET' })).body).toBe('plain text');
    const empty = await executeHttpRequest({ uri: `${base}/empty`, method: 'DELETE' });
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBeNull();
  });
});

describe('executeHttpRequest: failures', () => {
  it('times out when no response arrives', async () => {
    const started = performance.now();
    const error = await requestFailure(
      executeHttpRequest({ uri: `${base}/never`, method: 'GET', connectionTimeOut: 100, readTimeOut: 150 }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(
      `HTTP GET ${base}/never timed out: no response within 250 ms (connectionTimeOut 100 ms + readTimeOut 150 ms)`,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('times out when the body stalls for longer than readTimeOut', async () => {
    const error = await requestFailure(
      executeHttpRequest({ uri: `${base}/stall`, method: 'GET', readTimeOut: 150 }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/the response body stalled for more than readTimeOut 150 ms$/);
  });

  it('rejects a bad or unsupported URL', async () => {
    const bad = await requestFailure(executeHttpRequest({ uri: 'not a url', method: 'GET' }));
    expect(bad.kind).toBe('invalid');
    expect(bad.message).toBe('Invalid HTTP URI "not a url": not an absolute URL');
    const file = await requestFailure(executeHttpRequest({ uri: 'file:///etc/passwd', method: 'GET' }));
    expect(file.message).toBe('Invalid HTTP URI "file:///etc/passwd": only http and https are supported');
  });

  it('rejects a request without uri or method, with Conductor messages', async () => {
    expect((await requestFailure(executeHttpRequest({ method: 'GET' }))).message).toBe(
      'Missing HTTP URI. See documentation for HttpTask for required input parameters',
    );
    expect((await requestFailure(executeHttpRequest({ uri: `${base}/json` }))).message).toBe(
      'No HTTP method specified',
    );
    expect((await requestFailure(executeHttpRequest({ uri: `${base}/json`, method: 'GE T' }))).kind).toBe(
      'invalid',
    );
  });

  it('reports a refused connection as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await requestFailure(
      executeHttpRequest({ uri: `http://127.0.0.1:${port}/`, method: 'GET' }),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const pending = executeHttpRequest(
      { uri: `${base}/never`, method: 'GET' },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    const error = await requestFailure(pending);
    expect(error.kind).toBe('aborted');
  });
});
