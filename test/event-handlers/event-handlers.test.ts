import { describe, expect, it } from 'vitest';
import { ConflictError, type Engine, type EventHandler, NotFoundError } from '../../src/index.js';
import { define, setup, simple, taskList, tasksOf } from '../helpers/engine.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function onlyWorkflowOf(engine: Engine, workflowType: string) {
  const { results } = await engine.searchWorkflows({ workflowType });
  expect(results).toHaveLength(1);
  return engine.getWorkflow(results[0].workflowId);
}

const waitStep = { name: 'hold', taskReferenceName: 'hold', type: 'WAIT' } as const;

describe('event handler registration', () => {
  const handler: EventHandler = {
    name: 'h1',
    event: 'conductor:orders',
    active: true,
    actions: [{ action: 'start_workflow', start_workflow: { name: 'order' } }],
  };

  it('registers, lists (all or by event) and removes handlers', async () => {
    const { engine } = await setup();
    await engine.registerEventHandler(handler);
    await engine.registerEventHandler({ ...handler, name: 'h2', event: 'sqs:other' });
    expect((await engine.listEventHandlers()).map((h) => h.name).sort()).toEqual(['h1', 'h2']);
    expect(await engine.listEventHandlers('conductor:orders')).toEqual([handler]);
    await engine.removeEventHandler('h1');
    expect((await engine.listEventHandlers()).map((h) => h.name)).toEqual(['h2']);
    expect(await rejection(engine.removeEventHandler('h1'))).toBeInstanceOf(NotFoundError);
  });

  it('refuses an existing name unless overwrite, and keeps its own copy', async () => {
    const { engine } = await setup();
    const mine = structuredClone(handler);
    await engine.registerEventHandler(mine);
    mine.event = 'changed';
    expect((await engine.listEventHandlers())[0].event).toBe('conductor:orders');
    expect(await rejection(engine.registerEventHandler(handler))).toBeInstanceOf(ConflictError);
    await engine.registerEventHandler({ ...handler, active: false }, { overwrite: true });
    expect((await engine.listEventHandlers())[0].active).toBe(false);
  });

  it('rejects malformed handlers with paths', async () => {
    const { engine } = await setup();
    const error = await rejection(
      engine.registerEventHandler({
        name: '',
        event: 'e',
        actions: [
          { action: 'terminate_workflow' as 'start_workflow' },
          { action: 'start_workflow', start_workflow: { name: '' } },
          { action: 'complete_task', complete_task: { taskRefName: 'x' } },
          { action: 'fail_task' },
        ],
      }),
    );
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'name',
      'actions[0].action',
      'actions[1].start_workflow.name',
      'actions[2].complete_task',
      'actions[3].fail_task',
    ]);
    const empty = await rejection(engine.registerEventHandler({ name: 'x', event: 'e', actions: [] }));
    expect(empty).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'actions' }] });
  });
});

