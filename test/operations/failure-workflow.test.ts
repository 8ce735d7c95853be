import { describe, expect, it } from 'vitest';
import type { Engine, Workflow } from '../../src/index.js';
import { advance, define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { byRef, complete, fail, stepOf } from './helpers.js';

const KEY = 'conductor.failure_workflow';

/** Registers `failure_workflow`: one `cleanup` task that reads what the failed workflow passes on. */
async function defineFailureWorkflow(engine: Engine): Promise<void> {
  await define(engine, 'failure_workflow', [
    simple('cleanup', {
      inputParameters: {
        failedId: '${workflow.input.workflowId}',
        firstTaskOutput: '${workflow.input.failedWorkflow.tasks[0].outputData}',
      },
    }),
  ]);
}

async function failureWorkflowOf(engine: Engine, failedId: string): Promise<Workflow> {
  const failed = await engine.getWorkflow(failedId);
  expect(typeof failed.output[KEY]).toBe('string');
  return engine.getWorkflow(failed.output[KEY] as string);
}

describe('failure workflow', () => {
  it('starts after a TERMINATE with FAILED, with Conductor input (scenario 8)', async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await define(
      engine,
      'test_terminate_task_failed_wf',
      [
        simple('lambda'),
        stepOf('TERMINATE', 'terminate', {
          inputParameters: {
            terminationStatus: 'FAILED',
            terminationReason: 'Early exit in terminate',
            workflowOutput: { result: '${lambda.output}' },
          },
        }),
        simple('never'),
      ],
      { def: { failureWorkflow: 'failure_workflow' } },
    );
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({
      name: 'test_terminate_task_failed_wf',
      input: { a: 1 },
      correlationId: 'corr-8',
      taskToDomain: { cleanup: 'ops' },
    });
    await complete(engine, 'lambda', { testvalue: true });

    const failed = await engine.getWorkflow(id);
    expect(failed.status).toBe('FAILED');
    expect(failed.reasonForIncompletion).toBe('Early exit in terminate');
    expect(await taskList(engine, id)).toEqual(['lambda:COMPLETED', 'terminate:COMPLETED']);
    const fid = failed.output[KEY] as string;
    expect(failed.output).toEqual({ result: { testvalue: true }, [KEY]: fid });
    // Listeners of workflow.failed see the id already.
    const failedEvent = events.find((e) => e.name === 'workflow.failed')?.payload as Workflow;
    expect(failedEvent.output[KEY]).toBe(fid);

    const failureWf = await engine.getWorkflow(fid);
    const terminateTask = byRef(failed.tasks, 'terminate');
    expect(failureWf).toMatchObject({
      workflowName: 'failure_workflow',
      status: 'RUNNING',
      correlationId: 'corr-8',
      taskToDomain: { cleanup: 'ops' },
      parentWorkflowId: null,
    });
    expect(failureWf.input).toMatchObject({
      a: 1,
      workflowId: id,
      reason: 'Early exit in terminate',
      failureStatus: 'FAILED',
      failureTaskId: terminateTask.taskId,
    });
    const failedWorkflow = failureWf.input.failedWorkflow as Workflow;
    expect(failedWorkflow).toMatchObject({
      workflowId: id,
      status: 'FAILED',
      output: { result: { testvalue: true } },
    });
    expect(failedWorkflow.output[KEY]).toBeUndefined();
    expect(failedWorkflow.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual([
      'lambda:COMPLETED',
      'terminate:COMPLETED',
    ]);

    const cleanup = await engine.pollTask('cleanup', { domain: 'ops' });
    expect(cleanup?.inputData).toEqual({ failedId: id, firstTaskOutput: { testvalue: true } });
    await engine.updateTask({ taskId: cleanup!.taskId, status: 'COMPLETED' });
    await engine.idle();
    expect((await engine.getWorkflow(fid)).status).toBe('COMPLETED');
    expect(events.filter((e) => e.name === 'workflow.started')).toHaveLength(2);
  });

  it("exists by the time the failed workflow's end wakes its waiters", async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await define(engine, 'fails', [simple('flaky')], {
      taskDefs: [{ name: 'flaky', retryCount: 0 }],
      def: { failureWorkflow: 'failure_workflow' },
    });
    engine.registerWorker('flaky', () => {
      throw new Error('down');
    });
    const id = await engine.startWorkflow({ name: 'fails' });
    const failed = await engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(failed.status).toBe('FAILED');
    // No idle() in between: the id in the output must already name a stored workflow.
    const cleanup = await engine.getWorkflow(failed.output[KEY] as string);
    expect(cleanup.workflowName).toBe('failure_workflow');
    expect(cleanup.input.workflowId).toBe(id);
  });

  it('starts none when a TERMINATE completes the workflow', async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await define(
      engine,
      'ok',
      [
        simple('a'),
        stepOf('TERMINATE', 'stop', {
          inputParameters: { terminationStatus: 'COMPLETED', workflowOutput: { r: 1 } },
        }),
      ],
      { def: { failureWorkflow: 'failure_workflow' } },
    );
    const id = await engine.startWorkflow({ name: 'ok' });
    await complete(engine, 'a');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ r: 1 });
    expect((await engine.searchWorkflows({ workflowType: 'failure_workflow' })).totalHits).toBe(0);
  });

  it('starts after a task failure (failureTaskId) and after a workflow timeout (none)', async () => {
    const t = await setup();
    const { engine } = t;
    await defineFailureWorkflow(engine);
    await engine.registerTaskDefs([{ name: 'a', retryCount: 0 }]);
    await define(engine, 'fails', [simple('a')], {
      def: { failureWorkflow: 'failure_workflow', timeoutSeconds: 30, timeoutPolicy: 'TIME_OUT_WF' },
    });
    const failedId = await engine.startWorkflow({ name: 'fails' });
    const task = await fail(engine, 'a', 'disk full');
    const first = await failureWorkflowOf(engine, failedId);
    expect(first.input).toMatchObject({
      workflowId: failedId,
      failureStatus: 'FAILED',
      failureTaskId: task.taskId,
      reason: `Task ${task.taskId} failed with status: FAILED and reason: 'disk full'`,
    });

    const timedOutId = await engine.startWorkflow({ name: 'fails' });
    await advance(t, 30_000);
    expect((await engine.getWorkflow(timedOutId)).status).toBe('TIMED_OUT');
    const second = await failureWorkflowOf(engine, timedOutId);
    expect(second.input).toMatchObject({ workflowId: timedOutId, failureStatus: 'TIMED_OUT' });
    expect(second.input).not.toHaveProperty('failureTaskId');
  });

  it('an API terminate starts it only with triggerFailureWorkflow', async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await define(engine, 'job', [simple('a')], { def: { failureWorkflow: 'failure_workflow' } });
    const quiet = await engine.startWorkflow({ name: 'job' });
    await engine.terminateWorkflow(quiet, 'stop');
    await engine.idle();
    expect((await engine.getWorkflow(quiet)).output).not.toHaveProperty(KEY);
    expect((await engine.searchWorkflows({ workflowType: 'failure_workflow' })).totalHits).toBe(0);

    const loud = await engine.startWorkflow({ name: 'job' });
    await engine.terminateWorkflow(loud, 'stop', { triggerFailureWorkflow: true });
    await engine.idle();
    const failureWf = await failureWorkflowOf(engine, loud);
    expect(failureWf.input).toMatchObject({ workflowId: loud, reason: 'stop', failureStatus: 'TERMINATED' });
    expect((await engine.searchWorkflows({ workflowType: 'failure_workflow' })).totalHits).toBe(1);
  });

  it('reads its name from the input ($workflow.input.x and ${workflow.input.x})', async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await engine.registerTaskDefs([{ name: 'a', retryCount: 0 }]);
    await define(engine, 'dollar', [simple('a')], { def: { failureWorkflow: '$workflow.input.onFailure' } });
    await define(engine, 'braces', [simple('a')], {
      def: { failureWorkflow: '${workflow.input.onFailure}' },
    });
    for (const name of ['dollar', 'braces']) {
      const id = await engine.startWorkflow({ name, input: { onFailure: 'failure_workflow' } });
      await fail(engine, 'a', 'x');
      expect((await failureWorkflowOf(engine, id)).workflowName).toBe('failure_workflow');
    }
    // No name in the input: no failure workflow.
    const none = await engine.startWorkflow({ name: 'dollar', input: {} });
    await fail(engine, 'a', 'x');
    expect((await engine.getWorkflow(none)).output).not.toHaveProperty(KEY);
  });

  it('records why it could not start', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'a', retryCount: 0 }]);
    await define(engine, 'orphan', [simple('a')], { def: { failureWorkflow: 'missing_wf' } });
    const id = await engine.startWorkflow({ name: 'orphan' });
    await fail(engine, 'a', 'x');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.output[KEY]).toMatch(/^Error workflow missing_wf failed to start\. {2}reason: .*missing_wf/);
  });

  it("a child's failure fails the parent, whose failure workflow names the SUB_WORKFLOW task", async () => {
    const { engine } = await setup();
    await defineFailureWorkflow(engine);
    await define(engine, 'child', [
      stepOf('TERMINATE', 'stop', {
        inputParameters: { terminationStatus: 'FAILED', terminationReason: 'no' },
      }),
    ]);
    await define(engine, 'parent', [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })], {
      def: { failureWorkflow: 'failure_workflow' },
    });
    const id = await engine.startWorkflow({ name: 'parent' });
    await engine.idle();
    const parent = await engine.getWorkflow(id);
    expect(parent.status).toBe('FAILED');
    const sub = byRef(parent.tasks, 'sub');
    expect(sub.status).toBe('FAILED');
    expect((await failureWorkflowOf(engine, id)).input).toMatchObject({ failureTaskId: sub.taskId });
    // The child has no failureWorkflow of its own: only the parent's was started.
    expect((await engine.searchWorkflows({ workflowType: 'failure_workflow' })).totalHits).toBe(1);
  });
});
