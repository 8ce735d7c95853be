import { describe, expect, it } from 'vitest';
import { advance, define, setup, simple, T0, taskList } from '../helpers/engine.js';

describe('response timeout', () => {
  it('times out a polled task whose worker went silent, at exactly the instant, and re-delivers a copy', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('task_rt')], {
      taskDefs: [{ name: 'task_rt', retryCount: 1, responseTimeoutSeconds: 10, retryDelaySeconds: 0 }],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 2000);
    const first = await t.engine.pollTask('task_rt', { workerId: 'silent' });
    expect(first).toMatchObject({ status: 'IN_PROGRESS', startTime: T0 + 2000, responseTimeoutSeconds: 10 });

    await advance(t, 10_000 - 1);
    expect((await t.engine.getTask(first!.taskId)).status).toBe('IN_PROGRESS');
    expect(await t.engine.pollTask('task_rt')).toBeNull();

    await advance(t, 1);
    const timedOut = await t.engine.getTask(first!.taskId);
    expect(timedOut).toMatchObject({ status: 'TIMED_OUT', endTime: T0 + 12_000 });
    expect(timedOut.reasonForIncompletion).toContain('responseTimeout: 10');
    expect(await taskList(t.engine, id)).toEqual(['task_rt:TIMED_OUT', 'task_rt:SCHEDULED']);

    // Re-delivery: another worker gets the copy at once (retryDelaySeconds 0).
    const second = await t.engine.pollTask('task_rt', { workerId: 'alive' });
    expect(second).toMatchObject({
      retryCount: 1,
      retriedTaskId: first!.taskId,
      workerId: 'alive',
      pollCount: 1,
    });

    // The silent worker's late result changes nothing.
    await t.engine.updateTask({ taskId: first!.taskId, status: 'COMPLETED', outputData: { late: true } });
    expect(await t.engine.getTask(first!.taskId)).toMatchObject({ status: 'TIMED_OUT', outputData: {} });

    await t.engine.updateTask({ taskId: second!.taskId, status: 'COMPLETED', outputData: { ok: 1 } });
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ ok: 1 });
    // TIMED_OUT is not FAILED: nothing in failedReferenceTaskNames.
    expect(wf.failedReferenceTaskNames).toEqual([]);
  });

  it('defaults to 300 s when the task has no TaskDef, then retries 60 s later', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('no_def')]);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const polled = await t.engine.pollTask('no_def');
    expect(polled!.responseTimeoutSeconds).toBe(300);

    await advance(t, 300_000 - 1);
    expect((await t.engine.getTask(polled!.taskId)).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    expect((await t.engine.getTask(polled!.taskId)).status).toBe('TIMED_OUT');

    const [, copy] = (await t.engine.getWorkflow(id)).tasks;
    expect(copy).toMatchObject({
      status: 'SCHEDULED',
      callbackAfterSeconds: 60,
      scheduledTime: T0 + 300_000,
    });
    await advance(t, 60_000 - 1);
    expect(await t.engine.pollTask('no_def')).toBeNull();
    await advance(t, 1);
    expect(await t.engine.pollTask('no_def')).toMatchObject({ taskId: copy.taskId, retryCount: 1 });
  });

  it('ends the workflow TIMED_OUT when the last retry times out too', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('task_rt')], {
      taskDefs: [{ name: 'task_rt', retryCount: 0, responseTimeoutSeconds: 5 }],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const polled = await t.engine.pollTask('task_rt');
    await advance(t, 5000);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('TIMED_OUT');
    expect(wf.endTime).toBe(T0 + 5000);
    expect(wf.reasonForIncompletion).toBe(
      `Task ${polled!.taskId} failed with status: TIMED_OUT and reason: '${wf.tasks[0].reasonForIncompletion}'`,
    );
  });
});

