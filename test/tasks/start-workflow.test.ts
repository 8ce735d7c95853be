import { describe, expect, it } from 'vitest';
import type { Engine, WorkflowDef } from '../../src/index.js';
import { setup, T0, taskList } from '../helpers/engine.js';
import { fixture, taskByRef } from '../helpers/sub-workflow.js';

/** The started workflow of StartWorkflowSpec: two worker steps reading the workflow input. */
const TARGET: WorkflowDef = {
  name: 'started_wf',
  version: 1,
  tasks: [
    {
      name: 'integration_task_1',
      taskReferenceName: 't1',
      type: 'SIMPLE',
      inputParameters: { tp1: '${workflow.input.param1}', tp2: '${workflow.input.param2}' },
    },
    { name: 'integration_task_2', taskReferenceName: 't2', type: 'SIMPLE' },
  ],
};

async function starterEngine() {
  const t = await setup();
  await t.engine.registerWorkflowDef(fixture('sub-workflow-starter'));
  await t.engine.registerWorkflowDef(TARGET);
  return t;
}

/** Starts the starter workflow with `startWorkflow` as its request and lets it settle. */
async function startStarter(engine: Engine, startWorkflow: unknown, extra: Record<string, unknown> = {}) {
  const id = await engine.startWorkflow({
    name: 'starts_another_workflow',
    input: startWorkflow === undefined ? {} : { startWorkflow },
    correlationId: 'starter-corr',
    taskToDomain: { '*': 'blue' },
    ...extra,
  });
  await engine.idle();
  return id;
}

describe('START_WORKFLOW', () => {
  it('starts a workflow by name and completes at once with its id; the two run independently', async () => {
    const { engine } = await starterEngine();
    const id = await startStarter(engine, {
      name: 'started_wf',
      version: 1,
      input: { param1: 'value1', param2: 'value2' },
    });

    const st = await taskByRef(engine, id, 'st');
    const startedId = st.outputData.workflowId as string;
    expect(st).toMatchObject({ taskType: 'START_WORKFLOW', status: 'COMPLETED', startTime: T0, endTime: T0 });
    expect(st.outputData).toEqual({ workflowId: startedId });
    expect(await taskList(engine, id)).toEqual(['st:COMPLETED', 'after:SCHEDULED']);
    expect((await taskByRef(engine, id, 'after')).inputData).toEqual({ started: startedId });

    const started = await engine.getWorkflow(startedId);
    expect(started).toMatchObject({
      workflowName: 'started_wf',
      workflowVersion: 1,
      status: 'RUNNING',
      input: { param1: 'value1', param2: 'value2' },
      // Defaults from the starting workflow; no parent link.
      correlationId: 'starter-corr',
      taskToDomain: { '*': 'blue' },
      parentWorkflowId: null,
      parentWorkflowTaskId: null,
    });
    expect(started.tasks.map((t) => [t.referenceTaskName, t.status, t.domain, t.inputData])).toEqual([
      ['t1', 'SCHEDULED', 'blue', { tp1: 'value1', tp2: 'value2' }],
    ]);

    // The starter ends on its own; the started workflow goes on.
    const after = await engine.pollTask('after_start', { domain: 'blue' });
    await engine.updateTask({ taskId: after!.taskId, status: 'COMPLETED' });
    await engine.idle();
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect((await engine.getWorkflow(startedId)).status).toBe('RUNNING');
  });

  it('starts an inline definition, keeping a correlationId and taskToDomain of its own', async () => {
    const { engine } = await starterEngine();
    const workflowDef: WorkflowDef = {
      name: 'dynamic_wf',
      version: 1,
      tasks: [
        {
          name: 'integration_task_1',
          taskReferenceName: 't1',
          type: 'SIMPLE',
          inputParameters: { tp1: '${workflow.input.param1}', tp3: '${CPEWF_TASK_ID}' },
        },
      ],
    };
    const id = await startStarter(engine, {
      name: 'dynamic_wf',
      workflowDef,
      input: { param1: 'p' },
      correlationId: 'own-corr',
      taskToDomain: { integration_task_1: 'green' },
    });
    const startedId = (await taskByRef(engine, id, 'st')).outputData.workflowId as string;
    const started = await engine.getWorkflow(startedId);
    expect(started).toMatchObject({
      workflowName: 'dynamic_wf',
      status: 'RUNNING',
      correlationId: 'own-corr',
      taskToDomain: { integration_task_1: 'green' },
    });
    expect(started.tasks[0].inputData).toEqual({ tp1: 'p', tp3: started.tasks[0].taskId });
    await expect(engine.getWorkflowDef('dynamic_wf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes the latest version when none is given, and ignores a fixed id or parent link in the request', async () => {
    const { engine } = await starterEngine();
    await engine.registerWorkflowDef({ ...TARGET, version: 2 });
    const id = await startStarter(engine, {
      name: 'started_wf',
      workflowId: 'chosen-id',
      parentWorkflowId: 'someone',
    });
    const startedId = (await taskByRef(engine, id, 'st')).outputData.workflowId as string;
    expect(startedId).not.toBe('chosen-id');
    expect(await engine.getWorkflow(startedId)).toMatchObject({ workflowVersion: 2, parentWorkflowId: null });
  });

  it.each([
    ['missing', undefined, "Missing 'startWorkflow' in input data."],
    [
      'not an object',
      'integration_test_wf',
      "Error reading StartWorkflowRequest. 'startWorkflow' must be an object.",
    ],
    ['without a name', { param1: 'value1', param2: 'value2' }, "startWorkflow validation failed. 'name' -> "],
    [
      'with a bad version',
      { name: 'started_wf', version: 'one' },
      "startWorkflow validation failed. 'version' -> ",
    ],
    ['for an unknown workflow', { name: 'nope' }, 'nope'],
  ])('fails the task and the workflow when the request is %s', async (_, request, reason) => {
    const { engine } = await starterEngine();
    const id = await startStarter(engine, request);
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0]).toMatchObject({ taskType: 'START_WORKFLOW', status: 'FAILED' });
    expect(wf.tasks[0].reasonForIncompletion).toContain(reason);
    expect(wf.reasonForIncompletion).toContain(reason);
  });
});
