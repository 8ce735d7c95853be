import { describe, expect, it } from 'vitest';
import { NotFoundError, type Task, type WorkflowRecord, type WorkflowTask } from '../../src/index.js';
import { subWorkflowId } from '../../src/tasks/child-id.js';
import { subWorkflowTask } from '../../src/tasks/sub-workflow.js';
import type { ExecuteContext } from '../../src/tasks/task-type.js';
import { makeTask, makeWorkflow } from '../../src/testing/fixtures.js';
import { advance, recordEvents, s, setup, simple, taskList } from '../helpers/engine.js';
import { childOf, completeNext, fixture, taskByRef } from '../helpers/sub-workflow.js';

const WORKFLOW_TIMEOUT = { timeoutSeconds: 10, timeoutPolicy: 'TIME_OUT_WF' as const };
const TIMED_OUT_REASON =
  'Workflow timed out after 10 seconds. Timeout configured as 10 seconds. Timeout policy configured to TIME_OUT_WF';

/** A workflow of two worker steps that times out after 10 s. */
async function timingOut() {
  const t = await setup();
  await t.engine.registerTaskDefs([{ name: 'work', retryCount: 1, retryDelaySeconds: 60 }]);
  await t.engine.registerWorkflowDef({
    name: 'timing_out',
    version: 1,
    tasks: [simple('work'), simple('next')],
    ...WORKFLOW_TIMEOUT,
  });
  const id = await t.engine.startWorkflow({ name: 'timing_out' });
  await t.engine.idle();
  return { ...t, id };
}

describe('cancellation when a workflow ends with worker tasks pending', () => {
  it('cancels a task still waiting in its queue and removes its message', async () => {
    const t = await timingOut();
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 1 });

    await advance(t, s(10));

    const wf = await t.engine.getWorkflow(t.id);
    expect(wf).toMatchObject({ status: 'TIMED_OUT', reasonForIncompletion: TIMED_OUT_REASON });
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0]).toMatchObject({ referenceTaskName: 'work', status: 'CANCELED', endTime: wf.endTime });
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 0 });
    expect(await t.engine.pollTask('work')).toBeNull();
  });

  it('cancels a task a worker holds and ignores the worker’s late result', async () => {
    const t = await timingOut();
    const polled = await t.engine.pollTask('work');
    expect(polled?.status).toBe('IN_PROGRESS');
    const events = recordEvents(t.engine);

    await advance(t, s(10));
    expect(await taskList(t.engine, t.id)).toEqual(['work:CANCELED']);
    expect(events.map((e) => e.label)).toEqual(['task.canceled:work', 'workflow.timedOut:TIMED_OUT']);

    await t.engine.updateTask({ taskId: polled!.taskId, status: 'COMPLETED', outputData: { late: true } });
    await t.engine.idle();
    const wf = await t.engine.getWorkflow(t.id);
    expect(wf.status).toBe('TIMED_OUT');
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.status, x.outputData])).toEqual([
      ['work', 'CANCELED', {}],
    ]);
    expect(await t.engine.getQueueSizes(['work', 'next'])).toEqual({ work: 0, next: 0 });
    expect(events).toHaveLength(2);
  });

  it('cancels a retry that waits out its delay, and its delayed message never shows up', async () => {
    const t = await timingOut();
    const first = await t.engine.pollTask('work');
    await t.engine.updateTask({ taskId: first!.taskId, status: 'FAILED', reasonForIncompletion: 'flaky' });
    await t.engine.idle();
    expect(await taskList(t.engine, t.id)).toEqual(['work:FAILED', 'work:SCHEDULED']);
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 1 });

    await advance(t, s(10));
    expect(await taskList(t.engine, t.id)).toEqual(['work:FAILED', 'work:CANCELED']);
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 0 });
    await advance(t, s(60));
    expect(await t.engine.pollTask('work')).toBeNull();
  });
});

