import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/index.js';
import { s, T0 } from '../../helpers/fixtures.js';
import { engineOn } from './engine-on.js';
import { tempDbPath } from './temp-db.js';

// Due times that lapse while no engine runs on the file: each must fire on the next start (or, when still in
// the future, at exactly its instant on the new engine's clock). Every "process" is an engine stopped and its
// database closed before the next one opens the file.

const taskLine = (t: Task) => `${t.referenceTaskName}:${t.status}:${t.retryCount}`;

describe('sqlite: restart, timers', () => {
  it('a task a worker put back with callbackAfterSeconds reaches an in-process worker at exactly its instant', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'long_running',
      version: 1,
      tasks: [{ name: 'long_job', taskReferenceName: 'job', type: 'SIMPLE' }],
      outputParameters: { progress: '${job.output.progress}' },
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'long_running' });
    const polled = (await first.engine.pollTask('long_job', { workerId: 'w1' }))!;
    await first.clock.advance(s(1));
    await first.engine.updateTask({
      taskId: polled.taskId,
      status: 'IN_PROGRESS',
      callbackAfterSeconds: 30,
      outputData: { progress: 10 },
    });
    await first.close();

    // Back up at T0 + 10 s: the task is due again at T0 + 31 s (1 s + 30 s callback).
    const second = engineOn(path, T0 + s(10));
    const seen: { at: number; task: Task }[] = [];
    second.engine.registerWorker('long_job', async (task) => {
      seen.push({ at: second.clock.now(), task });
      return { outputData: { progress: 100 } };
    });
    await second.engine.start();
    await second.engine.idle();
    expect(await second.engine.getQueueSizes(['long_job'])).toEqual({ long_job: 1 });
    // No idle() after moving the clock: only the engine's own timer may bring the task (as with a real clock).
    await second.clock.set(T0 + s(31) - 1);
    expect(seen).toEqual([]);

    await second.clock.advance(1);
    expect(seen.map((x) => x.at)).toEqual([T0 + s(31)]);
    expect(seen[0].task).toMatchObject({
      taskId: polled.taskId,
      pollCount: 2,
      startTime: T0,
      retryCount: 0,
      outputData: { progress: 10 },
    });
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf).toMatchObject({ status: 'COMPLETED', endTime: T0 + s(31), output: { progress: 100 } });
    expect(wf.tasks.map(taskLine)).toEqual(['job:COMPLETED:0']);
    expect(second.errors).toEqual([]);
  });

  it('every due time left in the queues fires after a restart, not only the earliest', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'calls_back',
      version: 1,
      tasks: [{ name: 'cb', taskReferenceName: 'cb', type: 'SIMPLE' }],
    });
    await first.engine.registerWorkflowDef({
      name: 'waits',
      version: 1,
      tasks: [
        {
          name: 'hold',
          taskReferenceName: 'hold',
          type: 'WAIT',
          inputParameters: { duration: '${workflow.input.d}' },
        },
      ],
    });
    await first.engine.start();
    // Two decides due (WAITs ending at T0 + 20 s and 30 s) and two tasks due back (T0 + 40 s and 50 s).
    const waits = [
      await first.engine.startWorkflow({ name: 'waits', input: { d: '20s' } }),
      await first.engine.startWorkflow({ name: 'waits', input: { d: '30s' } }),
    ];
    const callsBack: string[] = [];
    for (const seconds of [40, 50]) {
      callsBack.push(await first.engine.startWorkflow({ name: 'calls_back' }));
      const polled = (await first.engine.pollTask('cb'))!;
      await first.engine.updateTask({
        taskId: polled.taskId,
        status: 'IN_PROGRESS',
        callbackAfterSeconds: seconds,
      });
    }
    await first.engine.idle();
    await first.close();

    const second = engineOn(path, T0 + s(10));
    const seenAt: number[] = [];
    second.engine.registerWorker('cb', async () => {
      seenAt.push(second.clock.now());
    });
    await second.engine.start();
    await second.engine.idle();
    const statusAndEnd = async (id: string) => {
      const wf = await second.engine.getWorkflow(id, { includeTasks: false });
      return [wf.status, wf.endTime];
    };
    // No idle() after moving the clock: only the engine's own timers may act, as with a real clock.
    await second.clock.set(T0 + s(60));
    expect(await statusAndEnd(waits[0])).toEqual(['COMPLETED', T0 + s(20)]);
    expect(await statusAndEnd(waits[1])).toEqual(['COMPLETED', T0 + s(30)]);
    expect(seenAt).toEqual([T0 + s(40), T0 + s(50)]);
    expect(await statusAndEnd(callsBack[0])).toEqual(['COMPLETED', T0 + s(40)]);
    expect(await statusAndEnd(callsBack[1])).toEqual(['COMPLETED', T0 + s(50)]);
    expect(second.errors).toEqual([]);
  });

  /**
   * A task polled at T0 + 2 s whose worker extends its lease at T0 + 15 s: the task timeout (20 s) is due at
   * T0 + 22 s, the response timeout (20 s from the last update) only at T0 + 35 s. No engine runs from T0 + 15 s
   * until the second one starts at T0 + 30 s, so only the task timeout lapsed while down.
   */
  async function taskTimeoutLapsedWhileDown(policy: 'RETRY' | 'TIME_OUT_WF') {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerTaskDefs([
      {
        name: 'slow',
        retryCount: 1,
        retryDelaySeconds: 5,
        timeoutSeconds: 20,
        responseTimeoutSeconds: 20,
        timeoutPolicy: policy,
      },
    ]);
    await first.engine.registerWorkflowDef({
      name: 'slow_flow',
      version: 1,
      tasks: [{ name: 'slow', taskReferenceName: 'slow', type: 'SIMPLE' }],
      outputParameters: { done: '${slow.output.done}' },
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'slow_flow' });
    await first.clock.advance(s(2));
    const polled = (await first.engine.pollTask('slow'))!;
    expect(polled.startTime).toBe(T0 + s(2));
    await first.clock.advance(s(13));
    await first.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', extendLease: true });
    expect((await first.engine.getTask(polled.taskId)).status).toBe('IN_PROGRESS');
    await first.close();

    const second = engineOn(path, T0 + s(30));
    await second.engine.start();
    await second.engine.idle();
    return { second, id, polled };
  }

  const taskTimeoutReason = (policy: string) =>
    `Task timed out after 20 seconds. Timeout configured as 20 seconds. Timeout policy configured to ${policy}`;

  it('task timeoutSeconds with TIME_OUT_WF that lapsed while down times the task and the workflow out', async () => {
    const { second, id, polled } = await taskTimeoutLapsedWhileDown('TIME_OUT_WF');
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + s(30),
      reasonForIncompletion: taskTimeoutReason('TIME_OUT_WF'),
      failedTaskId: polled.taskId,
    });
    expect(wf.tasks.map(taskLine)).toEqual(['slow:TIMED_OUT:0']);
    expect(wf.tasks[0]).toMatchObject({
      endTime: T0 + s(30),
      reasonForIncompletion: taskTimeoutReason('TIME_OUT_WF'),
    });
    expect(await second.engine.getQueueSizes(['slow'])).toEqual({ slow: 0 });
    expect(second.errors).toEqual([]);
  });

  it('task timeoutSeconds with RETRY that lapsed while down times the task out and retries it after its delay', async () => {
    const { second, id, polled } = await taskTimeoutLapsedWhileDown('RETRY');
    const wf = await second.engine.getWorkflow(id);
    expect(wf.status).toBe('RUNNING');
    expect(wf.tasks.map(taskLine)).toEqual(['slow:TIMED_OUT:0', 'slow:SCHEDULED:1']);
    expect(wf.tasks[0]).toMatchObject({
      endTime: T0 + s(30),
      reasonForIncompletion: taskTimeoutReason('RETRY'),
    });
    expect(wf.tasks[1]).toMatchObject({
      retriedTaskId: polled.taskId,
      scheduledTime: T0 + s(30),
      callbackAfterSeconds: 5,
    });

    // The retry delay (5 s) runs on the new engine's clock, to the millisecond.
    await second.clock.advance(s(5) - 1);
    expect(await second.engine.pollTask('slow')).toBeNull();
    await second.clock.advance(1);
    const retried = (await second.engine.pollTask('slow'))!;
    expect(retried).toMatchObject({ taskId: wf.tasks[1].taskId, retryCount: 1, startTime: T0 + s(35) });
    await second.engine.updateTask({
      taskId: retried.taskId,
      status: 'COMPLETED',
      outputData: { done: true },
    });
    const done = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(done).toMatchObject({ status: 'COMPLETED', output: { done: true } });
    expect(done.tasks.map(taskLine)).toEqual(['slow:TIMED_OUT:0', 'slow:COMPLETED:1']);
    expect(second.errors).toEqual([]);
  });

  it('pollTimeoutSeconds lapsing while down times out a task nobody polled; its retry times out across the next restart', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerTaskDefs([
      {
        name: 'unpolled',
        pollTimeoutSeconds: 30,
        timeoutPolicy: 'RETRY',
        retryCount: 1,
        retryDelaySeconds: 0,
      },
    ]);
    await first.engine.registerWorkflowDef({
      name: 'nobody_polls',
      version: 1,
      tasks: [{ name: 'unpolled', taskReferenceName: 'u', type: 'SIMPLE' }],
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'nobody_polls' });
    await first.close();

    const pollReason =
      'Task poll timed out after 30 seconds. Poll timeout configured as 30 seconds. Timeout policy configured to RETRY';
    const second = engineOn(path, T0 + s(45));
    await second.engine.start();
    await second.engine.idle();
    const after1 = await second.engine.getWorkflow(id);
    expect(after1.status).toBe('RUNNING');
    expect(after1.tasks.map(taskLine)).toEqual(['u:TIMED_OUT:0', 'u:SCHEDULED:1']);
    expect(after1.tasks[0]).toMatchObject({ endTime: T0 + s(45), reasonForIncompletion: pollReason });
    expect(after1.tasks[1]).toMatchObject({ scheduledTime: T0 + s(45), pollCount: 0 });
    expect(await second.engine.getQueueSizes(['unpolled'])).toEqual({ unpolled: 1 });
    await second.clock.advance(s(5));
    await second.close();

    // The copy's poll timeout (T0 + 45 s + 30 s) lapses while down again; no retries are left.
    const third = engineOn(path, T0 + s(90));
    await third.engine.start();
    await third.engine.idle();
    const wf = await third.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    const copy = wf.tasks[1];
    expect(wf.tasks.map(taskLine)).toEqual(['u:TIMED_OUT:0', 'u:TIMED_OUT:1']);
    expect(copy).toMatchObject({ endTime: T0 + s(90), reasonForIncompletion: pollReason });
    expect(wf).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + s(90),
      reasonForIncompletion: `Task ${copy.taskId} failed with status: TIMED_OUT and reason: '${pollReason}'`,
    });
    expect(await third.engine.getQueueSizes(['unpolled'])).toEqual({ unpolled: 0 });
    expect(second.errors).toEqual([]);
    expect(third.errors).toEqual([]);
  });

  it('a workflow timeoutSeconds with TIME_OUT_WF that lapsed while down times the workflow out', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'bounded',
      version: 1,
      timeoutSeconds: 60,
      timeoutPolicy: 'TIME_OUT_WF',
      tasks: [{ name: 'ext', taskReferenceName: 'ext', type: 'SIMPLE' }],
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'bounded' });
    await first.close();

    const second = engineOn(path, T0 + s(120));
    await second.engine.start();
    await second.engine.idle();
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf).toMatchObject({
      status: 'TIMED_OUT',
      endTime: T0 + s(120),
      reasonForIncompletion:
        'Workflow timed out after 60 seconds. Timeout configured as 60 seconds. Timeout policy configured to TIME_OUT_WF',
    });
    expect(wf.tasks.map(taskLine)).toEqual(['ext:CANCELED:0']);
    expect(await second.engine.getQueueSizes(['ext'])).toEqual({ ext: 0 });
    expect(await second.engine.pollTask('ext')).toBeNull();
    expect(second.errors).toEqual([]);
  });
});
