import { describe, expect, it } from 'vitest';
import type { Engine, WorkflowDef } from '../../src/index.js';
import { subWorkflowId } from '../../src/tasks/child-id.js';
import { subWorkflowTask } from '../../src/tasks/sub-workflow.js';
import { advance, recordEvents, s, setup, T0, taskList } from '../helpers/engine.js';
import {
  childOf,
  completeNext,
  engineContext,
  failNext,
  fixture,
  taskByRef,
} from '../helpers/sub-workflow.js';

const INPUT = { param1: 'p1 value', param2: 'p2 value' };

/** The parent (t1 → SUB_WORKFLOW t2 named by `input.subwf`) and the one-step leaf, as SubWorkflowSpec has them. */
async function registerDefs(engine: Engine, extra: WorkflowDef[] = []): Promise<void> {
  await engine.registerTaskDefs([
    { name: 'integration_task_1', retryCount: 0 },
    { name: 'simple_task_in_sub_wf', retryCount: 0 },
  ]);
  for (const def of [fixture('sub-workflow-parent'), fixture('sub-workflow-leaf'), ...extra]) {
    await engine.registerWorkflowDef(def);
  }
}

/** Starts the parent on `subwf` and completes its first step, so the SUB_WORKFLOW step runs. */
async function startParent(engine: Engine, input: Record<string, unknown>, correlationId?: string) {
  const id = await engine.startWorkflow({
    name: 'wf_with_sub_wf',
    input: { ...INPUT, ...input },
    correlationId,
  });
  await engine.idle();
  await completeNext(engine, 'integration_task_1', { op: 'task1.done' });
  return id;
}

