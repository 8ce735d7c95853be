import { describe, expect, it } from 'vitest';
import { WorkingState } from '../../src/engine/working-state.js';
import { makeTask, makeWorkflow } from '../../src/testing/fixtures.js';
import { define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { byRef, complete, defineLinear, fail, rejectsWith, stepOf } from './helpers.js';

describe('restartWorkflow', () => {
  it('runs a failed workflow again from its first task under the same id', async () => {
    const { engine, clock } = await setup();
    await defineLinear(engine, { t1: { retryCount: 0 } });
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({ name: 'linear', input: { k: 1 }, correlationId: 'c-1' });
    const failed = await fail(engine, 'task1', 'bad');
    await engine.addTaskLog(failed.taskId, 'note');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');

    await clock.advance(60_000);
    await engine.restartWorkflow(id);
    const wf = await engine.getWorkflow(id);
    expect(wf).toMatchObject({
      status: 'RUNNING',
      createTime: clock.now(),
      startTime: clock.now(),
      endTime: null,
      reasonForIncompletion: null,
      failedTaskId: null,
      failedReferenceTaskNames: [],
      output: {},
      input: { k: 1 },
      correlationId: 'c-1',
    });
    expect(await taskList(engine, id)).toEqual(['t1:SCHEDULED']);
    expect(wf.tasks[0].seq).toBe(1);
    await rejectsWith(engine.getTask(failed.taskId), 'NOT_FOUND');
    expect(await engine.getTaskLogs(failed.taskId)).toEqual([]);
    expect(events.filter((e) => e.name.startsWith('workflow.')).map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'workflow.failed:FAILED',
      'workflow.restarted:RUNNING',
    ]);

    await complete(engine, 'task1', { v: 1 });
    await complete(engine, 'task2', { v: 2 });
    const done = await engine.getWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:COMPLETED']);
    expect(done.failedReferenceTaskNames).toEqual([]);
  });

  it('restarts COMPLETED and TERMINATED workflows; refuses running ones and non-restartable completed ones', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    await define(engine, 'once', [simple('solo')], { def: { restartable: false } });

    const running = await engine.startWorkflow({ name: 'linear' });
    await rejectsWith(engine.restartWorkflow(running), 'CONFLICT');
    await engine.pauseWorkflow(running);
    await rejectsWith(engine.restartWorkflow(running), 'CONFLICT');
    await engine.terminateWorkflow(running);
    await engine.restartWorkflow(running);
    expect(await taskList(engine, running)).toEqual(['t1:SCHEDULED']);
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    expect((await engine.getWorkflow(running)).status).toBe('COMPLETED');
    await engine.restartWorkflow(running);
    expect(await taskList(engine, running)).toEqual(['t1:SCHEDULED']);

    const once = await engine.startWorkflow({ name: 'once' });
    await complete(engine, 'solo');
    expect((await engine.getWorkflow(once)).status).toBe('COMPLETED');
    await rejectsWith(engine.restartWorkflow(once), 'CONFLICT');
    // Not restartable applies to COMPLETED runs only.
    const failedOnce = await engine.startWorkflow({ name: 'once' });
    await engine.terminateWorkflow(failedOnce);
    await engine.restartWorkflow(failedOnce);
    expect((await engine.getWorkflow(failedOnce)).status).toBe('RUNNING');
    await rejectsWith(engine.restartWorkflow('nope'), 'NOT_FOUND');
  });

  it('useLatestDefinitions switches to the latest registered version', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await engine.terminateWorkflow(id);
    await engine.registerWorkflowDef({
      name: 'linear',
      version: 2,
      tasks: [
        simple('t1', { name: 'task1' }),
        simple('t2', { name: 'task2' }),
        simple('t3', { name: 'task3' }),
      ],
    });

    await engine.restartWorkflow(id);
    expect((await engine.getWorkflow(id)).workflowVersion).toBe(1);
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');

    await engine.restartWorkflow(id, { useLatestDefinitions: true });
    const wf = await engine.getWorkflow(id);
    expect(wf.workflowVersion).toBe(2);
    expect(wf.workflowDefinition.tasks).toHaveLength(3);
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    await complete(engine, 'task3');
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:COMPLETED', 't3:COMPLETED']);
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('a restarted parent starts a new child; a restarted child takes its parent back to RUNNING', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'leaf', retryCount: 0 }]);
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]);
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const firstChild = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    await fail(engine, 'leaf', 'bad');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');

    await engine.restartWorkflow(id);
    await engine.idle();
    const secondChild = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    expect(secondChild).not.toBe(firstChild);
    await fail(engine, 'leaf', 'bad again');
    expect((await engine.getWorkflow(id)).status).toBe('FAILED');

    await engine.restartWorkflow(secondChild);
    await engine.idle();
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
    expect(await taskList(engine, id)).toEqual(['sub:IN_PROGRESS']);
    await complete(engine, 'leaf');
    expect((await engine.getWorkflow(secondChild)).status).toBe('COMPLETED');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});

describe('WorkingState.removeTasks', () => {
  it('deletes tasks in the commit and takes a waiting worker task out of its queue', () => {
    const scheduled = makeTask({ taskId: 'a', seq: 1, taskType: 'work', domain: 'd' });
    const done = makeTask({ taskId: 'b', seq: 2, status: 'COMPLETED' });
    const state = new WorkingState({ workflow: makeWorkflow(), version: 3, tasks: [scheduled, done] });
    state.removeTasks(['a', 'b', 'unknown']);
    expect(state.tasks).toEqual([]);
    expect(state.hasChanges).toBe(true);
    const commit = state.toCommit(0, () => true);
    expect(commit.removedTaskIds).toEqual(['a', 'b']);
    expect(commit.tasks).toEqual([]);
    expect(commit.queue).toEqual([{ op: 'remove', queue: 'd:work', id: 'a' }]);
  });

  it('forgets a task created in the same unit of work', () => {
    const state = new WorkingState({ workflow: makeWorkflow(), version: 1, tasks: [] });
    state.addTask(makeTask({ taskId: 'new' }));
    state.removeTasks(['new']);
    const commit = state.toCommit(0, () => true);
    expect(commit.removedTaskIds).toBeUndefined();
    expect(commit.tasks).toEqual([]);
    expect(commit.queue).toEqual([]);
    expect(state.transitions).toEqual([]);
  });
});
