import { describe, expect, it } from 'vitest';
import { setup, taskList } from '../helpers/engine.js';
import { complete, defineLinear, rejectsWith } from './helpers.js';

describe('removeWorkflow', () => {
  it('deletes a running workflow with its tasks, logs and queue messages', async () => {
    const t = await setup();
    const { engine } = t;
    await defineLinear(engine, { def: { timeoutSeconds: 60, timeoutPolicy: 'TIME_OUT_WF' } });
    const id = await engine.startWorkflow({ name: 'linear' });
    const [task] = (await engine.getWorkflow(id)).tasks;
    await engine.addTaskLog(task.taskId, 'hello');
    expect(await engine.getQueueSizes(['task1'])).toEqual({ task1: 1 });

    await engine.removeWorkflow(id);
    await rejectsWith(engine.getWorkflow(id), 'NOT_FOUND');
    await rejectsWith(engine.getTask(task.taskId), 'NOT_FOUND');
    expect(await engine.getTaskLogs(task.taskId)).toEqual([]);
    expect(await engine.getQueueSizes(['task1', 'task2'])).toEqual({ task1: 0, task2: 0 });
    expect(await engine.getQueueSizes()).toEqual({});
    expect(await engine.pollTask('task1')).toBeNull();
    await rejectsWith(engine.updateTask({ taskId: task.taskId, status: 'COMPLETED' }), 'NOT_FOUND');
    // Its timeout wakeup is gone too: nothing fires later.
    await t.clock.advance(120_000);
    await engine.idle();
    expect(t.errors).toEqual([]);
  });

  it('deletes ended workflows; waiters are told it is gone; unknown ids are NotFoundError', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const done = await engine.startWorkflow({ name: 'linear' });
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    expect((await engine.searchWorkflows({ workflowType: 'linear' })).totalHits).toBe(1);
    await engine.removeWorkflow(done);
    await rejectsWith(engine.getWorkflow(done), 'NOT_FOUND');
    expect(await engine.searchWorkflows({ workflowType: 'linear' })).toEqual({ totalHits: 0, results: [] });
    await rejectsWith(engine.removeWorkflow(done), 'NOT_FOUND');

    const running = await engine.startWorkflow({ name: 'linear' });
    const waiting = engine.waitForWorkflow(running);
    await engine.removeWorkflow(running);
    await rejectsWith(waiting, 'NOT_FOUND');
    expect(await engine.getQueueSizes(['task1'])).toEqual({ task1: 0 });
    await rejectsWith(taskList(engine, running), 'NOT_FOUND');
  });
});
