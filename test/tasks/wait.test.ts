import { describe, expect, it } from 'vitest';
import type { Engine, Task, WorkflowDef } from '../../src/index.js';
import { advance, define, s, setup, T0, taskList, tasksOf } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

async function register(engine: Engine, file: string): Promise<WorkflowDef> {
  const def = loadWorkflowDef(file);
  await engine.registerWorkflowDef(def);
  return def;
}

async function taskByRef(engine: Engine, workflowId: string, ref: string): Promise<Task> {
  const task = (await tasksOf(engine, workflowId)).find((t) => t.referenceTaskName === ref);
  if (!task) throw new Error(`no task ${ref}`);
  return task;
}

describe('WAIT with a duration', () => {
  it('is IN_PROGRESS until exactly the end of the duration, then completes and the workflow moves on', async () => {
    const t = await setup();
    await register(t.engine, 'wait-duration.json');
    const id = await t.engine.startWorkflow({ name: 'wait_duration_wf', input: { duration: '10s' } });
    await t.engine.idle();
    expect(await taskByRef(t.engine, id, 'wait0')).toMatchObject({
      taskType: 'WAIT',
      status: 'IN_PROGRESS',
      inputData: { duration: '10s' },
      startTime: T0,
      callbackAfterSeconds: 10,
    });

    await advance(t, s(10) - 1);
    expect(await taskList(t.engine, id)).toEqual(['wait0:IN_PROGRESS']);

    await advance(t, 1);
    const wait = await taskByRef(t.engine, id, 'wait0');
    expect(wait).toMatchObject({ status: 'COMPLETED', endTime: T0 + s(10) });
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
    expect((await taskByRef(t.engine, id, 't1')).inputData).toEqual({ waited: 'COMPLETED' });
  });

  it('accepts the longer duration forms ("1d 2h 3m 4s")', async () => {
    const t = await setup();
    await register(t.engine, 'wait-duration.json');
    const id = await t.engine.startWorkflow({ name: 'wait_duration_wf', input: { duration: '1d 2h 3m 4s' } });
    const total = s(86_400 + 2 * 3_600 + 3 * 60 + 4);
    await advance(t, total - 1);
    expect((await taskByRef(t.engine, id, 'wait0')).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    expect((await taskByRef(t.engine, id, 'wait0')).endTime).toBe(T0 + total);
  });

  it('completes at once for a zero duration', async () => {
    const t = await setup();
    await register(t.engine, 'wait-duration.json');
    const id = await t.engine.startWorkflow({ name: 'wait_duration_wf', input: { duration: '0s' } });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
  });

  it('fails for good when the resolved duration does not parse', async () => {
    const t = await setup();
    await register(t.engine, 'wait-duration.json');
    const id = await t.engine.startWorkflow({ name: 'wait_duration_wf', input: { duration: 'soon' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'wait0:FAILED_WITH_TERMINAL_ERROR',
    ]);
    expect(wf.tasks[0].reasonForIncompletion).toBe('Not valid duration: soon');
  });
});

describe('WAIT until a time', () => {
  // T0 is 2023-11-14T22:13:20Z.
  it('completes at exactly that instant (UTC without a zone)', async () => {
    const t = await setup();
    await register(t.engine, 'wait-until.json');
    const id = await t.engine.startWorkflow({ name: 'wait_until_wf', input: { until: '2023-11-14 22:15' } });
    const at = Date.UTC(2023, 10, 14, 22, 15);
    await t.engine.idle();
    expect(await taskByRef(t.engine, id, 'wait0')).toMatchObject({
      status: 'IN_PROGRESS',
      callbackAfterSeconds: (at - T0) / 1000,
    });
    await advance(t, at - T0 - 1);
    expect((await taskByRef(t.engine, id, 'wait0')).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    expect(await taskByRef(t.engine, id, 'wait0')).toMatchObject({ status: 'COMPLETED', endTime: at });
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
  });

  it('reads a zone', async () => {
    const t = await setup();
    await register(t.engine, 'wait-until.json');
    const id = await t.engine.startWorkflow({
      name: 'wait_until_wf',
      input: { until: '2023-11-14 23:30 CET' },
    });
    const at = Date.UTC(2023, 10, 14, 22, 30);
    await advance(t, at - T0 - 1);
    expect((await taskByRef(t.engine, id, 'wait0')).status).toBe('IN_PROGRESS');
    await advance(t, 1);
    expect((await taskByRef(t.engine, id, 'wait0')).endTime).toBe(at);
  });

  it('completes at once when the time has passed', async () => {
    const t = await setup();
    await register(t.engine, 'wait-until.json');
    const id = await t.engine.startWorkflow({ name: 'wait_until_wf', input: { until: '2023-11-01' } });
    await t.engine.idle();
    expect(await taskByRef(t.engine, id, 'wait0')).toMatchObject({
      status: 'COMPLETED',
      callbackAfterSeconds: 0,
      endTime: T0,
    });
  });

  it('fails for good on a date it cannot read', async () => {
    const t = await setup();
    await register(t.engine, 'wait-until.json');
    const id = await t.engine.startWorkflow({ name: 'wait_until_wf', input: { until: 'tomorrow' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks[0]).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'Invalid/Unsupported Wait Until format.  Provided: tomorrow',
    });
    expect(wf.reasonForIncompletion).toContain('Invalid/Unsupported Wait Until format');
  });
});

describe('WAIT with both or neither input', () => {
  it('fails for good when both duration and until are given', async () => {
    const t = await setup();
    // Registration refuses both keys in inputParameters; a TaskDef inputTemplate can still bring the second.
    await define(t.engine, 'both', [
      {
        name: 'wait',
        taskReferenceName: 'w',
        type: 'WAIT',
        inputParameters: { duration: '${workflow.input.d}' },
        taskDefinition: { name: 'wait', inputTemplate: { until: '2030-01-01' } },
      },
    ]);
    const id = await t.engine.startWorkflow({ name: 'both', input: { d: '5s' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks[0]).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: "Both 'duration' and 'until' specified. Please provide only one input",
    });
  });

  it('ignores blank values', async () => {
    const t = await setup();
    await define(t.engine, 'blank', [
      { name: 'wait', taskReferenceName: 'w', type: 'WAIT', inputParameters: { duration: '2s', until: ' ' } },
    ]);
    const id = await t.engine.startWorkflow({ name: 'blank' });
    await advance(t, s(2));
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('waits forever without either, until updateTask completes it (SET_VARIABLE + WAIT scenario)', async () => {
    const t = await setup();
    await register(t.engine, 'wait-signal.json');
    t.engine.registerWorker('simple', async () => ({ outputData: { value: 'v1' } }));
    const id = await t.engine.startWorkflow({ name: 'wait_signal_wf' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual([
      'simple:COMPLETED',
      'set_var:COMPLETED',
      'wait:IN_PROGRESS',
    ]);
    expect((await t.engine.getWorkflow(id)).variables).toEqual({ var: 'v1' });

    await advance(t, s(30 * 86_400));
    const wait = await taskByRef(t.engine, id, 'wait');
    expect(wait).toMatchObject({ status: 'IN_PROGRESS', callbackAfterSeconds: 2_147_483_647 });

    // An IN_PROGRESS update keeps a system task waiting.
    await t.engine.updateTask({ taskId: wait.taskId, status: 'IN_PROGRESS' });
    expect((await taskByRef(t.engine, id, 'wait')).status).toBe('IN_PROGRESS');

    await t.engine.updateTask({
      taskId: wait.taskId,
      workflowInstanceId: id,
      status: 'COMPLETED',
      outputData: { approvedBy: 'ada' },
    });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ variables: { var: 'v1' }, approvedBy: 'ada' });
    expect(wf.tasks.map((x) => x.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
  });

  it('can be completed early by updateTask while a duration is running', async () => {
    const t = await setup();
    await register(t.engine, 'wait-duration.json');
    const id = await t.engine.startWorkflow({ name: 'wait_duration_wf', input: { duration: '1h' } });
    await advance(t, s(60));
    const wait = await taskByRef(t.engine, id, 'wait0');
    await t.engine.updateTask({ taskId: wait.taskId, status: 'COMPLETED' });
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
    expect((await taskByRef(t.engine, id, 'wait0')).endTime).toBe(T0 + s(60));
    // The wakeup at the old end changes nothing.
    await advance(t, s(3_600));
    expect(await taskList(t.engine, id)).toEqual(['wait0:COMPLETED', 't1:SCHEDULED']);
  });

  it('times out under an embedded TaskDef and is retried after the retry delay (WaitTaskSpec)', async () => {
    const t = await setup();
    await define(t.engine, 'test_wait_timeout', [
      {
        name: 'waitTimeout',
        taskReferenceName: 'wait0',
        type: 'WAIT',
        taskDefinition: {
          name: 'waitTimeout',
          retryCount: 1,
          timeoutSeconds: 2,
          responseTimeoutSeconds: 2,
          timeoutPolicy: 'RETRY',
          retryDelaySeconds: 10,
        },
      },
      { name: 'integration_task_1', taskReferenceName: 't1', type: 'SIMPLE' },
    ]);
    const id = await t.engine.startWorkflow({ name: 'test_wait_timeout' });
    await advance(t, s(2) - 1);
    expect(await taskList(t.engine, id)).toEqual(['wait0:IN_PROGRESS']);
    await advance(t, 1);
    expect(await taskList(t.engine, id)).toEqual(['wait0:TIMED_OUT', 'wait0:SCHEDULED']);
    const copy = (await tasksOf(t.engine, id))[1];
    expect(copy).toMatchObject({ retryCount: 1, callbackAfterSeconds: 10, scheduledTime: T0 + s(2) });

    await advance(t, s(10) - 1);
    expect(await taskList(t.engine, id)).toEqual(['wait0:TIMED_OUT', 'wait0:SCHEDULED']);
    await advance(t, 1);
    expect(await taskList(t.engine, id)).toEqual(['wait0:TIMED_OUT', 'wait0:IN_PROGRESS']);

    await t.engine.updateTask({ taskId: copy.taskId, status: 'COMPLETED' });
    expect(await taskList(t.engine, id)).toEqual(['wait0:TIMED_OUT', 'wait0:COMPLETED', 't1:SCHEDULED']);
  });
});
