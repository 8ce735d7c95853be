import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine, Task, Workflow, WorkflowTask } from '../../src/index.js';
import { HTTP_LEASE_MS } from '../../src/tasks/http.js';
import { deferred, define, setup, T0 } from '../helpers/engine.js';

// One local server for the file; each route is what one test needs.
let server: Server;
let base: string;
let flakyCalls = 0;
let holdCalls = 0;
let held: { release: () => void; closed: Promise<void> } | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    route(req, res).catch((error) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  flakyCalls = 0;
  holdCalls = 0;
  held = null;
});

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  switch (url.pathname) {
    case '/users/7':
      return json(res, 200, { id: 7, name: 'Ada' }, { 'x-request-id': 'r-1' });
    case '/echo': {
      const body = await readBody(req);
      return json(res, 201, {
        method: req.method,
        body: body === '' ? null : req.headers['content-type']?.includes('json') ? JSON.parse(body) : body,
        contentType: req.headers['content-type'] ?? null,
        accept: req.headers.accept ?? null,
        token: req.headers['x-token'] ?? null,
      });
    }
    case '/flaky':
      flakyCalls++;
      return flakyCalls === 1 ? json(res, 500, { error: 'boom' }) : json(res, 200, { attempt: flakyCalls });
    case '/missing':
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('no such thing');
    case '/slow':
      // Never answers in time: the request's own timeout fails it.
      return void setTimeout(() => json(res, 200, { late: true }), 2000).unref();
    case '/hold': {
      // Answers only when the test releases it; `closed` tells the test the client went away.
      holdCalls++;
      const release = deferred();
      const closed = deferred();
      res.on('close', () => closed.resolve());
      held = { release: () => release.resolve(), closed: closed.promise };
      await Promise.race([release.promise, closed.promise]);
      if (!res.destroyed) json(res, 200, { released: true });
      return;
    }
    default:
      return json(res, 404, { error: 'unknown route' });
  }
}

function http(
  request: Record<string, unknown>,
  ref = 'call',
  extra: Partial<WorkflowTask> = {},
): WorkflowTask {
  return {
    name: ref,
    taskReferenceName: ref,
    type: 'HTTP',
    inputParameters: { http_request: request },
    ...extra,
  };
}

async function run(
  tasks: WorkflowTask[],
  options: Parameters<typeof define>[3] = {},
): Promise<{ engine: Engine; wf: Workflow }> {
  const { engine } = await setup();
  await define(engine, 'http_wf', tasks, options);
  const id = await engine.startWorkflow({ name: 'http_wf', input: { id: 7 } });
  return { engine, wf: await engine.waitForWorkflow(id, { timeoutMs: 10_000 }) };
}

function only(wf: Workflow): Task {
  expect(wf.tasks).toHaveLength(1);
  return wf.tasks[0];
}

/** Resolves once the server is holding a /hold request. */
async function holding(): Promise<NonNullable<typeof held>> {
  for (let i = 0; i < 500 && !held; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!held) throw new Error('the /hold request never arrived');
  return held;
}

