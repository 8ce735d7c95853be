import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { advance, define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { attempts, byRef, complete, defineLinear, fail, rejectsWith, stepOf } from './helpers.js';

/** Starts `linear` and fails t1 twice (its one retry included): the workflow is FAILED. */
async function failedLinear(engine: Engine): Promise<string> {
  const id = await engine.startWorkflow({ name: 'linear', input: {} });
  await fail(engine, 'task1', 'boom 1');
  await fail(engine, 'task1', 'boom 2');
  return id;
}

describe('retryWorkflow', () => {
  it('retries the last failed task with a new attempt and runs to completion (scenario 6)', async () => {
    const { engine, clock } = await setup();
    await defineLinear(engine);
    const events = recordEvents(engine);
    const id = await failedLinear(engine);
    expect(await taskList(engine, id)).toEqual(['t1:FAILED', 't1:FAILED']);
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');

    await clock.advance(5000);
    await engine.retryWorkflow(id);
    const retried = await engine.getWorkflow(id);
    expect(retried.status).toBe('RUNNING');
    expect(retried.reasonForIncompletion).toBeNull();
    expect(retried.endTime).toBeNull();
    expect(retried.lastRetriedTime).toBe(clock.now());
    expect(await taskList(engine, id)).toEqual(['t1:FAILED', 't1:FAILED', 't1:SCHEDULED']);
    const [, second, third] = retried.tasks;
    expect(third).toMatchObject({
      retriedTaskId: second.taskId,
      retryCount: 2,
      callbackAfterSeconds: 0,
      reasonForIncompletion: null,
      seq: 3,
    });
    expect(second.retried).toBe(true);
    expect(events.filter((e) => e.name.startsWith('workflow.')).map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'workflow.failed:FAILED',
      'workflow.retried:RUNNING',
    ]);

    await complete(engine, 'task1', { v: 1 });
    await complete(engine, 'task2', { v: 2 });
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toEqual({ out: 2 });
    expect(await taskList(engine, id)).toEqual(['t1:FAILED', 't1:FAILED', 't1:COMPLETED', 't2:COMPLETED']);
    expect(done.failedReferenceTaskNames).toEqual(['t1']);
    expect(byRef(done.tasks, 't2').inputData).toEqual({ got: 1 });
  });

  it('retries a FAILED_WITH_TERMINAL_ERROR task and a timed-out one', async () => {
    const { engine } = await setup();
    await defineLinear(engine, { t1: { responseTimeoutSeconds: 10, retryCount: 0 } });
    const id = await engine.startWorkflow({ name: 'linear' });
    await fail(engine, 'task1', 'fatal', 'FAILED_WITH_TERMINAL_ERROR');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');
    await engine.retryWorkflow(id);
    await engine.idle();
    expect(await taskList(engine, id)).toEqual(['t1:FAILED_WITH_TERMINAL_ERROR', 't1:SCHEDULED']);

    const t = await setup();
    await defineLinear(t.engine, { t1: { responseTimeoutSeconds: 10, retryCount: 0 } });
    const id2 = await t.engine.startWorkflow({ name: 'linear' });
    expect(await t.engine.pollTask('task1')).not.toBeNull();
    await advance(t, 10_000);
    const timedOut = await t.engine.getWorkflow(id2);
    expect(timedOut.status).toBe('TIMED_OUT');
    await t.engine.retryWorkflow(id2);
    await t.engine.idle();
    expect(await taskList(t.engine, id2)).toEqual(['t1:TIMED_OUT', 't1:SCHEDULED']);
    await complete(t.engine, 'task1');
    await complete(t.engine, 'task2');
    expect((await t.engine.getWorkflow(id2)).status).toBe('COMPLETED');
  });

  it('accepts only a workflow that has ended with something to retry', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const running = await engine.startWorkflow({ name: 'linear' });
    await rejectsWith(engine.retryWorkflow(running), 'CONFLICT');
    await engine.pauseWorkflow(running);
    await rejectsWith(engine.retryWorkflow(running), 'CONFLICT');
    await engine.resumeWorkflow(running);
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    expect((await engine.getWorkflow(running)).status).toBe('COMPLETED');
    // A COMPLETED workflow has nothing to retry.
    await rejectsWith(engine.retryWorkflow(running), 'CONFLICT');
    await rejectsWith(engine.retryWorkflow('nope'), 'NOT_FOUND');
    // A terminated one: its canceled task is retried.
    const terminated = await engine.startWorkflow({ name: 'linear' });
    await engine.terminateWorkflow(terminated, 'stop');
    await engine.retryWorkflow(terminated);
    expect(await taskList(engine, terminated)).toEqual(['t1:CANCELED', 't1:SCHEDULED']);
  });

  it('retries a workflow that timed out: canceled tasks run again and the timeout counts from the retry', async () => {
    const t = await setup();
    await defineLinear(t.engine, { def: { timeoutSeconds: 60, timeoutPolicy: 'TIME_OUT_WF' } });
    const id = await t.engine.startWorkflow({ name: 'linear' });
    await complete(t.engine, 'task1');
    await advance(t, 60_000);
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
    expect(await taskList(t.engine, id)).toEqual(['t1:COMPLETED', 't2:CANCELED']);

    await advance(t, 30_000);
    await t.engine.retryWorkflow(id);
    expect(await taskList(t.engine, id)).toEqual(['t1:COMPLETED', 't2:CANCELED', 't2:SCHEDULED']);
    await advance(t, 59_999);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await advance(t, 1);
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
  });

  it('reopens a canceled JOIN in place and re-runs the failed and canceled branch tasks (scenario 1)', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs(['t1', 't2', 't3', 't4'].map((name) => ({ name, retryCount: 0 })));
    await engine.registerWorkflowDef({
      name: 'fork',
      tasks: [
        stepOf('FORK_JOIN', 'fork', { forkTasks: [[simple('t1'), simple('t3')], [simple('t2')]] }),
        stepOf('JOIN', 'join', { joinOn: ['t3', 't2'] }),
        simple('t4'),
      ],
    });
    const id = await engine.startWorkflow({ name: 'fork' });
    await complete(engine, 't1');
    await fail(engine, 't2', 'no');
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      't1:COMPLETED',
      't2:FAILED',
      'join:CANCELED',
      't3:CANCELED',
    ]);
    const join = byRef((await engine.getWorkflow(id)).tasks, 'join');

    await engine.retryWorkflow(id);
    const retried = await engine.getWorkflow(id);
    expect(retried.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual([
      'fork:COMPLETED',
      't1:COMPLETED',
      't2:FAILED',
      'join:IN_PROGRESS',
      't3:CANCELED',
      't2:SCHEDULED',
      't3:SCHEDULED',
    ]);
    expect(byRef(retried.tasks, 'join').taskId).toBe(join.taskId);

    await complete(engine, 't2');
    await complete(engine, 't3');
    await complete(engine, 't4');
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.tasks).toHaveLength(8);
    expect(byRef(done.tasks, 'join').status).toBe('COMPLETED');
  });

  it('reopens a canceled DO_WHILE and retries the failed iteration task', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'lt', retryCount: 0 }]);
    await engine.registerWorkflowDef({
      name: 'loop',
      tasks: [
        stepOf('DO_WHILE', 'loop', {
          loopCondition: "$.loop['iteration'] < 2",
          loopOver: [simple('lt')],
        }),
      ],
    });
    const id = await engine.startWorkflow({ name: 'loop' });
    await fail(engine, 'lt', 'flaky');
    expect(await taskList(engine, id)).toEqual(['loop:CANCELED', 'lt__1:FAILED']);
    await engine.retryWorkflow(id);
    expect(await taskList(engine, id)).toEqual(['loop:IN_PROGRESS', 'lt__1:FAILED', 'lt__1:SCHEDULED']);
    await complete(engine, 'lt');
    await complete(engine, 'lt');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect(await taskList(engine, id)).toEqual([
      'loop:COMPLETED',
      'lt__1:FAILED',
      'lt__1:COMPLETED',
      'lt__2:COMPLETED',
    ]);
  });
});