describe('event handler actions', () => {
  it('start_workflow: starts a workflow with the payload-resolved input and correlation id', async () => {
    const { engine } = await setup();
    await define(engine, 'order', [simple('work')]);
    await engine.registerEventHandler({
      name: 'start-order',
      event: 'conductor:orders',
      active: true,
      actions: [
        {
          action: 'start_workflow',
          start_workflow: {
            name: 'order',
            version: 1,
            correlationId: '${customer.id}',
            input: { orderId: '${orderId}', label: 'order-${orderId}', all: '${$.items}' },
            taskToDomain: { '*': 'blue' },
          },
        },
      ],
    });
    await engine.publishEvent('conductor:orders', { orderId: 7, customer: { id: 'c-9' }, items: [1, 2] });
    await engine.idle();
    const wf = await onlyWorkflowOf(engine, 'order');
    expect(wf.input).toEqual({
      orderId: 7,
      label: 'order-7',
      all: [1, 2],
      'conductor.event.messageId': expect.any(String),
      'conductor.event.name': 'conductor:orders',
    });
    expect(wf).toMatchObject({
      correlationId: 'c-9',
      event: 'conductor:orders',
      taskToDomain: { '*': 'blue' },
    });
    expect(wf.tasks[0].domain).toBe('blue');
  });

  it('complete_task: completes a WAIT task found by workflowId + taskRefName; the workflow goes on', async () => {
    const { engine } = await setup();
    await define(engine, 'held', [waitStep, simple('after', { inputParameters: { v: '${hold.output.v}' } })]);
    await engine.registerEventHandler({
      name: 'release',
      event: 'conductor:release',
      active: true,
      actions: [
        {
          action: 'complete_task',
          complete_task: { workflowId: '${wfId}', taskRefName: 'hold', output: { v: '${value}', fixed: 1 } },
        },
      ],
    });
    const id = await engine.startWorkflow({ name: 'held' });
    await engine.publishEvent('conductor:release', { wfId: id, value: 'go' });
    await engine.idle();
    expect(await taskList(engine, id)).toEqual(['hold:COMPLETED', 'after:SCHEDULED']);
    const [hold, after] = await tasksOf(engine, id);
    expect(hold.outputData).toEqual({
      workflowId: id,
      taskId: null,
      taskRefName: 'hold',
      v: 'go',
      fixed: 1,
      'conductor.event.messageId': expect.any(String),
      'conductor.event.name': 'conductor:release',
    });
    expect(after.inputData).toEqual({ v: 'go' });
  });

  it('complete_task by taskId', async () => {
    const { engine } = await setup();
    await define(engine, 'held', [waitStep]);
    await engine.registerEventHandler({
      name: 'by-id',
      event: 'ev',
      active: true,
      actions: [{ action: 'complete_task', complete_task: { taskId: '${task}' } }],
    });
    const id = await engine.startWorkflow({ name: 'held' });
    const [hold] = await tasksOf(engine, id);
    await engine.publishEvent('ev', { task: hold.taskId });
    await engine.idle();
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('fail_task: fails the task with the resolved reason; the workflow fails', async () => {
    const { engine } = await setup();
    await define(engine, 'held', [{ name: 'approve', taskReferenceName: 'approve', type: 'HUMAN' }]);
    await engine.registerEventHandler({
      name: 'reject',
      event: 'conductor:reject',
      active: true,
      actions: [
        {
          action: 'fail_task',
          fail_task: {
            workflowId: '${workflowId}',
            taskRefName: 'approve',
            output: { by: '${who}' },
            reasonForIncompletion: 'rejected by ${who}',
          },
        },
      ],
    });
    const id = await engine.startWorkflow({ name: 'held' });
    await engine.publishEvent('conductor:reject', { workflowId: id, who: 'bob' });
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks[0]).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: 'rejected by bob',
      outputData: { by: 'bob' },
    });
  });

  it('runs the actions only when the condition holds (javascript, value-param), and only when active', async () => {
    const { engine } = await setup();
    await define(engine, 'order', [simple('work')]);
    const start = {
      action: 'start_workflow',
      start_workflow: { name: 'order', input: { tag: '${tag}' } },
    } as const;
    await engine.registerEventHandler({
      name: 'js',
      event: 'ev',
      active: true,
      condition: '$.amount > 100 && $.currency === "EUR"',
      actions: [{ ...start, start_workflow: { ...start.start_workflow, input: { tag: 'js-${tag}' } } }],
    });
    await engine.registerEventHandler({
      name: 'param',
      event: 'ev',
      active: true,
      evaluatorType: 'value-param',
      condition: 'urgent',
      actions: [{ ...start, start_workflow: { ...start.start_workflow, input: { tag: 'param-${tag}' } } }],
    });
    await engine.registerEventHandler({ name: 'off', event: 'ev', active: false, actions: [start] });
    await engine.registerEventHandler({ name: 'default-inactive', event: 'ev', actions: [start] });

    await engine.publishEvent('ev', { tag: 'a', amount: 150, currency: 'EUR', urgent: false });
    await engine.publishEvent('ev', { tag: 'b', amount: 50, currency: 'EUR', urgent: true });
    await engine.publishEvent('ev', { tag: 'c', amount: 500, currency: 'USD', urgent: 0 });
    await engine.publishEvent('other', { tag: 'd', amount: 500, currency: 'EUR', urgent: true });
    await engine.idle();
    const { results } = await engine.searchWorkflows({ workflowType: 'order' });
    const tags = await Promise.all(
      results.map(async (r) => (await engine.getWorkflow(r.workflowId)).input.tag),
    );
    expect(tags.sort()).toEqual(['js-a', 'param-b']);
  });

  it('reports a failing action and still runs the next ones', async () => {
    const t = await setup();
    await define(t.engine, 'order', [simple('work')]);
    await t.engine.registerEventHandler({
      name: 'two',
      event: 'ev',
      active: true,
      actions: [
        { action: 'start_workflow', start_workflow: { name: 'no_such_workflow' } },
        { action: 'complete_task', complete_task: { workflowId: 'nope', taskRefName: 'x' } },
        { action: 'start_workflow', start_workflow: { name: 'order' } },
      ],
    });
    await t.engine.publishEvent('ev', {});
    await t.engine.idle();
    expect((await t.engine.searchWorkflows({ workflowType: 'order' })).totalHits).toBe(1);
    expect(t.errors.map((e) => e[0])).toEqual([
      expect.stringContaining('action 0 (start_workflow) of event handler two'),
      expect.stringContaining('action 1 (complete_task) of event handler two'),
    ]);
  });

  it('reports a condition that throws and skips that handler only', async () => {
    const t = await setup();
    await define(t.engine, 'order', [simple('work')]);
    const start = { action: 'start_workflow', start_workflow: { name: 'order' } } as const;
    await t.engine.registerEventHandler({
      name: 'broken',
      event: 'ev',
      active: true,
      condition: '$.missing.deep === 1',
      actions: [start],
    });
    await t.engine.registerEventHandler({ name: 'fine', event: 'ev', active: true, actions: [start] });
    await t.engine.publishEvent('ev', {});
    await t.engine.idle();
    expect((await t.engine.searchWorkflows({ workflowType: 'order' })).totalHits).toBe(1);
    expect(t.errors).toHaveLength(1);
    expect(t.errors[0][0]).toContain('condition of event handler broken');
  });
});

