import { describe, expect, it } from 'vitest';
import { deferred, define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { byRef, complete, defineLinear, fail, rejectsWith, stepOf } from './helpers.js';

describe('terminateWorkflow', () => {
  it('cancels in-flight and waiting tasks, empties their queues and ends TERMINATED', async () => {
    const { engine } = await setup();
    await define(
      engine,
      'fan',
      [
        stepOf('FORK_JOIN', 'fork', { forkTasks: [[simple('a')], [simple('b')]] }),
        stepOf('JOIN', 'join', { joinOn: ['a', 'b'] }),
      ],
      { def: { outputParameters: { a: '${a.output}' } } },
    );
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({ name: 'fan' });
    const polled = await engine.pollTask('a');
    expect(polled?.status).toBe('IN_PROGRESS');
    expect(await engine.getQueueSizes(['a', 'b'])).toEqual({ a: 0, b: 1 });

    await engine.terminateWorkflow(id, 'operator said so');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('TERMINATED');
    expect(wf.reasonForIncompletion).toBe('operator said so');
    expect(wf.endTime).not.toBeNull();
    expect(wf.output).toEqual({ a: {} });
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:CANCELED',
      'b:CANCELED',
      'join:CANCELED',
    ]);
    expect(await engine.getQueueSizes(['a', 'b'])).toEqual({ a: 0, b: 0 });
    expect(events.filter((e) => e.name === 'task.canceled').map((e) => e.label)).toEqual([
      'task.canceled:a',
      'task.canceled:b',
      'task.canceled:join',
    ]);
    expect(events.filter((e) => e.name === 'workflow.terminated')).toHaveLength(1);

    // The worker's late result changes nothing.
    await engine.updateTask({ taskId: polled!.taskId, status: 'COMPLETED', outputData: { late: true } });
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:CANCELED',
      'b:CANCELED',
      'join:CANCELED',
    ]);
  });

  it('drops the result of an in-process handler that was running', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const release = deferred();
    engine.registerWorker('task1', async () => {
      await release.promise;
      return { outputData: { v: 1 } };
    });
    const id = await engine.startWorkflow({ name: 'linear' });
    expect(await taskList(engine, id)).toEqual(['t1:IN_PROGRESS']);
    await engine.terminateWorkflow(id);
    release.resolve();
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('TERMINATED');
    expect(wf.reasonForIncompletion).toBeNull();
    expect(await taskList(engine, id)).toEqual(['t1:CANCELED']);
  });

  it('terminates a running sub-workflow with the parent', async () => {
    const { engine } = await setup();
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const childId = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    expect((await engine.getWorkflow(childId)).status).toBe('RUNNING');

    await engine.terminateWorkflow(id, 'abort');
    await engine.idle();
    const child = await engine.getWorkflow(childId);
    expect(child.status).toBe('TERMINATED');
    expect(child.reasonForIncompletion).toBe('Parent workflow has been terminated with reason: abort');
    expect(await taskList(engine, childId)).toEqual(['leaf:CANCELED']);
    expect(await taskList(engine, id)).toEqual(['sub:CANCELED']);
    expect(await engine.getQueueSizes(['leaf'])).toEqual({ leaf: 0 });
  });

  it('terminating the child cancels the parent task and terminates the parent (scenario 5)', async () => {
    const { engine } = await setup();
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const childId = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    await engine.terminateWorkflow(childId, 'child stopped');
    await engine.idle();
    const parent = await engine.getWorkflow(id);
    expect(parent.status).toBe('TERMINATED');
    expect(parent.reasonForIncompletion).toContain('child stopped');
    expect(await taskList(engine, id)).toEqual(['sub:CANCELED']);
  });

  it('re-marks FAILED and TIMED_OUT workflows TERMINATED, leaves TERMINATED ones, refuses COMPLETED ones', async () => {
    const t = await setup();
    const { engine } = t;
    await defineLinear(engine, { t1: { retryCount: 0, responseTimeoutSeconds: 5 } });
    const events = recordEvents(engine);

    const failed = await engine.startWorkflow({ name: 'linear' });
    const failedTask = await fail(engine, 'task1', 'bad');
    const before = await engine.getWorkflow(failed);
    expect(before.status).toBe('FAILED');
    await engine.terminateWorkflow(failed, 'cleanup');
    const remarked = await engine.getWorkflow(failed);
    expect(remarked).toMatchObject({
      status: 'TERMINATED',
      reasonForIncompletion: 'cleanup',
      failedTaskId: failedTask.taskId,
      output: before.output,
    });
    expect(await taskList(engine, failed)).toEqual(['t1:FAILED']);

    const timedOut = await engine.startWorkflow({ name: 'linear' });
    await engine.pollTask('task1');
    await t.clock.advance(5000);
    await engine.idle();
    expect((await engine.getWorkflow(timedOut)).status).toBe('TIMED_OUT');
    await engine.terminateWorkflow(timedOut);
    expect((await engine.getWorkflow(timedOut)).status).toBe('TERMINATED');

    const terminatedEvents = events.filter((e) => e.name === 'workflow.terminated').length;
    await engine.terminateWorkflow(timedOut, 'again');
    expect((await engine.getWorkflow(timedOut)).reasonForIncompletion).toBeNull();
    expect(events.filter((e) => e.name === 'workflow.terminated')).toHaveLength(terminatedEvents);

    const completed = await engine.startWorkflow({ name: 'linear' });
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    await rejectsWith(engine.terminateWorkflow(completed), 'CONFLICT');
    expect((await engine.getWorkflow(completed)).status).toBe('COMPLETED');
    await rejectsWith(engine.terminateWorkflow('nope'), 'NOT_FOUND');
  });
});