describe('SUB_WORKFLOW', () => {
  it('starts the child with the resolved input and completes with its output', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    const id = await startParent(engine, { subwf: 'sub_wf_leaf' }, 'wf_with_subwf_test_1');

    const t2 = await taskByRef(engine, id, 't2');
    const childId = subWorkflowId(id, t2.taskId, 0);
    expect(t2).toMatchObject({
      taskType: 'SUB_WORKFLOW',
      status: 'IN_PROGRESS',
      seq: 2,
      subWorkflowId: childId,
      outputData: { subWorkflowId: childId },
      startTime: T0,
      responseTimeoutSeconds: 0,
    });
    expect(t2.inputData).toEqual({
      subWorkflowName: 'sub_wf_leaf',
      priority: null,
      subWorkflowVersion: 1,
      subWorkflowTaskToDomain: null,
      subWorkflowDefinition: null,
      idempotencyKey: null,
      idempotencyStrategy: null,
      workflowInput: { param1: 'p1 value', param2: 'p2 value', subwf: null },
    });
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');

    const child = await engine.getWorkflow(childId);
    expect(child).toMatchObject({
      workflowName: 'sub_wf_leaf',
      workflowVersion: 1,
      status: 'RUNNING',
      input: { param1: 'p1 value', param2: 'p2 value', subwf: null },
      correlationId: 'wf_with_subwf_test_1',
      parentWorkflowId: id,
      parentWorkflowTaskId: t2.taskId,
      taskToDomain: {},
    });
    expect(child.tasks.map((t) => [t.referenceTaskName, t.status, t.inputData])).toEqual([
      ['leaf_t1', 'SCHEDULED', { fromParent: 'p1 value' }],
    ]);

    await completeNext(engine, 'simple_task_in_sub_wf', { op: 'simple_task_in_sub_wf.done' });
    expect((await engine.getWorkflow(childId)).status).toBe('COMPLETED');
    const parent = await engine.waitForWorkflow(id, { timeoutMs: 1000 });
    expect(parent.status).toBe('COMPLETED');
    expect(parent.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual([
      't1:COMPLETED',
      't2:COMPLETED',
    ]);
    expect(parent.tasks[1].outputData).toEqual({ subWorkflowId: childId, op: 'simple_task_in_sub_wf.done' });
    // No outputParameters: the parent's output is its last task's output, the child's merged in.
    expect(parent.output).toEqual({ subWorkflowId: childId, op: 'simple_task_in_sub_wf.done' });
  });

  it('runs end to end with in-process workers: the child’s end moves the parent on', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    engine.registerWorker('integration_task_1', async (task) => ({
      outputData: { op: `t1:${task.inputData.p1}` },
    }));
    engine.registerWorker('simple_task_in_sub_wf', async (task) => ({
      outputData: { op: `leaf:${task.inputData.fromParent}` },
    }));
    const done = await engine.executeWorkflow(
      { name: 'wf_with_sub_wf', input: { ...INPUT, subwf: 'wf_with_sub_wf', nextSubwf: 'sub_wf_leaf' } },
      { timeoutMs: 2000 },
    );
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toMatchObject({ op: 'leaf:p1 value' });
    const mid = await engine.getWorkflow(done.tasks[1].subWorkflowId as string);
    expect(mid).toMatchObject({ status: 'COMPLETED', parentWorkflowId: done.workflowId });
    const leaf = await engine.getWorkflow(mid.tasks[1].subWorkflowId as string);
    expect(leaf).toMatchObject({ status: 'COMPLETED', output: { op: 'leaf:p1 value' } });
  });

  it('fails the task and the parent when the child fails, quoting the child reason', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    const id = await startParent(engine, { subwf: 'sub_wf_leaf' });
    const childId = (await childOf(engine, id, 't2')).workflowId;

    const leafTask = await failNext(engine, 'simple_task_in_sub_wf', 'boom');

    const child = await engine.getWorkflow(childId);
    const childReason = `Task ${leafTask.taskId} failed with status: FAILED and reason: 'boom'`;
    expect(child).toMatchObject({ status: 'FAILED', reasonForIncompletion: childReason });
    const parent = await engine.getWorkflow(id);
    const t2 = parent.tasks[1];
    const taskReason = `Sub workflow sub_wf_leaf.1/${childId} failure reason: ${childReason}`;
    expect(t2).toMatchObject({ status: 'FAILED', reasonForIncompletion: taskReason, retryCount: 0 });
    expect(parent).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: `Task ${t2.taskId} failed with status: FAILED and reason: '${taskReason}'`,
      failedTaskId: t2.taskId,
      failedReferenceTaskNames: ['t2'],
    });
    expect(parent.tasks).toHaveLength(2);
  });

  it('fails every level of a root → mid → leaf chain when the leaf fails', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    const rootId = await startParent(engine, { subwf: 'wf_with_sub_wf', nextSubwf: 'sub_wf_leaf' });
    const mid = await childOf(engine, rootId, 't2');
    expect(mid).toMatchObject({
      workflowName: 'wf_with_sub_wf',
      input: { param1: 'p1 value', param2: 'p2 value', subwf: 'sub_wf_leaf' },
    });
    await completeNext(engine, 'integration_task_1', { op: 'mid.t1.done' });
    const leaf = await childOf(engine, mid.workflowId, 't2');
    expect(leaf).toMatchObject({ workflowName: 'sub_wf_leaf', parentWorkflowId: mid.workflowId });

    await failNext(engine, 'simple_task_in_sub_wf', 'leaf broke');

    for (const wid of [leaf.workflowId, mid.workflowId, rootId]) {
      const wf = await engine.getWorkflow(wid);
      expect(wf.status).toBe('FAILED');
      expect(wf.reasonForIncompletion).toContain('leaf broke');
    }
    expect(await taskList(engine, rootId)).toEqual(['t1:COMPLETED', 't2:FAILED']);
    expect(await taskList(engine, mid.workflowId)).toEqual(['t1:COMPLETED', 't2:FAILED']);
  });

  it('cancels the task and terminates the parent when the child is terminated', async () => {
    const { engine } = await setup();
    await registerDefs(engine, [fixture('sub-workflow-terminating')]);
    const id = await startParent(engine, { subwf: 'sub_wf_terminating' });
    const childId = (await childOf(engine, id, 't2')).workflowId;

    await completeNext(engine, 'simple_task_in_sub_wf');

    expect(await engine.getWorkflow(childId)).toMatchObject({
      status: 'TERMINATED',
      reasonForIncompletion: 'stopped by the child',
    });
    const parent = await engine.getWorkflow(id);
    expect(parent.tasks[1]).toMatchObject({
      status: 'CANCELED',
      reasonForIncompletion: `Sub workflow sub_wf_terminating.1/${childId} failure reason: stopped by the child`,
    });
    expect(parent.status).toBe('TERMINATED');
    expect(parent.reasonForIncompletion).toContain('stopped by the child');
  });

  it('runs an inline definition, marking the child input as dynamic', async () => {
    const { engine } = await setup();
    const def = fixture('sub-workflow-inline');
    await engine.registerWorkflowDef(def);
    const id = await engine.startWorkflow({ name: 'wf_with_inline_sub_wf', input: { param1: 'x' } });
    await engine.idle();
    await completeNext(engine, 'integration_task_1', { op: 't1.op', imageType: 'png' });

    const swt = await taskByRef(engine, id, 'swt');
    expect(swt.status).toBe('IN_PROGRESS');
    expect(swt.inputData).toMatchObject({
      subWorkflowName: 'one_task_workflow',
      subWorkflowVersion: 1,
      subWorkflowDefinition: def.tasks[1].subWorkflowParam?.workflowDefinition,
      workflowInput: { op: 't1.op', imageType: 'png' },
    });
    const child = await childOf(engine, id, 'swt');
    expect(child).toMatchObject({
      workflowName: 'one_task_workflow',
      input: { op: 't1.op', imageType: 'png', _systemMetadata: { dynamic: true } },
    });
    expect(child.tasks[0]).toMatchObject({ referenceTaskName: 't3', inputData: { p1: 'png' } });
    // The inline definition is not registered.
    await expect(engine.getWorkflowDef('one_task_workflow')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await completeNext(engine, 'integration_task_3', { op: 't3.op' });
    expect((await taskByRef(engine, id, 'swt')).outputData).toEqual({
      subWorkflowId: child.workflowId,
      op: 't3.op',
    });
    const t2 = await completeNext(engine, 'integration_task_2');
    expect(t2.inputData).toEqual({ op: 't3.op' });
    const parent = await engine.getWorkflow(id);
    expect(parent.status).toBe('COMPLETED');
    expect(parent.output).toEqual({ o3: 't1.op', childOp: 't3.op' });
  });

  it('resolves a definition built by an earlier task, and settles at once when the child ends at once', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef({
      name: 'builds_its_child',
      version: 1,
      tasks: [
        { name: 'builder', taskReferenceName: 'builder', type: 'SIMPLE' },
        {
          name: 'run_built',
          taskReferenceName: 'run_built',
          type: 'SUB_WORKFLOW',
          inputParameters: { q: '${workflow.input.q}' },
          subWorkflowParam: { workflowDefinition: '${builder.output.def}' },
        },
      ],
      outputParameters: { answer: '${run_built.output.answer}' },
    });
    const built: WorkflowDef = {
      name: 'built',
      version: 3,
      tasks: [{ name: 'noop', taskReferenceName: 'n', type: 'NOOP' }],
      outputParameters: { answer: '${workflow.input.q}' },
    };
    const id = await engine.startWorkflow({ name: 'builds_its_child', input: { q: 42 } });
    await engine.idle();
    await completeNext(engine, 'builder', { def: built });

    const task = await taskByRef(engine, id, 'run_built');
    expect(task.inputData).toMatchObject({
      subWorkflowName: 'built',
      subWorkflowVersion: null,
      subWorkflowDefinition: built,
    });
    expect(task).toMatchObject({ status: 'COMPLETED', outputData: { answer: 42 } });
    const child = await engine.getWorkflow(task.subWorkflowId as string);
    expect(child).toMatchObject({ workflowName: 'built', workflowVersion: 3, status: 'COMPLETED' });
    expect(await engine.getWorkflow(id)).toMatchObject({ status: 'COMPLETED', output: { answer: 42 } });
  });

  it('runs the pinned version, or the latest when the version is absent, and records which', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    await engine.registerWorkflowDef({
      name: 'sub_wf_leaf',
      version: 2,
      tasks: [{ name: 'leaf_v2_task', taskReferenceName: 'v2', type: 'SIMPLE' }],
    });
    await engine.registerWorkflowDef({
      name: 'pinning',
      version: 1,
      tasks: [
        {
          name: 'pinned',
          taskReferenceName: 'pinned',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: { name: 'sub_wf_leaf', version: '${workflow.input.v}' },
        },
      ],
    });
    const cases: Array<[unknown, number]> = [
      [1, 1],
      ['2', 2],
      [undefined, 2],
    ];
    for (const [v, expected] of cases) {
      const id = await engine.startWorkflow({ name: 'pinning', input: v === undefined ? {} : { v } });
      await engine.idle();
      const child = await childOf(engine, id, 'pinned');
      expect(child.workflowVersion, `version for ${String(v)}`).toBe(expected);
      expect((await taskByRef(engine, id, 'pinned')).inputData.subWorkflowVersion).toBe(expected);
    }
    // Version 1 of the child was run although version 2 is the latest.
    expect(await engine.getQueueSizes(['simple_task_in_sub_wf', 'leaf_v2_task'])).toEqual({
      simple_task_in_sub_wf: 1,
      leaf_v2_task: 2,
    });
  });

  it('passes taskToDomain: the parameter, else the parent workflow’s', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    await engine.registerWorkflowDef({
      name: 'domains',
      version: 1,
      tasks: [
        {
          name: 'own',
          taskReferenceName: 'own',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: {
            name: 'sub_wf_leaf',
            version: 1,
            taskToDomain: { simple_task_in_sub_wf: 'green' },
          },
        },
        {
          name: 'inherited',
          taskReferenceName: 'inherited',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: { name: 'sub_wf_leaf', version: 1 },
        },
      ],
    });
    const id = await engine.startWorkflow({ name: 'domains', taskToDomain: { '*': 'blue' } });
    await engine.idle();
    expect((await childOf(engine, id, 'own')).taskToDomain).toEqual({ simple_task_in_sub_wf: 'green' });
    expect((await taskByRef(engine, id, 'own')).inputData.subWorkflowTaskToDomain).toEqual({
      simple_task_in_sub_wf: 'green',
    });
    await completeGreen(engine);
    expect((await childOf(engine, id, 'inherited')).taskToDomain).toEqual({ '*': 'blue' });
    expect(await engine.getQueueSizes(['blue:simple_task_in_sub_wf'])).toEqual({
      'blue:simple_task_in_sub_wf': 1,
    });
  });

  it('fails the task when the child cannot be started (unknown definition, invalid request)', async () => {
    const { engine } = await setup();
    await registerDefs(engine);
    const id = await startParent(engine, { subwf: 'no_such_workflow' });
    const t2 = await taskByRef(engine, id, 't2');
    expect(t2.status).toBe('FAILED');
    expect(t2.subWorkflowId).toBeNull();
    expect(t2.reasonForIncompletion).toMatch(/no_such_workflow/);
    expect(await engine.getWorkflow(id)).toMatchObject({
      status: 'FAILED',
      failedReferenceTaskNames: ['t2'],
    });

    await engine.registerWorkflowDef({
      name: 'bad_priority',
      version: 1,
      tasks: [
        {
          name: 'child',
          taskReferenceName: 'child',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: { name: 'sub_wf_leaf', version: 1, priority: '${workflow.input.p}' },
        },
      ],
    });
    const bad = await engine.startWorkflow({ name: 'bad_priority', input: { p: 150 } });
    await engine.idle();
    const child = await taskByRef(engine, bad, 'child');
    expect(child.status).toBe('FAILED');
    expect(child.reasonForIncompletion).toMatch(/priority/);
  });

  it('retries per the TaskDef named like the step: a new child for the new attempt, after the retry delay', async () => {
    const t = await setup();
    const { engine } = t;
    await registerDefs(engine);
    await engine.registerTaskDefs([{ name: 'sub_workflow_task', retryCount: 1, retryDelaySeconds: 5 }]);
    const id = await startParent(engine, { subwf: 'sub_wf_leaf' });
    const first = await taskByRef(engine, id, 't2');

    await failNext(engine, 'simple_task_in_sub_wf', 'first child failed');
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:FAILED', 't2:SCHEDULED']);
    const retry = await taskByRef(engine, id, 't2');
    expect(retry).toMatchObject({ retryCount: 1, retriedTaskId: first.taskId, subWorkflowId: null });

    await advance(t, s(5) - 1);
    expect((await taskByRef(engine, id, 't2')).status).toBe('SCHEDULED');
    await advance(t, 1);
    const second = await taskByRef(engine, id, 't2');
    expect(second.status).toBe('IN_PROGRESS');
    expect(second.subWorkflowId).toBe(subWorkflowId(id, retry.taskId, 1));
    expect(second.subWorkflowId).not.toBe(first.subWorkflowId);

    await completeNext(engine, 'simple_task_in_sub_wf', { op: 'second' });
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:FAILED', 't2:COMPLETED']);
    expect(await engine.getWorkflow(id)).toMatchObject({ status: 'COMPLETED', output: { op: 'second' } });
  });

  it('holds the start back by startDelay', async () => {
    const t = await setup();
    await registerDefs(t.engine);
    await t.engine.registerWorkflowDef({
      name: 'delayed',
      version: 1,
      tasks: [
        {
          name: 'later',
          taskReferenceName: 'later',
          type: 'SUB_WORKFLOW',
          startDelay: 30,
          subWorkflowParam: { name: 'sub_wf_leaf', version: 1 },
        },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'delayed' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['later:SCHEDULED']);
    await advance(t, s(30) - 1);
    expect(await taskList(t.engine, id)).toEqual(['later:SCHEDULED']);
    await advance(t, 1);
    expect(await taskByRef(t.engine, id, 'later')).toMatchObject({
      status: 'IN_PROGRESS',
      startTime: T0 + s(30),
    });
  });
});