describe('HTTP: responses', () => {
  it('completes on 2xx with response { statusCode, headers, body (parsed JSON), reasonPhrase }', async () => {
    const { wf } = await run([http({ uri: `${base}/users/\${workflow.input.id}`, method: 'GET' })], {
      def: { outputParameters: { name: '${call.output.response.body.name}' } },
    });
    expect(wf.status).toBe('COMPLETED');
    const task = only(wf);
    expect(task).toMatchObject({ taskType: 'HTTP', status: 'COMPLETED', reasonForIncompletion: null });
    expect(task.inputData.http_request).toEqual({ uri: `${base}/users/7`, method: 'GET' });
    expect(task.outputData.response).toMatchObject({
      statusCode: 200,
      reasonPhrase: 'OK',
      body: { id: 7, name: 'Ada' },
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
    });
    expect(wf.output).toEqual({ name: 'Ada' });
  });

  it('POSTs a JSON body with headers, contentType and accept', async () => {
    const { wf } = await run([
      http({
        uri: `${base}/echo`,
        method: 'POST',
        body: { order: '${workflow.input.id}', items: [1, 2] },
        headers: { 'X-Token': 'secret' },
        accept: 'application/json',
        contentType: 'application/json; charset=utf-8',
      }),
    ]);
    expect(only(wf).outputData.response).toMatchObject({
      statusCode: 201,
      reasonPhrase: 'Created',
      body: {
        method: 'POST',
        body: { order: 7, items: [1, 2] },
        contentType: 'application/json; charset=utf-8',
        accept: 'application/json',
        token: 'secret',
      },
    });
  });

  it('reads the request from the task input itself when there is no http_request', async () => {
    const { wf } = await run([
      {
        name: 'call',
        taskReferenceName: 'call',
        type: 'HTTP',
        inputParameters: {
          uri: `${base}/echo`,
          method: 'PUT',
          body: 'plain text',
          contentType: 'text/plain',
        },
      },
    ]);
    expect(only(wf).status).toBe('COMPLETED');
    expect((only(wf).outputData.response as { body: unknown }).body).toMatchObject({
      method: 'PUT',
      body: 'plain text',
      contentType: 'text/plain',
    });
  });

  it('fails on a non-2xx status with the status in the reason and the response in the output', async () => {
    const { wf } = await run([http({ uri: `${base}/missing`, method: 'GET' })]);
    expect(wf.status).toBe('FAILED');
    expect(only(wf)).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: 'Failed to invoke HTTP task due to: 404 Not Found: no such thing',
      outputData: { response: { statusCode: 404, reasonPhrase: 'Not Found', body: 'no such thing' } },
    });
  });

  it("retries a 500 per the step's TaskDef, then completes", async () => {
    const { wf } = await run([http({ uri: `${base}/flaky`, method: 'GET' }, 'flaky_call')], {
      taskDefs: [{ name: 'flaky_call', retryCount: 1, retryDelaySeconds: 0 }],
    });
    expect(wf.status).toBe('COMPLETED');
    expect(flakyCalls).toBe(2);
    expect(wf.tasks.map((t) => [t.referenceTaskName, t.status, t.retryCount])).toEqual([
      ['flaky_call', 'FAILED', 0],
      ['flaky_call', 'COMPLETED', 1],
    ]);
    expect(wf.tasks[0].reasonForIncompletion).toBe(
      'Failed to invoke HTTP task due to: 500 Internal Server Error: {"error":"boom"}',
    );
    expect(wf.tasks[0].outputData.response).toMatchObject({ statusCode: 500, body: { error: 'boom' } });
    expect(wf.tasks[1].outputData.response).toMatchObject({ statusCode: 200, body: { attempt: 2 } });
  });

  it('stays IN_PROGRESS with its response when asyncComplete, until updateTask completes it', async () => {
    const { engine } = await setup();
    await define(engine, 'async_http', [
      http({ uri: `${base}/users/7`, method: 'GET' }, 'call', { asyncComplete: true }),
    ]);
    const id = await engine.startWorkflow({ name: 'async_http', input: {} });
    await engine.idle();
    const [task] = (await engine.getWorkflow(id)).tasks;
    expect(task.status).toBe('IN_PROGRESS');
    expect(task.outputData.response).toMatchObject({ statusCode: 200 });
    await engine.idle();
    await engine.updateTask({ taskId: task.taskId, status: 'COMPLETED', outputData: { confirmed: true } });
    const wf = await engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks[0].outputData).toEqual({ confirmed: true });
  });
});

describe('HTTP: requests that get no response', () => {
  it('fails on a timeout (connectionTimeOut + readTimeOut)', async () => {
    const started = performance.now();
    const { wf } = await run([
      http({ uri: `${base}/slow`, method: 'GET', connectionTimeOut: 100, readTimeOut: 100 }),
    ]);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(only(wf)).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: `Failed to invoke HTTP task due to: HTTP GET ${base}/slow timed out: no response within 200 ms (connectionTimeOut 100 ms + readTimeOut 100 ms)`,
    });
  });

  it('fails a malformed URL at once, without a call', async () => {
    const { wf } = await run([http({ uri: 'not a url', method: 'GET' })]);
    expect(only(wf)).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: 'Invalid HTTP URI "not a url": not an absolute URL',
    });
  });

  it('fails a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { wf } = await run([http({ uri: `http://127.0.0.1:${port}/`, method: 'GET' })]);
    expect(only(wf).status).toBe('FAILED');
    expect(only(wf).reasonForIncompletion).toMatch(
      new RegExp(
        `^Failed to invoke HTTP task due to: HTTP GET http://127\\.0\\.0\\.1:${port}/ failed: .*ECONNREFUSED`,
      ),
    );
  });

  it("fails a request without uri or method with Conductor's reasons", async () => {
    const { wf: noUri } = await run([http({ method: 'GET' })]);
    expect(only(noUri).reasonForIncompletion).toBe(
      'Missing HTTP URI. See documentation for HttpTask for required input parameters',
    );
    const { wf: noMethod } = await run([http({ uri: `${base}/users/7` })]);
    expect(only(noMethod).reasonForIncompletion).toBe('No HTTP method specified');
  });
});

