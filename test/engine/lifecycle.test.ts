import { describe, expect, it, vi } from 'vitest';
import { Engine, MemoryQueue, MemoryStore, ValidationError } from '../../src/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { advance, deferred, define, setup, simple, T0, taskList } from '../helpers/engine.js';

describe('idle()', () => {
  it('after start and idle, a workflow of in-process workers with no delays is COMPLETED without touching the clock', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a'), simple('b'), simple('c')]);
    for (const name of ['a', 'b', 'c']) {
      t.engine.registerWorker(name, async (task) => {
        // Some real asynchrony inside the handler.
        await new Promise((resolve) => setImmediate(resolve));
        return { outputData: { [name]: task.seq } };
      });
    }
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ c: 3 });
    expect(t.clock.now()).toBe(T0);
  });

  it('future timers do not hold it: a 1 h retry delay and a 1 h workflow timeout stay pending', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('later')], {
      taskDefs: [{ name: 'later', retryCount: 1, retryDelaySeconds: 3600 }],
      def: { timeoutSeconds: 7200, timeoutPolicy: 'TIME_OUT_WF' },
    });
    let calls = 0;
    t.engine.registerWorker('later', async () => {
      if (++calls === 1) throw new Error('retry in an hour');
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(calls).toBe(1);
    expect(await taskList(t.engine, id)).toEqual(['later:FAILED', 'later:SCHEDULED']);
    expect(t.clock.now()).toBe(T0);

    await advance(t, 3_600_000);
    expect(calls).toBe(2);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('is not held by tasks waiting for an external worker', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('external_only')]);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['external_only:SCHEDULED']);
  });

  it('workers registered before start() run nothing until start(); then everything due runs', async () => {
    const t = await setup({ start: false });
    await define(t.engine, 'wf', [simple('a')]);
    let calls = 0;
    t.engine.registerWorker('a', async () => {
      calls++;
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(calls).toBe(0);
    await t.engine.start();
    await t.engine.idle();
    expect(calls).toBe(1);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('a worker registered after start() picks up tasks that were already waiting', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')]);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    t.engine.registerWorker('a', async () => ({ outputData: { late: true } }));
    await t.engine.idle();
    expect((await t.engine.getWorkflow(id)).output).toEqual({ late: true });
  });

  it('timers that fell due while stopped fire on start()', async () => {
    const t = await setup({ start: false });
    await define(t.engine, 'wf', [simple('a')], {
      taskDefs: [{ name: 'a', responseTimeoutSeconds: 5, retryCount: 0 }],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.pollTask('a');
    await t.clock.advance(10_000);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await t.engine.start();
    await t.engine.idle();
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
  });
});

describe('concurrency', () => {
  it('an in-process worker runs at most `concurrency` tasks at once', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('job')]);
    let running = 0;
    let peak = 0;
    const gate = deferred();
    t.engine.registerWorker(
      'job',
      async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      },
      { concurrency: 2 },
    );
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => t.engine.startWorkflow({ name: 'wf' })));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running).toBe(2);
    expect(await t.engine.getQueueSizes(['job'])).toEqual({ job: 3 });
    gate.resolve();
    await t.engine.idle();
    expect(peak).toBe(2);
    for (const id of ids) expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('a busy worker takes the tasks queued meanwhile as its slots free, with nothing else prompting it', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('job', { inputParameters: { n: '${workflow.input.n}' } })]);
    const gate = deferred();
    const order: number[] = [];
    t.engine.registerWorker(
      'job',
      async (task) => {
        await gate.promise;
        order.push(task.inputData.n as number);
      },
      { concurrency: 1 },
    );
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await t.engine.startWorkflow({ name: 'wf', input: { n } }));
    expect(await t.engine.getQueueSizes(['job'])).toEqual({ job: 2 });
    gate.resolve();
    // No idle() (which pumps every queue): only the worker's own follow-up polls can move the queued tasks.
    for (const id of ids)
      expect((await t.engine.waitForWorkflow(id, { timeoutMs: 2_000 })).status).toBe('COMPLETED');
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('stop()', () => {
  it('is graceful: a running handler finishes and reports; no new polls afterwards', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work'), simple('work', { taskReferenceName: 'work2' })]);
    const release = deferred();
    const entered = deferred();
    let calls = 0;
    t.engine.registerWorker('work', async (task) => {
      calls++;
      entered.resolve();
      await release.promise;
      return { outputData: { ref: task.referenceTaskName } };
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await entered.promise;

    let stopped = false;
    const stopping = t.engine.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;

    // The in-flight task completed; its successor was scheduled but nobody polled it.
    expect(calls).toBe(1);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.status, x.pollCount])).toEqual([
      ['work', 'COMPLETED', 1],
      ['work2', 'SCHEDULED', 0],
    ]);
    const other = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(1);
    expect(await taskList(t.engine, other)).toEqual(['work:SCHEDULED']);
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 2 });
  });

  it('stops timers: a retry that falls due after stop() is not delivered', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')], {
      taskDefs: [{ name: 'a', retryCount: 1, retryDelaySeconds: 1 }],
    });
    let calls = 0;
    t.engine.registerWorker('a', async () => {
      calls++;
      throw new Error('x');
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await t.engine.stop();
    await advance(t, 5000);
    expect(calls).toBe(1);
    expect(await taskList(t.engine, id)).toEqual(['a:FAILED', 'a:SCHEDULED']);
  });

  it('waits for a handler only up to stopTimeoutMs, then aborts its signal', async () => {
    const t = await setup({ stopTimeoutMs: 40 });
    await define(t.engine, 'wf', [simple('stuck')]);
    const entered = deferred();
    let aborted = false;
    t.engine.registerWorker('stuck', (_task, ctx) => {
      entered.resolve();
      ctx.signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise(() => {}); // never settles, ignores the signal
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await entered.promise;
    const started = Date.now();
    await t.engine.stop();
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(250);
    // The abandoned handler counts as failed with the abort reason, as one that obeyed the signal would.
    const [task] = (await t.engine.getWorkflow(id)).tasks;
    expect(task).toMatchObject({ status: 'FAILED', reasonForIncompletion: 'Engine stopped' });
  });

  it('start() after stop() runs the registered workers again', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')]);
    let calls = 0;
    t.engine.registerWorker('a', async () => {
      calls++;
    });
    await t.engine.stop();
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(calls).toBe(0);
    await t.engine.start();
    await t.engine.idle();
    expect(calls).toBe(1);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('a registration can be stopped alone, and its queue then no longer keeps idle() busy', async () => {
    const t = await setup();
    // Counts how often the engine asks the queue when work is next due.
    const lookups = vi.spyOn(t.queue, 'nextVisibleAt');
    await define(t.engine, 'wf', [simple('a')]);
    let calls = 0;
    const registration = t.engine.registerWorker('a', async () => {
      calls++;
    });
    await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await registration.stop();
    const id = await t.engine.startWorkflow({ name: 'wf' });
    lookups.mockClear();
    await t.engine.idle();
    expect(calls).toBe(1);
    expect(await taskList(t.engine, id)).toEqual(['a:SCHEDULED']);
    // idle() looked for due work a few times, not thousands (a visible task nobody serves is not due work).
    expect(lookups.mock.calls.length).toBeLessThan(5);
  });
});

/** Two engines on one in-memory store and queue, as two processes sharing a database would be. */
function twoEnginesOnOneStore(clock?: ManualClock): [Engine, Engine] {
  const store = new MemoryStore();
  const queue = new MemoryQueue();
  const quiet = { warn: () => {}, error: () => {} };
  return [
    new Engine({ store, queue, clock, logger: quiet }),
    new Engine({ store, queue, clock, logger: quiet }),
  ];
}

describe('registerWorker options', () => {
  it('pollIntervalMs: a worker finds, at its next poll, a task another engine on the same store queued', async () => {
    const clock = new ManualClock(T0);
    const [scheduler, workers] = twoEnginesOnOneStore(clock);
    await define(scheduler, 'wf', [simple('job')]);
    const polls: number[] = [];
    workers.registerWorker(
      'job',
      () => {
        polls.push(clock.now());
        return { outputData: { done: true } };
      },
      { pollIntervalMs: 1_000 },
    );
    await Promise.all([scheduler.start(), workers.start()]);
    const id = await scheduler.startWorkflow({ name: 'wf' });
    // The other engine was never told: the task waits for the next poll. (No idle() here: it would poll.)
    const turns = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await turns();
    await clock.advance(999);
    await turns();
    expect(polls).toEqual([]);
    await clock.advance(1);
    expect((await workers.waitForWorkflow(id, { timeoutMs: 2_000 })).status).toBe('COMPLETED');
    expect(polls).toEqual([T0 + 1_000]);
    await Promise.all([scheduler.stop(), workers.stop()]);
  });

  it('refuses a concurrency or pollIntervalMs that cannot work, naming the option', async () => {
    const t = await setup();
    const refused = (options: object) => {
      try {
        t.engine.registerWorker('job', () => undefined, options);
      } catch (error) {
        return error;
      }
      return null;
    };
    const zero = refused({ concurrency: 0 });
    expect(zero).toBeInstanceOf(ValidationError);
    expect((zero as ValidationError).issues).toEqual([
      { path: 'concurrency', message: 'must be an integer of 1 or more' },
    ]);
    expect((refused({ pollIntervalMs: -5 }) as ValidationError).issues[0].path).toBe('pollIntervalMs');
    expect((refused({ pollIntervalMs: Number.NaN }) as ValidationError).issues[0].path).toBe(
      'pollIntervalMs',
    );
  });
});

describe('waitForWorkflow across engines', () => {
  it('sees an end that another engine on the same store committed, at its next status re-read', async () => {
    const [here, there] = twoEnginesOnOneStore();
    await define(here, 'wf', [simple('job')]);
    const id = await here.startWorkflow({ name: 'wf' });
    const waiting = here.waitForWorkflow(id, { timeoutMs: 5_000 });
    const task = (await there.pollTask('job'))!;
    await there.updateTask({ taskId: task.taskId, status: 'COMPLETED', outputData: { ok: true } });
    const started = Date.now();
    const done = await waiting;
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toEqual({ ok: true });
    // Nothing in this process signalled the end: the once-a-second re-read found it.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