describe('EVENT task feeding event handlers', () => {
  it('an EVENT task in one workflow completes a HUMAN task in another through a handler', async () => {
    const { engine } = await setup();
    await define(engine, 'approval', [
      { name: 'approve', taskReferenceName: 'approve', type: 'HUMAN' },
      simple('ship', { inputParameters: { decision: '${approve.output.decision}' } }),
    ]);
    await define(engine, 'notifier', [
      {
        name: 'notify',
        taskReferenceName: 'notify',
        type: 'EVENT',
        sink: 'conductor:approvals',
        inputParameters: { target: '${workflow.input.target}', decision: '${workflow.input.decision}' },
      },
    ]);
    await engine.registerEventHandler({
      name: 'approve-from-event',
      event: 'conductor:notifier:approvals',
      active: true,
      condition: '$.decision === "yes"',
      actions: [
        {
          action: 'complete_task',
          complete_task: {
            workflowId: '${target}',
            taskRefName: 'approve',
            output: { decision: '${decision}', from: '${workflowInstanceId}' },
          },
        },
      ],
    });
    const target = await engine.startWorkflow({ name: 'approval' });
    const skipped = await engine.startWorkflow({ name: 'notifier', input: { target, decision: 'no' } });
    await engine.idle();
    expect(await taskList(engine, target)).toEqual(['approve:IN_PROGRESS']);
    const notifier = await engine.startWorkflow({ name: 'notifier', input: { target, decision: 'yes' } });
    await engine.idle();
    expect((await engine.getWorkflow(skipped)).status).toBe('COMPLETED');
    expect((await engine.getWorkflow(notifier)).status).toBe('COMPLETED');
    expect(await taskList(engine, target)).toEqual(['approve:COMPLETED', 'ship:SCHEDULED']);
    const [approve, ship] = await tasksOf(engine, target);
    expect(approve.outputData).toMatchObject({ decision: 'yes', from: notifier });
    expect(ship.inputData).toEqual({ decision: 'yes' });
  });

  it('an EVENT task can release a WAIT task of its own workflow (no deadlock)', async () => {
    const { engine } = await setup();
    await define(engine, 'self', [
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [
          [waitStep],
          [{ name: 'signal', taskReferenceName: 'signal', type: 'EVENT', sink: 'conductor' }],
        ],
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['hold', 'signal'] },
    ]);
    await engine.registerEventHandler({
      name: 'self-release',
      event: 'conductor:self:signal',
      active: true,
      actions: [
        {
          action: 'complete_task',
          complete_task: { workflowId: '${workflowInstanceId}', taskRefName: 'hold' },
        },
      ],
    });
    const id = await engine.startWorkflow({ name: 'self' });
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'hold:COMPLETED',
      'signal:COMPLETED',
      'join:COMPLETED',
    ]);
  });
});