describe('task timeoutSeconds', () => {
  /** Polls at T0 and extends the lease at T0+10 s, so only the task timeout (20 s) can fire at T0+20 s. */
  async function runningPastTimeout(policy: 'RETRY' | 'TIME_OUT_WF' | 'ALERT_ONLY') {
    const t = await setup();
    await define(t.engine, 'wf', [simple('slow'), simple('next')], {
      taskDefs: [
        {
          name: 'slow',
          retryCount: 1,
          retryDelaySeconds: 0,
          timeoutSeconds: 20,
          responseTimeoutSeconds: 20,
          timeoutPolicy: policy,
        },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    const polled = (await t.engine.pollTask('slow'))!;
    await advance(t, 10_000);
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', extendLease: true });
    await advance(t, 10_000 - 1);
    expect((await t.engine.getTask(polled.taskId)).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    return { t, id, polled, slow: await t.engine.getTask(polled.taskId) };
  }

  it('RETRY: the task times out at startTime + timeoutSeconds and is retried', async () => {
    const { t, id, polled, slow } = await runningPastTimeout('RETRY');
    expect(slow).toMatchObject({ status: 'TIMED_OUT', endTime: T0 + 20_000 });
    expect(slow.reasonForIncompletion).toBe(
      'Task timed out after 20 seconds. Timeout configured as 20 seconds. Timeout policy configured to RETRY',
    );
    expect(await taskList(t.engine, id)).toEqual(['slow:TIMED_OUT', 'slow:SCHEDULED']);
    expect(await t.engine.pollTask('slow')).toMatchObject({ retriedTaskId: polled.taskId, retryCount: 1 });
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
  });

  it('TIME_OUT_WF: the task and the workflow time out, no retry', async () => {
    const { t, id, slow } = await runningPastTimeout('TIME_OUT_WF');
    expect(slow.status).toBe('TIMED_OUT');
    const wf = await t.engine.getWorkflow(id);
    expect(wf).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + 20_000,
      reasonForIncompletion:
        'Task timed out after 20 seconds. Timeout configured as 20 seconds. Timeout policy configured to TIME_OUT_WF',
      failedTaskId: slow.taskId,
    });
    expect(wf.tasks).toHaveLength(1);
    expect(await t.engine.getQueueSizes(['slow'])).toEqual({ slow: 0 });
  });

  it('ALERT_ONLY: the task keeps running and the workflow completes when it ends', async () => {
    const { t, id, polled, slow } = await runningPastTimeout('ALERT_ONLY');
    expect(slow.status).toBe('IN_PROGRESS');
    await advance(t, 5000);
    expect((await t.engine.getTask(polled.taskId)).status).toBe('IN_PROGRESS');
    await t.engine.updateTask({ taskId: polled.taskId, status: 'COMPLETED' });
    const next = (await t.engine.pollTask('next'))!;
    await t.engine.updateTask({ taskId: next.taskId, status: 'COMPLETED' });
    expect(await taskList(t.engine, id)).toEqual(['slow:COMPLETED', 'next:COMPLETED']);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('Conductor scenario 7: timeout 1 s RETRY with one retry → [TIMED_OUT, S], then workflow TIMED_OUT', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('integration_task_1')], {
      taskDefs: [
        {
          name: 'integration_task_1',
          retryCount: 1,
          timeoutSeconds: 1,
          responseTimeoutSeconds: 1,
          timeoutPolicy: 'RETRY',
          retryDelaySeconds: 0,
        },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    expect(await t.engine.pollTask('integration_task_1')).not.toBeNull();
    await advance(t, 3000);
    expect(await taskList(t.engine, id)).toEqual([
      'integration_task_1:TIMED_OUT',
      'integration_task_1:SCHEDULED',
    ]);
    expect(await t.engine.pollTask('integration_task_1')).not.toBeNull();
    await advance(t, 3000);
    expect(await taskList(t.engine, id)).toEqual([
      'integration_task_1:TIMED_OUT',
      'integration_task_1:TIMED_OUT',
    ]);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('TIMED_OUT');
    // Both fired at their exact instants: 1 s after each poll.
    expect(wf.tasks.map((x) => x.endTime - T0)).toEqual([1000, 4000]);
  });
});

describe('pollTimeoutSeconds', () => {
  it('times out a task nobody polls, at exactly scheduledTime + pollTimeoutSeconds, per its policy', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('lonely')], {
      taskDefs: [
        {
          name: 'lonely',
          retryCount: 1,
          pollTimeoutSeconds: 5,
          timeoutPolicy: 'RETRY',
          retryDelaySeconds: 0,
        },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 5000 - 1);
    expect(await taskList(t.engine, id)).toEqual(['lonely:SCHEDULED']);
    await advance(t, 1);
    const [first, copy] = (await t.engine.getWorkflow(id)).tasks;
    expect(first).toMatchObject({ status: 'TIMED_OUT', endTime: T0 + 5000 });
    expect(first.reasonForIncompletion).toContain('poll timed out after 5 seconds');
    expect(copy).toMatchObject({ status: 'SCHEDULED', retryCount: 1, scheduledTime: T0 + 5000 });
    // The timed-out task left its queue; only the copy waits.
    expect(await t.engine.getQueueSizes(['lonely'])).toEqual({ lonely: 1 });

    await advance(t, 5000);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('TIMED_OUT');
    expect(wf.tasks.map((x) => x.status)).toEqual(['TIMED_OUT', 'TIMED_OUT']);
    expect(await t.engine.getQueueSizes(['lonely'])).toEqual({ lonely: 0 });
  });

  it('does not apply once the task was polled', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('quick')], {
      taskDefs: [
        { name: 'quick', pollTimeoutSeconds: 5, timeoutPolicy: 'TIME_OUT_WF', responseTimeoutSeconds: 60 },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 4000);
    const polled = (await t.engine.pollTask('quick'))!;
    await advance(t, 30_000);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await t.engine.updateTask({ taskId: polled.taskId, status: 'COMPLETED' });
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});

describe('workflow timeoutSeconds', () => {
  it('TIME_OUT_WF: the workflow times out at exactly createTime + timeout and its pending task is CANCELED', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')], {
      def: { timeoutSeconds: 5, timeoutPolicy: 'TIME_OUT_WF' },
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 1000);
    const polled = (await t.engine.pollTask('work'))!;
    await advance(t, 4000 - 1);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await advance(t, 1);

    const wf = await t.engine.getWorkflow(id);
    expect(wf).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + 5000,
      reasonForIncompletion:
        'Workflow timed out after 5 seconds. Timeout configured as 5 seconds. Timeout policy configured to TIME_OUT_WF',
    });
    expect(wf.tasks.map((x) => [x.status, x.endTime])).toEqual([['CANCELED', T0 + 5000]]);

    // The worker's late result is ignored.
    await t.engine.updateTask({ taskId: polled.taskId, status: 'COMPLETED' });
    expect(await taskList(t.engine, id)).toEqual(['work:CANCELED']);
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
  });

  it('TIME_OUT_WF also removes a task still waiting in its queue', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('never_polled')], {
      def: { timeoutSeconds: 5, timeoutPolicy: 'TIME_OUT_WF' },
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 5000);
    expect(await taskList(t.engine, id)).toEqual(['never_polled:CANCELED']);
    expect(await t.engine.getQueueSizes(['never_polled'])).toEqual({ never_polled: 0 });
    expect(await t.engine.pollTask('never_polled')).toBeNull();
  });

  it('ALERT_ONLY: the workflow runs on past its timeout and completes', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')], {
      def: { timeoutSeconds: 5, timeoutPolicy: 'ALERT_ONLY' },
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await advance(t, 60_000);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    const polled = (await t.engine.pollTask('work'))!;
    await t.engine.updateTask({ taskId: polled.taskId, status: 'COMPLETED' });
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});