describe('HTTP: the call never holds the workflow', () => {
  function forked(): WorkflowTask[] {
    return [
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [
          [http({ uri: `${base}/hold`, method: 'GET' })],
          [{ name: 'fast_worker', taskReferenceName: 'fast', inputParameters: {} }],
        ],
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['call', 'fast'] },
    ];
  }

  it('the other branch completes while the request is outstanding', async () => {
    const { engine } = await setup();
    engine.registerWorker('fast_worker', async () => ({ outputData: { fast: true } }));
    const fastDone = deferred();
    engine.on('task.completed', (task) => {
      if (task.referenceTaskName === 'fast') fastDone.resolve();
    });
    await define(engine, 'forked_http', forked());
    const id = await engine.startWorkflow({ name: 'forked_http', input: {} });
    const request = await holding();
    await fastDone.promise;

    const midway = await engine.getWorkflow(id);
    expect(midway.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual([
      'fork:COMPLETED',
      'call:IN_PROGRESS',
      'fast:COMPLETED',
      'join:IN_PROGRESS',
    ]);

    request.release();
    const wf = await engine.waitForWorkflow(id, { timeoutMs: 10_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.find((t) => t.referenceTaskName === 'join')?.outputData).toMatchObject({
      fast: { fast: true },
      call: { response: { statusCode: 200, body: { released: true } } },
    });
  });

  it('decides while the request runs (a worker result, the lease lapsing) never send it twice', async () => {
    const t = await setup();
    t.engine.registerWorker('fast_worker', async () => ({ outputData: { fast: true } }));
    await define(t.engine, 'forked_http', forked());
    const id = await t.engine.startWorkflow({ name: 'forked_http', input: {} });
    const request = await holding();
    const callOf = async () =>
      (await t.engine.getWorkflow(id)).tasks.find((x) => x.referenceTaskName === 'call')!;
    expect((await callOf()).updateTime).toBe(T0);

    // Past the lease, the decide finds the call still running here: it renews the lease, sends nothing.
    const advanced = t.clock.advance(HTTP_LEASE_MS + 1000);
    for (let i = 0; i < 500 && (await callOf()).updateTime === T0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await callOf()).toMatchObject({ status: 'IN_PROGRESS', updateTime: T0 + HTTP_LEASE_MS });
    expect(holdCalls).toBe(1);

    request.release();
    await advanced;
    const wf = await t.engine.waitForWorkflow(id, { timeoutMs: 10_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(holdCalls).toBe(1);
  });

  it('stop() aborts a request past its grace period; after a restart the lapsed lease sends it again', async () => {
    const t = await setup({ stopTimeoutMs: 50 });
    await define(t.engine, 'held_http', [http({ uri: `${base}/hold`, method: 'GET' })]);
    const id = await t.engine.startWorkflow({ name: 'held_http', input: {} });
    const first = await holding();
    held = null;
    await t.engine.stop();
    await first.closed;
    // The aborted call's outcome is dropped: the task waits for its lease, not for a retry.
    expect((await t.engine.getWorkflow(id)).tasks.map((x) => [x.status, x.reasonForIncompletion])).toEqual([
      ['IN_PROGRESS', null],
    ]);

    await t.engine.start();
    const advanced = t.clock.advance(HTTP_LEASE_MS);
    (await holding()).release();
    await advanced;
    const wf = await t.engine.waitForWorkflow(id, { timeoutMs: 10_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.status, x.retryCount])).toEqual([['COMPLETED', 0]]);
    expect(holdCalls).toBe(2);
  });

  it('a workflow that ends meanwhile cancels the task and aborts the request', async () => {
    const { engine } = await setup();
    // The other branch ends the workflow once the request is being held.
    engine.registerWorker('fast_worker', async () => {
      await holding();
      return { outputData: { fast: true } };
    });
    const tasks = forked();
    tasks[0].forkTasks![1].push({
      name: 'stop',
      taskReferenceName: 'stop',
      type: 'TERMINATE',
      inputParameters: { terminationStatus: 'COMPLETED', terminationReason: 'done early' },
    });
    await define(engine, 'forked_http', tasks);
    const id = await engine.startWorkflow({ name: 'forked_http', input: {} });
    const request = await holding();
    // The TERMINATE ended the workflow while the request was held: the call is aborted.
    await request.closed;
    const wf = await engine.waitForWorkflow(id, { timeoutMs: 10_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.find((t) => t.referenceTaskName === 'call')?.status).toBe('CANCELED');
    await engine.idle();
    expect((await engine.getWorkflow(id)).tasks.find((t) => t.referenceTaskName === 'call')?.status).toBe(
      'CANCELED',
    );
  });
});