describe('SUB_WORKFLOW child id', () => {
  it('is derived like Conductor’s (Java UUID.nameUUIDFromBytes of subworkflow:<parent>:<task>:<retry>)', async () => {
    const { nameUuid } = await import('../../src/tasks/child-id.js');
    // Java: UUID.nameUUIDFromBytes("hello".getBytes(UTF_8)).toString()
    expect(nameUuid('hello')).toBe('5d41402a-bc4b-3a76-b971-9d911017c592');
    expect(subWorkflowId('p', 't', 0)).toBe(nameUuid('subworkflow:p:t:0'));
    expect(subWorkflowId('p', 't', 1)).not.toBe(subWorkflowId('p', 't', 0));
  });

  it('finds the child of a redone start instead of starting a second one', async () => {
    const { engine, clock } = await setup();
    await registerDefs(engine);
    const events = recordEvents(engine);
    const id = await startParent(engine, { subwf: 'sub_wf_leaf' });
    const parent = await engine.getWorkflow(id);
    const t2 = parent.tasks[1];
    const childId = t2.subWorkflowId as string;
    const started = () => events.filter((e) => e.name === 'workflow.started').length;
    expect(started()).toBe(2);

    // The engine's start with the child's fixed id returns the existing child.
    const again = await engine.startWorkflow({
      name: 'sub_wf_leaf',
      version: 1,
      input: {},
      workflowId: childId,
      parentWorkflowId: id,
      parentWorkflowTaskId: t2.taskId,
    } as Parameters<Engine['startWorkflow']>[0]);
    expect(again).toBe(childId);

    // Redoing the task's start (as after a crash before the parent's commit) attaches to that child.
    const redone = await subWorkflowTask.execute!(
      { ...t2, status: 'SCHEDULED', subWorkflowId: null, outputData: {}, startTime: 0 },
      engineContext(engine, parent, clock.now()),
    );
    expect(redone).toMatchObject({
      status: 'IN_PROGRESS',
      subWorkflowId: childId,
      outputData: { subWorkflowId: childId },
    });
    expect(started()).toBe(2);
    expect(await taskList(engine, childId)).toEqual(['leaf_t1:SCHEDULED']);
  });

  it('starts a fresh child when the one under the derived id has failed', async () => {
    const { engine, clock } = await setup();
    await registerDefs(engine);
    const id = await startParent(engine, { subwf: 'sub_wf_leaf' });
    await failNext(engine, 'simple_task_in_sub_wf', 'boom');
    const parent = await engine.getWorkflow(id);
    const t2 = parent.tasks[1];
    const failedChild = t2.subWorkflowId as string;

    const redone = await subWorkflowTask.execute!(
      { ...t2, status: 'SCHEDULED', subWorkflowId: null, outputData: {}, reasonForIncompletion: null },
      engineContext(engine, parent, clock.now()),
    );
    expect(redone?.status).toBe('IN_PROGRESS');
    const fresh = redone?.subWorkflowId as string;
    expect(fresh).not.toBe(failedChild);
    expect(await engine.getWorkflow(fresh)).toMatchObject({
      status: 'RUNNING',
      parentWorkflowId: id,
      parentWorkflowTaskId: t2.taskId,
    });
  });
});

/** Completes the child task waiting in the `green` domain. */
async function completeGreen(engine: Engine): Promise<void> {
  const task = await engine.pollTask('simple_task_in_sub_wf', { domain: 'green' });
  expect(task).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED' });
  await engine.idle();
}
