import { describe, expect, it } from 'vitest';
import type { Task, WorkflowTask } from '../../src/index.js';
import { define, setup, simple, taskList } from '../helpers/engine.js';

function dynamicStep(overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return {
    name: 'dyn',
    taskReferenceName: 'dt',
    type: 'DYNAMIC',
    dynamicTaskNameParam: 'taskToExecute',
    inputParameters: { taskToExecute: '${workflow.input.task}', payload: '${workflow.input.payload}' },
    ...overrides,
  };
}

describe('DYNAMIC', () => {
  it('queues the task for the workers of the name found in its input', async () => {
    const t = await setup();
    await define(t.engine, 'dynamic_wf', [
      dynamicStep(),
      simple('after', { inputParameters: { result: '${dt.output.result}', type: '${dt.taskType}' } }),
    ]);
    const received: Task[] = [];
    t.engine.registerWorker('encode', async (task) => {
      received.push(task);
      return { outputData: { result: `encoded-${task.inputData.payload}` } };
    });
    t.engine.registerWorker('after', async () => ({}));
    const id = await t.engine.startWorkflow({ name: 'dynamic_wf', input: { task: 'encode', payload: 'x' } });
    const wf = await t.engine.waitForWorkflow(id);

    expect(wf.status).toBe('COMPLETED');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      taskType: 'encode',
      taskDefName: 'encode',
      referenceTaskName: 'dt',
      inputData: { taskToExecute: 'encode', payload: 'x' },
    });
    expect(wf.tasks[0].workflowTask).toMatchObject({
      name: 'encode',
      type: 'DYNAMIC',
      taskReferenceName: 'dt',
    });
    expect(wf.tasks[1].inputData).toEqual({ result: 'encoded-x', type: 'encode' });
  });

  it('is polled under the resolved name by external workers, in its domain', async () => {
    const t = await setup();
    await define(t.engine, 'dynamic_wf', [dynamicStep()]);
    const id = await t.engine.startWorkflow({
      name: 'dynamic_wf',
      input: { task: 'resize' },
      taskToDomain: { resize: 'gpu' },
    });
    expect(await t.engine.getQueueSizes(['gpu:resize', 'resize', 'dyn', 'DYNAMIC'])).toEqual({
      'gpu:resize': 1,
      resize: 0,
      dyn: 0,
      DYNAMIC: 0,
    });
    expect(await t.engine.pollTask('resize')).toBeNull();
    const task = await t.engine.pollTask('resize', { domain: 'gpu' });
    expect(task).toMatchObject({ taskType: 'resize', domain: 'gpu', status: 'IN_PROGRESS' });
    await t.engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED', outputData: { ok: true } });
    expect((await t.engine.waitForWorkflow(id)).output).toEqual({ ok: true });
  });

  it('takes the name from an earlier task output and stringifies it', async () => {
    const t = await setup();
    await define(t.engine, 'chooser', [
      simple('choose'),
      dynamicStep({ inputParameters: { taskToExecute: '${choose.output.version}' } }),
    ]);
    t.engine.registerWorker('choose', async () => ({ outputData: { version: 2 } }));
    const id = await t.engine.startWorkflow({ name: 'chooser' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['choose:COMPLETED', 'dt:SCHEDULED']);
    expect(await t.engine.getQueueSizes(['2'])).toEqual({ '2': 1 });
  });

  it('retries with the TaskDef of the DYNAMIC step, keeping the resolved name', async () => {
    const t = await setup();
    await define(t.engine, 'dynamic_wf', [dynamicStep()], {
      taskDefs: [{ name: 'dyn', retryCount: 1, retryDelaySeconds: 0, responseTimeoutSeconds: 30 }],
    });
    let calls = 0;
    t.engine.registerWorker('encode', async () => {
      calls++;
      if (calls === 1) throw new Error('flaky');
      return { outputData: { n: calls } };
    });
    const id = await t.engine.startWorkflow({ name: 'dynamic_wf', input: { task: 'encode' } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.taskType, x.status, x.retryCount])).toEqual([
      ['encode', 'FAILED', 0],
      ['encode', 'COMPLETED', 1],
    ]);
    expect(wf.tasks[0].responseTimeoutSeconds).toBe(30);
  });

  it('fails the workflow with a clear reason when the name is missing, creating no task', async () => {
    const t = await setup();
    await define(t.engine, 'dynamic_wf', [dynamicStep(), simple('after')]);
    const id = await t.engine.startWorkflow({ name: 'dynamic_wf', input: { payload: 1 } });
    const wf = await t.engine.waitForWorkflow(id);
    // Conductor's mapper throws a TerminateWorkflowException: no task, the workflow fails with its message.
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks).toHaveLength(0);
    expect(wf.reasonForIncompletion).toBe(
      'Cannot map a dynamic task based on the parameter and input. Parameter= taskToExecute, input= {"taskToExecute":null,"payload":1}',
    );
    expect(await t.engine.getQueueSizes()).toEqual({});
  });
});
