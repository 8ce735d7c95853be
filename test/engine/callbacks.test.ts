import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/index.js';
import { advance, define, elapsed, setup, simple, T0 } from '../helpers/engine.js';

describe('callbackAfterSeconds', () => {
  it('an IN_PROGRESS result puts the task back to SCHEDULED, invisible until exactly callbackAfterSeconds later', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('long_job')]);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const first = (await t.engine.pollTask('long_job', { workerId: 'w1' }))!;
    expect(first).toMatchObject({ pollCount: 1, startTime: T0 });

    await advance(t, 1000);
    await t.engine.updateTask({
      taskId: first.taskId,
      status: 'IN_PROGRESS',
      callbackAfterSeconds: 30,
      outputData: { progress: 10 },
    });
    expect(await t.engine.getTask(first.taskId)).toMatchObject({
      status: 'SCHEDULED',
      callbackAfterSeconds: 30,
      outputData: { progress: 10 },
      updateTime: T0 + 1000,
    });
    // Waiting (counted), but no poll sees it yet.
    expect(await t.engine.getQueueSizes(['long_job'])).toEqual({ long_job: 1 });
    expect(await t.engine.pollTask('long_job')).toBeNull();
    await advance(t, 30_000 - 1);
    expect(await t.engine.pollTask('long_job')).toBeNull();

    await advance(t, 1);
    const again = (await t.engine.pollTask('long_job', { workerId: 'w2' }))!;
    expect(again).toMatchObject({
      taskId: first.taskId,
      status: 'IN_PROGRESS',
      pollCount: 2,
      startTime: T0,
      workerId: 'w2',
      callbackAfterSeconds: 0,
      retryCount: 0,
    });
    await t.engine.updateTask({ taskId: first.taskId, status: 'COMPLETED', outputData: { progress: 100 } });
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0]).toMatchObject({ endTime: T0 + 31_000, pollCount: 2, outputData: { progress: 100 } });
  });

  it('an in-process handler returning IN_PROGRESS gets the task again exactly callbackAfterSeconds later', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('poller')]);
    const seen: { at: number; task: Task }[] = [];
    t.engine.registerWorker('poller', async (task) => {
      seen.push({ at: elapsed(t.clock), task });
      if (seen.length < 3)
        return { status: 'IN_PROGRESS', callbackAfterSeconds: 10, outputData: { n: seen.length } };
      return { outputData: { n: seen.length, done: true } };
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await advance(t, 9_999);
    expect(seen).toHaveLength(1);
    await advance(t, 1);
    await advance(t, 10_000);

    expect(seen.map((x) => [x.at, x.task.pollCount, x.task.startTime, x.task.outputData])).toEqual([
      [0, 1, T0, {}],
      [10_000, 2, T0, { n: 1 }],
      [20_000, 3, T0, { n: 2 }],
    ]);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.status, x.pollCount])).toEqual([['COMPLETED', 3]]);
    expect(wf.output).toEqual({ n: 3, done: true });
  });

  it('a SCHEDULED task waiting for its callback is not response-timed-out', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('waits')], {
      taskDefs: [{ name: 'waits', responseTimeoutSeconds: 5 }],
    });
    await t.engine.startWorkflow({ name: 'wf' });
    const polled = (await t.engine.pollTask('waits'))!;
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 3600 });
    await advance(t, 3_600_000 - 1);
    expect((await t.engine.getTask(polled.taskId)).status).toBe('SCHEDULED');
    await advance(t, 1);
    expect(await t.engine.pollTask('waits')).toMatchObject({ taskId: polled.taskId, pollCount: 2 });
  });
});

describe('extendLease', () => {
  it('refreshes the response timeout without re-queueing the task', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('leased')], {
      taskDefs: [{ name: 'leased', responseTimeoutSeconds: 10, retryCount: 0 }],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const polled = (await t.engine.pollTask('leased'))!;
    await advance(t, 8000);
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', extendLease: true });
    expect(await t.engine.getTask(polled.taskId)).toMatchObject({
      status: 'IN_PROGRESS',
      updateTime: T0 + 8000,
    });
    expect(await t.engine.pollTask('leased')).toBeNull();

    // Without the extension it would have timed out at T0+10 s; now at T0+18 s.
    await advance(t, 10_000 - 1);
    expect((await t.engine.getTask(polled.taskId)).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    expect(await t.engine.getTask(polled.taskId)).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + 18_000,
    });
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
  });
});

describe('startDelay', () => {
  it("keeps a step's task invisible for startDelay seconds after it is scheduled", async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('first'), simple('delayed', { startDelay: 7 })]);
    const at: number[] = [];
    t.engine.registerWorker('first', async () => {});
    t.engine.registerWorker('delayed', async () => {
      at.push(elapsed(t.clock));
    });
    await advance(t, 1000);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    const delayed = (await t.engine.getWorkflow(id)).tasks[1];
    expect(delayed).toMatchObject({
      status: 'SCHEDULED',
      scheduledTime: T0 + 1000,
      callbackAfterSeconds: 7,
      startDelayInSeconds: 7,
    });
    await advance(t, 7000 - 1);
    expect(at).toEqual([]);
    await advance(t, 1);
    expect(at).toEqual([8000]);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});

describe('task timeout while waiting for a callback', () => {
  it('counts from the first poll: a task parked by IN_PROGRESS times out at startTime + timeoutSeconds', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('parked')], {
      taskDefs: [
        {
          name: 'parked',
          timeoutSeconds: 10,
          responseTimeoutSeconds: 10,
          timeoutPolicy: 'RETRY',
          retryCount: 1,
          retryDelaySeconds: 0,
        },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const polled = (await t.engine.pollTask('parked'))!;
    await advance(t, 2000);
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 30 });
    await advance(t, 8000 - 1);
    expect((await t.engine.getTask(polled.taskId)).status).toBe('SCHEDULED');
    await advance(t, 1);
    expect(await t.engine.getTask(polled.taskId)).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + 10_000,
    });
    // The parked task left the queue; only its retry can be polled, now.
    const next = await t.engine.pollTask('parked');
    expect(next).toMatchObject({ retriedTaskId: polled.taskId, retryCount: 1 });
    await advance(t, 30_000);
    expect(await t.engine.pollTask('parked')).toBeNull();
    expect((await t.engine.getWorkflow(id)).tasks).toHaveLength(2);
  });
});
