import { describe, expect, it } from 'vitest';
import { BatonError, NotFoundError, type TaskResult, ValidationError } from '../../src/index.js';
import { advance, define, setup, simple, T0, taskList } from '../helpers/engine.js';

async function oneTaskEngine(options: { start?: boolean } = {}) {
  const t = await setup(options);
  await define(t.engine, 'wf', [
    simple('ext', { inputParameters: { n: '${workflow.input.n}' } }),
    simple('after'),
  ]);
  return t;
}

describe('pollTask', () => {
  it('returns null when nothing is waiting, else the task IN_PROGRESS with the poll recorded', async () => {
    const t = await oneTaskEngine();
    expect(await t.engine.pollTask('ext')).toBeNull();
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 3 } });
    await advance(t, 250);
    const task = await t.engine.pollTask('ext', { workerId: 'host-1' });
    expect(task).toMatchObject({
      workflowInstanceId: id,
      referenceTaskName: 'ext',
      status: 'IN_PROGRESS',
      inputData: { n: 3 },
      workerId: 'host-1',
      pollCount: 1,
      scheduledTime: T0,
      startTime: T0 + 250,
      updateTime: T0 + 250,
    });
    expect(await t.engine.pollTask('ext')).toBeNull();
    expect(await t.engine.getTask(task!.taskId)).toEqual(task);
  });

  it('works right after construction, before start()', async () => {
    const t = await oneTaskEngine({ start: false });
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const task = (await t.engine.pollTask('ext'))!;
    await t.engine.updateTask({ taskId: task.taskId, status: 'COMPLETED', outputData: { a: 1 } });
    // updateTask resolves after its decide is committed: the next task is already SCHEDULED.
    expect(await taskList(t.engine, id)).toEqual(['ext:COMPLETED', 'after:SCHEDULED']);
  });
});

describe('priority', () => {
  it('serves the higher workflow priority first, then the older task', async () => {
    const t = await oneTaskEngine();
    const low = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 }, priority: 10 });
    await advance(t, 1);
    const high = await t.engine.startWorkflow({ name: 'wf', input: { n: 2 }, priority: 90 });
    await advance(t, 1);
    const alsoLow = await t.engine.startWorkflow({ name: 'wf', input: { n: 3 }, priority: 10 });
    const order = await t.engine.batchPollTasks('ext', { count: 3, timeoutMs: 0 });
    expect(order.map((x) => x.workflowInstanceId)).toEqual([high, low, alsoLow]);
    expect(order.map((x) => x.workflowPriority)).toEqual([90, 10, 10]);
  });
});