describe('retryWorkflow with sub-workflows', () => {
  async function defineParentAndChild(engine: Engine): Promise<void> {
    await engine.registerTaskDefs([
      { name: 'prep', retryCount: 0 },
      { name: 'leaf', retryCount: 0 },
    ]);
    await define(engine, 'child', [simple('leaf')], { def: { outputParameters: { r: '${leaf.output.r}' } } });
    await define(engine, 'parent', [
      simple('prep'),
      stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child', version: 1 } }),
    ]);
  }

  /** Parent and child both FAILED because the child's leaf failed. */
  async function failedFamily(engine: Engine): Promise<{ parentId: string; childId: string }> {
    const parentId = await engine.startWorkflow({ name: 'parent' });
    await complete(engine, 'prep');
    const childId = byRef((await engine.getWorkflow(parentId)).tasks, 'sub').subWorkflowId as string;
    await fail(engine, 'leaf', 'leaf broke');
    expect((await engine.getWorkflow(childId)).status).toBe('FAILED');
    expect((await engine.getWorkflow(parentId)).status).toBe('FAILED');
    return { parentId, childId };
  }

  it('without resumeSubworkflowTasks a new child is started', async () => {
    const { engine } = await setup();
    await defineParentAndChild(engine);
    const { parentId, childId } = await failedFamily(engine);
    await engine.retryWorkflow(parentId);
    await engine.idle();
    const tasks = (await engine.getWorkflow(parentId)).tasks;
    expect(tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual([
      'prep:COMPLETED',
      'sub:FAILED',
      'sub:IN_PROGRESS',
    ]);
    const newChild = attempts(tasks, 'sub')[1].subWorkflowId as string;
    expect(newChild).not.toBe(childId);
    await complete(engine, 'leaf', { r: 7 });
    const parent = await engine.getWorkflow(parentId);
    expect(parent.status).toBe('COMPLETED');
    expect(parent.output).toMatchObject({ r: 7 });
    expect((await engine.getWorkflow(childId)).status).toBe('FAILED');
  });

  it('with resumeSubworkflowTasks the failed child is retried in place and the parent waits for it (scenario 5)', async () => {
    const { engine } = await setup();
    await defineParentAndChild(engine);
    const events = recordEvents(engine);
    const { parentId, childId } = await failedFamily(engine);
    const subTask = byRef((await engine.getWorkflow(parentId)).tasks, 'sub');

    await engine.retryWorkflow(parentId, { resumeSubworkflowTasks: true });
    await engine.idle();
    expect(await taskList(engine, childId)).toEqual(['leaf:FAILED', 'leaf:SCHEDULED']);
    const parent = await engine.getWorkflow(parentId);
    expect(parent.status).toBe('RUNNING');
    expect(parent.reasonForIncompletion).toBeNull();
    expect(await taskList(engine, parentId)).toEqual(['prep:COMPLETED', 'sub:IN_PROGRESS']);
    expect(byRef(parent.tasks, 'sub').taskId).toBe(subTask.taskId);
    expect((await engine.getTaskLogs(subTask.taskId)).map((l) => l.log)).toEqual([
      `Sub workflow child.1/${childId} retried.`,
    ]);
    expect(
      events
        .filter((e) => e.name === 'workflow.retried')
        .map((e) => (e.payload as { workflowId: string }).workflowId),
    ).toEqual([childId, parentId]);

    await complete(engine, 'leaf', { r: 3 });
    expect((await engine.getWorkflow(childId)).status).toBe('COMPLETED');
    const done = await engine.getWorkflow(parentId);
    expect(done.status).toBe('COMPLETED');
    expect(done.tasks).toHaveLength(2);
    expect(done.output).toMatchObject({ r: 3 });
  });

  it('retrying the child itself takes the parent back to RUNNING', async () => {
    const { engine } = await setup();
    await defineParentAndChild(engine);
    const { parentId, childId } = await failedFamily(engine);
    await engine.retryWorkflow(childId);
    await engine.idle();
    expect((await engine.getWorkflow(parentId)).status).toBe('RUNNING');
    await complete(engine, 'leaf');
    expect((await engine.getWorkflow(parentId)).status).toBe('COMPLETED');
  });
});
