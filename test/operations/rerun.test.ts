import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { attempts, byRef, complete, defineLinear, fail, rejectsWith, stepOf } from './helpers.js';

/** `linear` run to COMPLETED (t1 output v=1, t2 output v=2). */
async function completedLinear(engine: Engine): Promise<string> {
  const id = await engine.startWorkflow({ name: 'linear', input: { a: 1 }, correlationId: 'c' });
  await complete(engine, 'task1', { v: 1 });
  await complete(engine, 'task2', { v: 2 });
  expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  return id;
}

describe('rerunWorkflow', () => {
  it('reruns a COMPLETED workflow from a task: later tasks deleted, the task SCHEDULED again (scenario 6)', async () => {
    const { engine, clock } = await setup();
    await defineLinear(engine);
    const events = recordEvents(engine);
    const id = await completedLinear(engine);
    const before = await engine.getWorkflow(id);
    const t2 = byRef(before.tasks, 't2');

    await clock.advance(1000);
    expect(await engine.rerunWorkflow(id, { reRunFromTaskId: t2.taskId, taskInput: { got: 'manual' } })).toBe(
      id,
    );
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('RUNNING');
    expect(wf.endTime).toBeNull();
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:SCHEDULED']);
    expect(byRef(wf.tasks, 't2')).toMatchObject({
      taskId: t2.taskId,
      inputData: { got: 'manual' },
      outputData: {},
      scheduledTime: clock.now(),
      startTime: 0,
      endTime: 0,
    });
    expect(events.filter((e) => e.name === 'workflow.rerun').map((e) => e.label)).toEqual([
      'workflow.rerun:RUNNING',
    ]);

    const polled = await complete(engine, 'task2', { v: 'again' });
    expect(polled.inputData).toEqual({ got: 'manual' });
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toEqual({ out: 'again' });
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:COMPLETED']);
  });

  it('reruns from the start with new input and correlation id', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await completedLinear(engine);
    const oldIds = (await engine.getWorkflow(id)).tasks.map((t) => t.taskId);
    await engine.rerunWorkflow(id, { workflowInput: { a: 2 }, correlationId: 'c2' });
    const wf = await engine.getWorkflow(id);
    expect(wf).toMatchObject({ status: 'RUNNING', input: { a: 2 }, correlationId: 'c2' });
    expect(await taskList(engine, id)).toEqual(['t1:SCHEDULED']);
    await rejectsWith(engine.getTask(oldIds[0]), 'NOT_FOUND');
    await complete(engine, 'task1', { v: 3 });
    await complete(engine, 'task2', { v: 4 });
    expect((await engine.getWorkflow(id)).output).toEqual({ out: 4 });
  });

  it('reruns a failed workflow from the failed task', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await complete(engine, 'task1', { v: 1 });
    const failed = await fail(engine, 'task2', 'down');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');
    await engine.rerunWorkflow(id, { reRunFromTaskId: failed.taskId });
    const wf = await engine.getWorkflow(id);
    expect(wf.reasonForIncompletion).toBeNull();
    expect(wf.failedReferenceTaskNames).toEqual([]);
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:SCHEDULED']);
    await complete(engine, 'task2', { v: 2 });
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('refuses a running workflow, an unknown task and a mismatched request', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await rejectsWith(engine.rerunWorkflow(id), 'CONFLICT');
    await engine.pauseWorkflow(id);
    await rejectsWith(engine.rerunWorkflow(id), 'CONFLICT');
    await engine.terminateWorkflow(id);
    await rejectsWith(engine.rerunWorkflow(id, { reRunFromTaskId: 'no-such-task' }), 'NOT_FOUND');
    await expect(engine.rerunWorkflow(id, { reRunFromWorkflowId: 'other' })).rejects.toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'reRunFromWorkflowId' }],
    });
    await expect(engine.rerunWorkflow(id, { taskInput: [] as never })).rejects.toMatchObject({
      issues: [{ path: 'taskInput' }],
    });
    await rejectsWith(engine.rerunWorkflow('nope'), 'NOT_FOUND');
    expect(await engine.rerunWorkflow(id, { reRunFromWorkflowId: id })).toBe(id);
  });

  it('reruns from a branch task of a completed fork: the JOIN and the other branch wait again', async () => {
    const { engine } = await setup();
    await define(engine, 'fork', [
      stepOf('FORK_JOIN', 'fork', { forkTasks: [[simple('a'), simple('c')], [simple('b')]] }),
      stepOf('JOIN', 'join', { joinOn: ['c', 'b'] }),
      simple('last'),
    ]);
    const id = await engine.startWorkflow({ name: 'fork' });
    await complete(engine, 'a');
    await complete(engine, 'b');
    await complete(engine, 'c');
    await complete(engine, 'last');
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:COMPLETED',
      'b:COMPLETED',
      'join:COMPLETED',
      'c:COMPLETED',
      'last:COMPLETED',
    ]);
    const a = byRef((await engine.getWorkflow(id)).tasks, 'a');

    // From `a` (seq 2): b, join, c and last were scheduled later and are deleted; b's branch starts again.
    await engine.rerunWorkflow(id, { reRunFromTaskId: a.taskId });
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:SCHEDULED',
      'b:SCHEDULED',
      'join:IN_PROGRESS',
    ]);
    await complete(engine, 'a');
    await complete(engine, 'b');
    await complete(engine, 'c');
    await complete(engine, 'last');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('reruns a system task from its step: a SWITCH chooses its branch afresh', async () => {
    const { engine } = await setup();
    await define(engine, 'choose', [
      stepOf('SWITCH', 'pick', {
        evaluatorType: 'value-param',
        expression: 'which',
        inputParameters: { which: '${workflow.input.which}' },
        decisionCases: { x: [simple('x')] },
        defaultCase: [simple('y')],
      }),
    ]);
    const id = await engine.startWorkflow({ name: 'choose', input: { which: 'x' } });
    await complete(engine, 'x');
    const pick = byRef((await engine.getWorkflow(id)).tasks, 'pick');
    await engine.rerunWorkflow(id, { reRunFromTaskId: pick.taskId, workflowInput: { which: 'other' } });
    expect(await taskList(engine, id)).toEqual(['pick:COMPLETED', 'y:SCHEDULED']);
    await complete(engine, 'y');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('reruns from a task of a sub-workflow: the child reruns in place and the parent waits for it again', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'leaf', retryCount: 0 }]);
    await define(engine, 'child', [simple('leaf')], { def: { outputParameters: { r: '${leaf.output.r}' } } });
    await define(engine, 'parent', [
      stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } }),
      simple('after', { inputParameters: { r: '${sub.output.r}' } }),
    ]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const sub = byRef((await engine.getWorkflow(id)).tasks, 'sub');
    const childId = sub.subWorkflowId as string;
    const leaf = await fail(engine, 'leaf', 'bad');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');

    await engine.rerunWorkflow(id, { reRunFromTaskId: leaf.taskId, taskInput: { fixed: true } });
    await engine.idle();
    expect((await engine.getWorkflow(childId)).status).toBe('RUNNING');
    expect(await taskList(engine, childId)).toEqual(['leaf:SCHEDULED']);
    const parent = await engine.getWorkflow(id);
    expect(parent.status).toBe('RUNNING');
    expect(await taskList(engine, id)).toEqual(['sub:IN_PROGRESS']);
    expect(byRef(parent.tasks, 'sub')).toMatchObject({ taskId: sub.taskId, subWorkflowId: childId });

    const polled = await complete(engine, 'leaf', { r: 9 });
    expect(polled.inputData).toEqual({ fixed: true });
    const after = await complete(engine, 'after');
    expect(after.inputData).toEqual({ r: 9 });
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect(attempts((await engine.getWorkflow(id)).tasks, 'sub')).toHaveLength(1);
  });

  it('reruns from a task of a finished loop: the loop goes back to that iteration and runs on', async () => {
    const { engine } = await setup();
    await define(engine, 'loop', [
      stepOf('DO_WHILE', 'loop', { loopCondition: "$.loop['iteration'] < 2", loopOver: [simple('lt')] }),
      simple('after'),
    ]);
    const id = await engine.startWorkflow({ name: 'loop' });
    await complete(engine, 'lt', { n: 1 });
    await complete(engine, 'lt', { n: 2 });
    await complete(engine, 'after');
    expect(await taskList(engine, id)).toEqual([
      'loop:COMPLETED',
      'lt__1:COMPLETED',
      'lt__2:COMPLETED',
      'after:COMPLETED',
    ]);
    const first = byRef((await engine.getWorkflow(id)).tasks, 'lt__1');

    await engine.rerunWorkflow(id, { reRunFromTaskId: first.taskId });
    const wf = await engine.getWorkflow(id);
    expect(await taskList(engine, id)).toEqual(['loop:IN_PROGRESS', 'lt__1:SCHEDULED']);
    expect(byRef(wf.tasks, 'loop')).toMatchObject({ iteration: 1, outputData: { iteration: 1 } });
    await complete(engine, 'lt', { n: 'one' });
    await complete(engine, 'lt', { n: 'two' });
    await complete(engine, 'after');
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(byRef(done.tasks, 'loop').outputData).toEqual({
      iteration: 2,
      1: { lt: { n: 'one' } },
      2: { lt: { n: 'two' } },
    });
  });

  it('reruns from a SUB_WORKFLOW task with a new child', async () => {
    const { engine } = await setup();
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    await complete(engine, 'leaf');
    const sub = byRef((await engine.getWorkflow(id)).tasks, 'sub');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');

    await engine.rerunWorkflow(id, { reRunFromTaskId: sub.taskId });
    await engine.idle();
    const again = byRef((await engine.getWorkflow(id)).tasks, 'sub');
    expect(again.status).toBe('IN_PROGRESS');
    expect(again.subWorkflowId).not.toBe(sub.subWorkflowId);
    expect((await engine.getWorkflow(sub.subWorkflowId as string)).status).toBe('COMPLETED');
    await complete(engine, 'leaf');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('rerunning the child directly takes its parent back to RUNNING', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'leaf', retryCount: 0 }]);
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const childId = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    await fail(engine, 'leaf', 'bad');
    await engine.rerunWorkflow(childId);
    await engine.idle();
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
    await complete(engine, 'leaf');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});
