import { describe, expect, it } from 'vitest';
import { ConflictError, type Engine, type Task, type WorkflowTask } from '../../../src/index.js';
import { s, T0 } from '../../helpers/fixtures.js';
import { engineOn, failingCommitsOf } from './engine-on.js';
import { tempDbPath } from './temp-db.js';

// What the engine keeps besides timers survives a restart too: idempotency keys, event handlers, a pause,
// parent/child links, task domains and priorities. Every "process" is an engine stopped and its database
// closed before the next one opens the file.

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const taskLine = (t: Task) => `${t.referenceTaskName}:${t.status}`;

describe('sqlite: restart, state', () => {
  it('idempotency keys survive: FAIL refuses the key, RETURN_EXISTING returns the old id, FAIL_ON_RUNNING refuses while it runs', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'order',
      version: 1,
      tasks: [{ name: 'work', taskReferenceName: 'work', type: 'SIMPLE' }],
    });
    await first.engine.start();
    const original = await first.engine.startWorkflow({
      name: 'order',
      idempotencyKey: 'k-1',
      idempotencyStrategy: 'FAIL',
    });
    await first.close();

    const second = engineOn(path, T0 + s(60));
    await second.engine.start();
    const clash = await rejection(
      second.engine.startWorkflow({ name: 'order', idempotencyKey: 'k-1', idempotencyStrategy: 'FAIL' }),
    );
    expect(clash).toBeInstanceOf(ConflictError);
    expect(clash).toMatchObject({ existingWorkflowId: original });
    expect(
      await second.engine.startWorkflow({
        name: 'order',
        idempotencyKey: 'k-1',
        idempotencyStrategy: 'RETURN_EXISTING',
      }),
    ).toBe(original);
    const running = await rejection(
      second.engine.startWorkflow({
        name: 'order',
        idempotencyKey: 'k-1',
        idempotencyStrategy: 'FAIL_ON_RUNNING',
      }),
    );
    expect(running).toBeInstanceOf(ConflictError);
    expect((await second.engine.searchWorkflows({ workflowType: 'order' })).totalHits).toBe(1);
    // The key is per workflow name and per key: another key starts a new workflow.
    const other = await second.engine.startWorkflow({ name: 'order', idempotencyKey: 'k-2' });
    expect(other).not.toBe(original);
    expect(second.errors).toEqual([]);
  });

  it('event handlers survive and act: an EVENT task after a WAIT that ended while down starts a workflow; a published event completes a task', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'notifier',
      version: 1,
      tasks: [
        { name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '30s' } },
        {
          name: 'announce',
          taskReferenceName: 'announce',
          type: 'EVENT',
          sink: 'conductor:orders',
          inputParameters: { orderId: '${workflow.input.orderId}' },
        },
      ],
    });
    await first.engine.registerWorkflowDef({
      name: 'fulfil',
      version: 1,
      tasks: [{ name: 'hold', taskReferenceName: 'hold', type: 'HUMAN' }],
      outputParameters: { by: '${hold.output.by}' },
    });
    await first.engine.registerEventHandler({
      name: 'start_fulfilment',
      event: 'conductor:notifier:orders',
      active: true,
      actions: [
        {
          action: 'start_workflow',
          start_workflow: {
            name: 'fulfil',
            input: { orderId: '${orderId}' },
            correlationId: 'order-${orderId}',
          },
        },
      ],
    });
    await first.engine.registerEventHandler({
      name: 'release_fulfilment',
      event: 'conductor:release',
      active: true,
      actions: [
        {
          action: 'complete_task',
          complete_task: { workflowId: '${workflowId}', taskRefName: 'hold', output: { by: '${by}' } },
        },
      ],
    });
    await first.engine.start();
    const notifier = await first.engine.startWorkflow({ name: 'notifier', input: { orderId: 7 } });
    await first.engine.idle();
    await first.close();

    const second = engineOn(path, T0 + s(45));
    await second.engine.start();
    await second.engine.idle();
    const announced = await second.engine.waitForWorkflow(notifier, { timeoutMs: 5_000 });
    expect(announced.status).toBe('COMPLETED');
    expect(announced.tasks[1].outputData.event_produced).toBe('conductor:notifier:orders');
    const { results } = await second.engine.searchWorkflows({ workflowType: 'fulfil' });
    expect(results).toHaveLength(1);
    const fulfil = await second.engine.getWorkflow(results[0].workflowId);
    expect(fulfil).toMatchObject({
      status: 'RUNNING',
      correlationId: 'order-7',
      event: 'conductor:notifier:orders',
      startTime: T0 + s(45),
    });
    expect(fulfil.input).toMatchObject({ orderId: 7 });
    await second.close();

    // A third process: the other handler completes the HUMAN task.
    const third = engineOn(path, T0 + s(90));
    await third.engine.start();
    await third.engine.publishEvent('conductor:release', { workflowId: fulfil.workflowId, by: 'ada' });
    await third.engine.idle();
    const done = await third.engine.waitForWorkflow(fulfil.workflowId, { timeoutMs: 5_000 });
    expect(done).toMatchObject({ status: 'COMPLETED', output: { by: 'ada' }, endTime: T0 + s(90) });
    expect(second.errors).toEqual([]);
    expect(third.errors).toEqual([]);
  });

  it('a paused workflow stays paused across a restart, even past its WAIT, and goes on when resumed', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'pausable',
      version: 1,
      tasks: [
        { name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '30s' } },
        { name: 'after', taskReferenceName: 'after', type: 'SIMPLE' },
      ],
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'pausable' });
    await first.clock.advance(s(10));
    await first.engine.pauseWorkflow(id);
    await first.close();

    const second = engineOn(path, T0 + s(60));
    await second.engine.start();
    await second.engine.idle();
    await second.clock.advance(s(60));
    const paused = await second.engine.getWorkflow(id);
    expect(paused.status).toBe('PAUSED');
    expect(paused.tasks.map(taskLine)).toEqual(['pause:IN_PROGRESS']);

    await second.engine.resumeWorkflow(id);
    await second.engine.idle();
    const resumed = await second.engine.getWorkflow(id);
    expect(resumed.status).toBe('RUNNING');
    expect(resumed.tasks.map(taskLine)).toEqual(['pause:COMPLETED', 'after:SCHEDULED']);
    expect(resumed.tasks[0].endTime).toBe(T0 + s(120));
    const after = (await second.engine.pollTask('after'))!;
    await second.engine.updateTask({ taskId: after.taskId, status: 'COMPLETED' });
    expect((await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 })).status).toBe('COMPLETED');
    expect(second.errors).toEqual([]);
  });

  /** A parent whose SUB_WORKFLOW runs `child`; both on the same file. */
  async function defineParentAndChild(engine: Engine, childStep: WorkflowTask) {
    await engine.registerWorkflowDef({
      name: 'child',
      version: 1,
      tasks: [childStep],
      outputParameters: { result: '${workflow.input.n}' },
    });
    await engine.registerWorkflowDef({
      name: 'parent',
      version: 1,
      tasks: [
        {
          name: 'child',
          taskReferenceName: 'sub',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: { name: 'child', version: 1 },
          inputParameters: { n: '${workflow.input.n}' },
        },
      ],
      outputParameters: { result: '${sub.output.result}' },
    });
  }

  it("a child that ends after the restart (its WAIT lapsed while down) completes its parent's SUB_WORKFLOW task", async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await defineParentAndChild(first.engine, {
      name: 'pause',
      taskReferenceName: 'pause',
      type: 'WAIT',
      inputParameters: { duration: '30s' },
    });
    await first.engine.start();
    const parentId = await first.engine.startWorkflow({ name: 'parent', input: { n: 5 } });
    await first.engine.idle();
    const sub = (await first.engine.getWorkflow(parentId)).tasks[0];
    expect(sub.status).toBe('IN_PROGRESS');
    const childId = sub.subWorkflowId!;
    await first.close();

    const second = engineOn(path, T0 + s(45));
    await second.engine.start();
    await second.engine.idle();
    expect(await second.engine.getWorkflow(childId)).toMatchObject({
      status: 'COMPLETED',
      parentWorkflowId: parentId,
      endTime: T0 + s(45),
    });
    const parent = await second.engine.waitForWorkflow(parentId, { timeoutMs: 5_000 });
    expect(parent).toMatchObject({ status: 'COMPLETED', output: { result: 5 }, endTime: T0 + s(45) });
    expect(parent.tasks[0]).toMatchObject({
      status: 'COMPLETED',
      subWorkflowId: childId,
      endTime: T0 + s(45),
    });
    expect(second.errors).toEqual([]);
  });

  it("a child that ended just before the process died still completes its parent's SUB_WORKFLOW task after the restart", async () => {
    const path = tempDbPath();
    let doomed: string | null = null;
    const first = engineOn(path, T0, { wrapStore: (store) => failingCommitsOf(store, () => doomed) });
    await defineParentAndChild(first.engine, { name: 'ext', taskReferenceName: 'ext', type: 'SIMPLE' });
    await first.engine.start();
    const parentId = await first.engine.startWorkflow({ name: 'parent', input: { n: 5 } });
    await first.engine.idle();
    const childTask = (await first.engine.pollTask('ext'))!;
    const childId = childTask.workflowInstanceId;
    // The child's end commits; the process dies before the parent's decide can commit.
    doomed = parentId;
    await first.clock.advance(s(1));
    await first.engine.updateTask({ taskId: childTask.taskId, status: 'COMPLETED' });
    await first.engine.idle();
    expect((await first.engine.getWorkflow(childId)).status).toBe('COMPLETED');
    expect((await first.engine.getWorkflow(parentId)).tasks.map(taskLine)).toEqual(['sub:IN_PROGRESS']);
    await first.close();

    // Two minutes later: the dying process had leased the parent's wakeup (60 s), and that lease has lapsed.
    const second = engineOn(path, T0 + s(120));
    await second.engine.start();
    await second.engine.idle();
    const parent = await second.engine.waitForWorkflow(parentId, { timeoutMs: 1_000 });
    expect(parent).toMatchObject({ status: 'COMPLETED', output: { result: 5 }, endTime: T0 + s(120) });
    expect(parent.tasks[0]).toMatchObject({ status: 'COMPLETED', subWorkflowId: childId });
    expect(second.errors).toEqual([]);
  });

  it('a task queued in a domain, with a workflow priority, is polled from its domain queue, highest priority first', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'routed',
      version: 1,
      tasks: [{ name: 'work', taskReferenceName: 'work', type: 'SIMPLE' }],
    });
    await first.engine.start();
    const low = await first.engine.startWorkflow({
      name: 'routed',
      priority: 1,
      taskToDomain: { '*': 'blue' },
    });
    const high = await first.engine.startWorkflow({
      name: 'routed',
      priority: 90,
      taskToDomain: { '*': 'blue' },
    });
    const plain = await first.engine.startWorkflow({ name: 'routed', priority: 99 });
    await first.close();

    const second = engineOn(path, T0 + s(60));
    await second.engine.start();
    await second.engine.idle();
    expect(await second.engine.getQueueSizes(['work', 'blue:work'])).toEqual({ work: 1, 'blue:work': 2 });
    expect(await second.engine.pollTask('work', { domain: 'green' })).toBeNull();
    const polled = [
      await second.engine.pollTask('work', { domain: 'blue' }),
      await second.engine.pollTask('work', { domain: 'blue' }),
      await second.engine.pollTask('work', { domain: 'blue' }),
    ];
    expect(polled.map((t) => t && [t.workflowInstanceId, t.domain, t.workflowPriority])).toEqual([
      [high, 'blue', 90],
      [low, 'blue', 1],
      null,
    ]);
    const noDomain = (await second.engine.pollTask('work'))!;
    expect(noDomain).toMatchObject({ workflowInstanceId: plain, domain: null });
    expect(second.errors).toEqual([]);
  });
});
