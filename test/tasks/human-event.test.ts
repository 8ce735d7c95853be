import { describe, expect, it, vi } from 'vitest';
import type { Engine, Task, WorkflowTask } from '../../src/index.js';
import { advance, define, s, setup, simple, T0, taskList, tasksOf } from '../helpers/engine.js';

async function taskByRef(engine: Engine, workflowId: string, ref: string): Promise<Task> {
  const task = (await tasksOf(engine, workflowId)).find((t) => t.referenceTaskName === ref);
  if (!task) throw new Error(`no task ${ref}`);
  return task;
}

/** Records what EVENT tasks hand to the engine's event bus (there is no public subscribe API yet). */
function recordPublished(engine: Engine) {
  return vi.spyOn(engine, 'publishEvent');
}

function eventStep(sink: string, overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return { name: 'eventX', taskReferenceName: 'wait0', type: 'EVENT', sink, ...overrides };
}

describe('HUMAN', () => {
  it('stays IN_PROGRESS through time and decides until updateTask completes it', async () => {
    const t = await setup();
    await define(t.engine, 'approval', [
      {
        name: 'approve',
        taskReferenceName: 'approve',
        type: 'HUMAN',
        inputParameters: { amount: '${workflow.input.amount}' },
      },
      simple('ship', { inputParameters: { approver: '${approve.output.by}' } }),
    ]);
    const id = await t.engine.startWorkflow({ name: 'approval', input: { amount: 5 } });
    await t.engine.idle();
    const human = await taskByRef(t.engine, id, 'approve');
    expect(human).toMatchObject({
      taskType: 'HUMAN',
      status: 'IN_PROGRESS',
      inputData: { amount: 5 },
      startTime: T0,
      responseTimeoutSeconds: 0,
    });

    await advance(t, s(7 * 86_400));
    await t.engine.updateTask({ taskId: human.taskId, status: 'IN_PROGRESS', outputData: { seen: true } });
    expect(await taskByRef(t.engine, id, 'approve')).toMatchObject({
      status: 'IN_PROGRESS',
      outputData: { seen: true },
    });

    await t.engine.updateTask({ taskId: human.taskId, status: 'COMPLETED', outputData: { by: 'ada' } });
    expect(await taskList(t.engine, id)).toEqual(['approve:COMPLETED', 'ship:SCHEDULED']);
    expect((await taskByRef(t.engine, id, 'ship')).inputData).toEqual({ approver: 'ada' });
  });

  it('fails the workflow when the human rejects it', async () => {
    const t = await setup();
    await define(t.engine, 'approval', [{ name: 'approve', taskReferenceName: 'approve', type: 'HUMAN' }]);
    const id = await t.engine.startWorkflow({ name: 'approval' });
    const human = await taskByRef(t.engine, id, 'approve');
    await t.engine.updateTask({ taskId: human.taskId, status: 'FAILED', reasonForIncompletion: 'rejected' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.reasonForIncompletion).toContain("reason: 'rejected'");
  });
});

describe('EVENT', () => {
  it('publishes its output to conductor:<workflow>:<ref> and completes (EventTaskSpec)', async () => {
    const t = await setup();
    const published = recordPublished(t.engine);
    await define(t.engine, 'test_event_workflow', [
      eventStep('conductor', { inputParameters: { orderId: '${workflow.input.orderId}' } }),
      simple('integration_task_1', { taskReferenceName: 't1' }),
    ]);
    const id = await t.engine.startWorkflow({
      name: 'test_event_workflow',
      input: { orderId: 7 },
      correlationId: 'c-1',
    });
    await t.engine.idle();

    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
    const event = await taskByRef(t.engine, id, 'wait0');
    const expected = {
      orderId: 7,
      sink: 'conductor',
      asyncComplete: false,
      workflowInstanceId: id,
      workflowType: 'test_event_workflow',
      workflowVersion: 1,
      correlationId: 'c-1',
      taskToDomain: {},
      event_produced: 'conductor:test_event_workflow:wait0',
    };
    expect(event.inputData).toEqual({ orderId: 7, sink: 'conductor', asyncComplete: false });
    expect(event.outputData).toEqual(expected);
    expect(event).toMatchObject({ taskType: 'EVENT', startTime: T0, endTime: T0 });
    expect(published).toHaveBeenCalledTimes(1);
    expect(published).toHaveBeenCalledWith('conductor:test_event_workflow:wait0', expected);
  });

  it('names the event from the sink: conductor:X, other queues, and an expression', async () => {
    const t = await setup();
    const published = recordPublished(t.engine);
    await define(t.engine, 'sinks', [
      eventStep('conductor:approvals', { taskReferenceName: 'e1' }),
      eventStep('sqs:orders', { taskReferenceName: 'e2' }),
      eventStep('${workflow.input.sink}', { taskReferenceName: 'e3' }),
    ]);
    const id = await t.engine.startWorkflow({ name: 'sinks', input: { sink: 'conductor:dynamic' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(published.mock.calls.map(([event]) => event)).toEqual([
      'conductor:sinks:approvals',
      'sqs:orders',
      'conductor:sinks:dynamic',
    ]);
    expect(wf.tasks[2].inputData.sink).toBe('conductor:dynamic');
  });

  it('fails on an unsupported conductor sink without publishing', async () => {
    const t = await setup();
    const published = recordPublished(t.engine);
    await define(t.engine, 'bad_sink', [eventStep('${workflow.input.sink}')]);
    const id = await t.engine.startWorkflow({ name: 'bad_sink', input: { sink: 'conductorX' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks[0]).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: 'Invalid / Unsupported sink specified: conductorX',
    });
    expect(published).not.toHaveBeenCalled();
  });

  it('fails with the error when publishing throws', async () => {
    const t = await setup();
    recordPublished(t.engine).mockRejectedValueOnce(new Error('bus down'));
    await define(t.engine, 'bus_down', [eventStep('conductor')]);
    const id = await t.engine.startWorkflow({ name: 'bus_down' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.tasks[0]).toMatchObject({ status: 'FAILED', reasonForIncompletion: 'bus down' });
    expect(wf.status).toBe('FAILED');
  });

  it('stays IN_PROGRESS after publishing when asyncComplete, until updateTask completes it', async () => {
    const t = await setup();
    const published = recordPublished(t.engine);
    await define(t.engine, 'async_event', [
      eventStep('conductor', { asyncComplete: true }),
      simple('integration_task_1', { taskReferenceName: 't1' }),
    ]);
    const id = await t.engine.startWorkflow({ name: 'async_event' });
    await advance(t, s(3_600));
    const event = await taskByRef(t.engine, id, 'wait0');
    expect(event).toMatchObject({ status: 'IN_PROGRESS', inputData: { asyncComplete: true } });
    expect(event.outputData.event_produced).toBe('conductor:async_event:wait0');
    // Published once, not again on later decides.
    expect(published).toHaveBeenCalledTimes(1);

    await t.engine.updateTask({ taskId: event.taskId, status: 'COMPLETED', outputData: { ack: true } });
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
    expect((await taskByRef(t.engine, id, 'wait0')).outputData).toEqual({ ack: true });
  });
});