describe('cancellation of a running child workflow', () => {
  /** root → mid → leaf, the leaf's worker task pending; root times out after 10 s. */
  async function chain() {
    const t = await setup();
    await t.engine.registerTaskDefs([
      { name: 'integration_task_1', retryCount: 0 },
      { name: 'simple_task_in_sub_wf', retryCount: 0 },
    ]);
    const parent = fixture('sub-workflow-parent');
    await t.engine.registerWorkflowDef({ ...parent, name: 'timing_out_root', ...WORKFLOW_TIMEOUT });
    await t.engine.registerWorkflowDef(parent);
    await t.engine.registerWorkflowDef(fixture('sub-workflow-leaf'));
    const rootId = await t.engine.startWorkflow({
      name: 'timing_out_root',
      input: { param1: 'a', subwf: 'wf_with_sub_wf', nextSubwf: 'sub_wf_leaf' },
    });
    await t.engine.idle();
    await completeNext(t.engine, 'integration_task_1', { op: 'root' });
    const mid = await childOf(t.engine, rootId, 't2');
    await completeNext(t.engine, 'integration_task_1', { op: 'mid' });
    const leaf = await childOf(t.engine, mid.workflowId, 't2');
    expect(leaf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual(['leaf_t1:SCHEDULED']);
    return { ...t, rootId, midId: mid.workflowId, leafId: leaf.workflowId };
  }

  it('terminates the child (and its child) when the parent times out, passing the reason down', async () => {
    const t = await chain();
    const leafTask = await t.engine.pollTask('simple_task_in_sub_wf');

    await advance(t, s(10));

    const root = await t.engine.getWorkflow(t.rootId);
    expect(root).toMatchObject({ status: 'TIMED_OUT', reasonForIncompletion: TIMED_OUT_REASON });
    expect(await taskList(t.engine, t.rootId)).toEqual(['t1:COMPLETED', 't2:CANCELED']);

    const midReason = `Parent workflow has been terminated with reason: ${TIMED_OUT_REASON}`;
    const mid = await t.engine.getWorkflow(t.midId);
    expect(mid).toMatchObject({ status: 'TERMINATED', reasonForIncompletion: midReason });
    expect(await taskList(t.engine, t.midId)).toEqual(['t1:COMPLETED', 't2:CANCELED']);

    const leaf = await t.engine.getWorkflow(t.leafId);
    expect(leaf).toMatchObject({
      status: 'TERMINATED',
      reasonForIncompletion: `Parent workflow has been terminated with reason: ${midReason}`,
    });
    expect(await taskList(t.engine, t.leafId)).toEqual(['leaf_t1:CANCELED']);
    expect(await t.engine.getQueueSizes(['simple_task_in_sub_wf'])).toEqual({ simple_task_in_sub_wf: 0 });

    // The leaf worker's late result changes nothing anywhere.
    await t.engine.updateTask({ taskId: leafTask!.taskId, status: 'COMPLETED', outputData: { op: 'late' } });
    await t.engine.idle();
    expect(await taskList(t.engine, t.leafId)).toEqual(['leaf_t1:CANCELED']);
    // The children's ends re-decide their parents, which have ended already: nothing is overwritten.
    expect(await taskByRef(t.engine, t.rootId, 't2')).toMatchObject({ status: 'CANCELED' });
    expect((await t.engine.getWorkflow(t.rootId)).status).toBe('TIMED_OUT');
    expect((await t.engine.getWorkflow(t.midId)).status).toBe('TERMINATED');
  });
});

describe('a parent that fails or is terminated while its child runs', () => {
  /**
   * A fork of three branches: a sub-workflow (the leaf, its worker task pending), a worker task left pending, and
   * `last` (a worker step `gate`, then `lastBranch`); the JOIN waits on all three.
   */
  async function forked(lastBranch: WorkflowTask[]) {
    const t = await setup();
    await t.engine.registerTaskDefs([
      { name: 'simple_task_in_sub_wf', retryCount: 0 },
      { name: 'gate', retryCount: 0 },
    ]);
    await t.engine.registerWorkflowDef(fixture('sub-workflow-leaf'));
    await t.engine.registerWorkflowDef({
      name: 'forked',
      version: 1,
      tasks: [
        {
          name: 'fork',
          taskReferenceName: 'fork',
          type: 'FORK_JOIN',
          forkTasks: [
            [
              {
                name: 'child',
                taskReferenceName: 'child',
                type: 'SUB_WORKFLOW',
                inputParameters: { param1: 'x' },
                subWorkflowParam: { name: 'sub_wf_leaf', version: 1 },
              },
            ],
            [simple('pending_work')],
            [simple('gate'), ...lastBranch],
          ],
        },
        { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['child', 'pending_work', 'gate'] },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'forked' });
    await t.engine.idle();
    const child = await childOf(t.engine, id, 'child');
    const pending = await t.engine.pollTask('pending_work');
    const leafTask = await t.engine.pollTask('simple_task_in_sub_wf');
    expect(pending).not.toBeNull();
    expect(leafTask).not.toBeNull();
    return { ...t, id, childId: child.workflowId, pending: pending!, leafTask: leafTask! };
  }

  /** Everything that was pending is CANCELED, no message is left, and late worker results change nothing. */
  async function expectAllCanceled(t: Awaited<ReturnType<typeof forked>>, parentReason: string) {
    const child = await t.engine.getWorkflow(t.childId);
    expect(child).toMatchObject({
      status: 'TERMINATED',
      reasonForIncompletion: `Parent workflow has been terminated with reason: ${parentReason}`,
    });
    expect(await taskList(t.engine, t.childId)).toEqual(['leaf_t1:CANCELED']);
    expect(await t.engine.getQueueSizes(['pending_work', 'simple_task_in_sub_wf', 'gate'])).toEqual({
      pending_work: 0,
      simple_task_in_sub_wf: 0,
      gate: 0,
    });
    for (const late of [t.pending, t.leafTask]) {
      await t.engine.updateTask({ taskId: late.taskId, status: 'COMPLETED', outputData: { late: true } });
    }
    await t.engine.idle();
    expect((await t.engine.getTask(t.pending.taskId)).status).toBe('CANCELED');
    expect((await t.engine.getTask(t.leafTask.taskId)).status).toBe('CANCELED');
    expect((await t.engine.getWorkflow(t.childId)).status).toBe('TERMINATED');
  }

  it('FAILED: a failing branch cancels the pending tasks and terminates the running child', async () => {
    const t = await forked([]);
    const gate = await t.engine.pollTask('gate');
    await t.engine.updateTask({ taskId: gate!.taskId, status: 'FAILED', reasonForIncompletion: 'kaput' });
    await t.engine.idle();

    const wf = await t.engine.getWorkflow(t.id);
    const reason = `Task ${gate!.taskId} failed with status: FAILED and reason: 'kaput'`;
    expect(wf).toMatchObject({ status: 'FAILED', reasonForIncompletion: reason });
    expect(await taskList(t.engine, t.id)).toEqual([
      'fork:COMPLETED',
      'child:CANCELED',
      'pending_work:CANCELED',
      'gate:FAILED',
      'join:CANCELED',
    ]);
    await expectAllCanceled(t, reason);
    expect((await t.engine.getWorkflow(t.id)).status).toBe('FAILED');
  });

  it('TERMINATED: a TERMINATE in a branch cancels the pending tasks and terminates the running child', async () => {
    const t = await forked([
      {
        name: 'terminate',
        taskReferenceName: 'stop',
        type: 'TERMINATE',
        inputParameters: { terminationStatus: 'TERMINATED', terminationReason: 'enough' },
      },
    ]);
    await completeNext(t.engine, 'gate');

    const wf = await t.engine.getWorkflow(t.id);
    expect(wf).toMatchObject({ status: 'TERMINATED', reasonForIncompletion: 'enough' });
    expect(await taskList(t.engine, t.id)).toEqual([
      'fork:COMPLETED',
      'child:CANCELED',
      'pending_work:CANCELED',
      'gate:COMPLETED',
      'join:CANCELED',
      'stop:COMPLETED',
    ]);
    await expectAllCanceled(t, 'enough');
    expect((await t.engine.getWorkflow(t.id)).status).toBe('TERMINATED');
  });
});

describe('SUB_WORKFLOW cancel', () => {
  function context(workflow: Partial<WorkflowRecord>, terminated: Array<[string, string]>, missing = false) {
    return {
      workflow: makeWorkflow(workflow),
      terminateWorkflow: async (id: string, reason: string) => {
        if (missing) throw new NotFoundError(`Workflow ${id} not found`);
        terminated.push([id, reason]);
      },
    } as unknown as ExecuteContext;
  }
  const task = (fields: Partial<Task> = {}) =>
    makeTask({ taskId: 'task-1', workflowInstanceId: 'parent-1', taskType: 'SUB_WORKFLOW', ...fields });

  it('terminates the child with the parent’s reason, or its status when it has no reason', async () => {
    const terminated: Array<[string, string]> = [];
    await subWorkflowTask.cancel!(
      task({ subWorkflowId: 'child-1', status: 'IN_PROGRESS' }),
      context({ status: 'FAILED', reasonForIncompletion: 'it broke' }, terminated),
    );
    await subWorkflowTask.cancel!(
      task({ subWorkflowId: 'child-2', status: 'IN_PROGRESS' }),
      context({ status: 'TERMINATED', reasonForIncompletion: null }, terminated),
    );
    expect(terminated).toEqual([
      ['child-1', 'Parent workflow has been terminated with reason: it broke'],
      ['child-2', 'Parent workflow has been terminated with status TERMINATED'],
    ]);
  });

  it('looks for the child under its derived id when the task has none yet, and minds no missing child', async () => {
    const terminated: Array<[string, string]> = [];
    await subWorkflowTask.cancel!(
      task({ status: 'SCHEDULED', retryCount: 2 }),
      context({ status: 'FAILED', reasonForIncompletion: 'x' }, terminated),
    );
    expect(terminated).toEqual([
      [subWorkflowId('parent-1', 'task-1', 2), 'Parent workflow has been terminated with reason: x'],
    ]);
    await expect(
      subWorkflowTask.cancel!(task({ status: 'SCHEDULED' }), context({ status: 'FAILED' }, [], true)),
    ).resolves.toBeUndefined();
  });
});