describe('batchPollTasks', () => {
  it('takes up to count tasks, oldest first, and answers at once with timeoutMs 0', async () => {
    const t = await oneTaskEngine();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await t.engine.startWorkflow({ name: 'wf', input: { n: i } }));
      await advance(t, 1);
    }
    const firstTwo = await t.engine.batchPollTasks('ext', { count: 2, timeoutMs: 0, workerId: 'b' });
    expect(firstTwo.map((x) => x.workflowInstanceId)).toEqual(ids.slice(0, 2));
    expect(firstTwo.every((x) => x.status === 'IN_PROGRESS' && x.workerId === 'b')).toBe(true);
    const rest = await t.engine.batchPollTasks('ext', { count: 5, timeoutMs: 0 });
    expect(rest.map((x) => x.workflowInstanceId)).toEqual([ids[2]]);
    expect(await t.engine.batchPollTasks('ext', { count: 5, timeoutMs: 0 })).toEqual([]);
  });

  it('long-polls in real time and returns early when a task arrives', async () => {
    const t = await oneTaskEngine();
    const started = Date.now();
    const polling = t.engine.batchPollTasks('ext', { count: 1, timeoutMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const tasks = await polling;
    const took = Date.now() - started;
    expect(tasks.map((x) => x.workflowInstanceId)).toEqual([id]);
    expect(took).toBeGreaterThanOrEqual(25);
    expect(took).toBeLessThan(300);
  });

  it('returns [] after timeoutMs when nothing arrives', async () => {
    const t = await oneTaskEngine();
    const started = Date.now();
    expect(await t.engine.batchPollTasks('ext', { timeoutMs: 60 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('updateTask', () => {
  it('rejects an unknown task id with NotFoundError', async () => {
    const t = await oneTaskEngine();
    const error = await t.engine.updateTask({ taskId: 'nope', status: 'COMPLETED' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(BatonError);
    expect((error as BatonError).code).toBe('NOT_FOUND');
  });

  it("rejects a malformed status ('DONE') with a ValidationError at path status, changing nothing", async () => {
    const t = await oneTaskEngine();
    await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const task = (await t.engine.pollTask('ext'))!;
    const error = await t.engine
      .updateTask({ taskId: task.taskId, status: 'DONE' } as unknown as TaskResult)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION');
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['status']);
    expect((await t.engine.getTask(task.taskId)).status).toBe('IN_PROGRESS');
  });

  it('ignores a duplicate or late result for a task that is already terminal', async () => {
    const t = await oneTaskEngine();
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const task = (await t.engine.pollTask('ext'))!;
    await advance(t, 100);
    await t.engine.updateTask({
      taskId: task.taskId,
      status: 'COMPLETED',
      outputData: { v: 1 },
      logs: ['done'],
    });
    const before = await t.engine.getWorkflow(id);

    await advance(t, 100);
    await t.engine.updateTask({
      taskId: task.taskId,
      status: 'COMPLETED',
      outputData: { v: 2 },
      logs: ['again'],
    });
    await t.engine.updateTask({ taskId: task.taskId, status: 'FAILED', reasonForIncompletion: 'late' });
    await t.engine.updateTask({ taskId: task.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 5 });

    expect(await t.engine.getWorkflow(id)).toEqual(before);
    expect(await t.engine.getTask(task.taskId)).toMatchObject({
      status: 'COMPLETED',
      outputData: { v: 1 },
      endTime: T0 + 100,
    });
    // Not even the logs of an ignored result are kept.
    expect((await t.engine.getTaskLogs(task.taskId)).map((l) => l.log)).toEqual(['done']);
  });

  it('with a workflowInstanceId that is not the task’s: NotFoundError', async () => {
    const t = await oneTaskEngine();
    await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const task = (await t.engine.pollTask('ext'))!;
    await expect(
      t.engine.updateTask({ taskId: task.taskId, workflowInstanceId: 'other', status: 'COMPLETED' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.engine.getTask(task.taskId)).status).toBe('IN_PROGRESS');
  });
});

describe('getTask', () => {
  it('returns a copy of the task, NotFoundError for an unknown id', async () => {
    const t = await oneTaskEngine();
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 5 } });
    const [scheduled] = (await t.engine.getWorkflow(id)).tasks;
    const task = await t.engine.getTask(scheduled.taskId);
    expect(task).toEqual(scheduled);
    task.inputData.n = 99;
    expect((await t.engine.getTask(scheduled.taskId)).inputData).toEqual({ n: 5 });
    await expect(t.engine.getTask('missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('task logs', () => {
  it('addTaskLog and result logs land in getTaskLogs, in order, with their times', async () => {
    const t = await oneTaskEngine();
    await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    const task = (await t.engine.pollTask('ext'))!;
    await advance(t, 5);
    await t.engine.addTaskLog(task.taskId, 'started');
    await advance(t, 5);
    await t.engine.updateTask({
      taskId: task.taskId,
      status: 'COMPLETED',
      logs: ['from result', { log: 'with time', createdTime: T0 + 1 }],
    });
    expect(await t.engine.getTaskLogs(task.taskId)).toEqual([
      { log: 'started', taskId: task.taskId, createdTime: T0 + 5 },
      { log: 'from result', taskId: task.taskId, createdTime: T0 + 10 },
      { log: 'with time', taskId: task.taskId, createdTime: T0 + 1 },
    ]);
    expect(await t.engine.getTaskLogs('unknown')).toEqual([]);
    await expect(t.engine.addTaskLog('unknown', 'x')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("ctx.log() of an in-process handler lands in getTaskLogs, before the result's own logs", async () => {
    const t = await oneTaskEngine();
    t.engine.registerWorker('ext', async (_task, ctx) => {
      ctx.log('step 1');
      ctx.log('step 2');
      return { logs: ['returned'] };
    });
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    await t.engine.idle();
    const [task] = (await t.engine.getWorkflow(id)).tasks;
    expect(task.status).toBe('COMPLETED');
    expect(await t.engine.getTaskLogs(task.taskId)).toEqual([
      { log: 'step 1', taskId: task.taskId, createdTime: T0 },
      { log: 'step 2', taskId: task.taskId, createdTime: T0 },
      { log: 'returned', taskId: task.taskId, createdTime: T0 },
    ]);
  });

  it('a failing handler keeps its ctx.log lines', async () => {
    const t = await oneTaskEngine();
    await t.engine.registerTaskDefs([{ name: 'ext', retryCount: 0 }]);
    t.engine.registerWorker('ext', async (_task, ctx) => {
      ctx.log('about to fail');
      throw new Error('bad');
    });
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    await t.engine.idle();
    const [task] = (await t.engine.getWorkflow(id)).tasks;
    expect(task.status).toBe('FAILED');
    expect((await t.engine.getTaskLogs(task.taskId)).map((l) => l.log)).toEqual(['about to fail']);
  });
});

describe('getQueueSizes', () => {
  it('counts waiting tasks (visible or delayed) per requested key, 0 for empty ones, not polled tasks', async () => {
    const t = await oneTaskEngine();
    expect(await t.engine.getQueueSizes(['ext', 'other'])).toEqual({ ext: 0, other: 0 });
    expect(await t.engine.getQueueSizes()).toEqual({});

    await t.engine.startWorkflow({ name: 'wf', input: { n: 1 } });
    await t.engine.startWorkflow({ name: 'wf', input: { n: 2 } });
    expect(await t.engine.getQueueSizes(['ext', 'other'])).toEqual({ ext: 2, other: 0 });

    const polled = (await t.engine.pollTask('ext'))!;
    expect(await t.engine.getQueueSizes(['ext'])).toEqual({ ext: 1 });
    // With no argument: every non-empty task queue, and nothing internal.
    expect(await t.engine.getQueueSizes()).toEqual({ ext: 1 });

    // A task put back with a callback waits (delayed) and counts again.
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 60 });
    expect(await t.engine.getQueueSizes(['ext'])).toEqual({ ext: 2 });
  });

  it('keys a domain queue domain:taskType, and only a poll of that domain takes its tasks', async () => {
    const t = await oneTaskEngine();
    const id = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 }, taskToDomain: { ext: 'east' } });
    await t.engine.startWorkflow({ name: 'wf', input: { n: 2 } });
    expect(await t.engine.getQueueSizes(['ext', 'east:ext'])).toEqual({ ext: 1, 'east:ext': 1 });
    expect(await t.engine.getQueueSizes()).toEqual({ ext: 1, 'east:ext': 1 });

    const plain = (await t.engine.pollTask('ext'))!;
    expect(plain.workflowInstanceId).not.toBe(id);
    expect(await t.engine.pollTask('ext')).toBeNull();
    const inDomain = (await t.engine.pollTask('ext', { domain: 'east' }))!;
    expect(inDomain).toMatchObject({ workflowInstanceId: id, domain: 'east' });
    expect(await t.engine.getQueueSizes(['ext', 'east:ext'])).toEqual({ ext: 0, 'east:ext': 0 });
  });

  it('an in-process worker registered for a domain serves only that domain', async () => {
    const t = await oneTaskEngine();
    const served: string[] = [];
    t.engine.registerWorker(
      'ext',
      async (task) => {
        served.push(task.workflowInstanceId);
      },
      { domain: 'east' },
    );
    const east = await t.engine.startWorkflow({ name: 'wf', input: { n: 1 }, taskToDomain: { ext: 'east' } });
    const plain = await t.engine.startWorkflow({ name: 'wf', input: { n: 2 } });
    await t.engine.idle();
    expect(served).toEqual([east]);
    expect(await taskList(t.engine, east)).toEqual(['ext:COMPLETED', 'after:SCHEDULED']);
    expect(await taskList(t.engine, plain)).toEqual(['ext:SCHEDULED']);
  });
});
