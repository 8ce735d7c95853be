import { describe, expect, it } from 'vitest';
import type { WorkflowTask } from '../../src/index.js';
import { MAX_VARIABLES_BYTES } from '../../src/tasks/set-variable.js';
import { define, setup, simple, taskList } from '../helpers/engine.js';

function terminate(ref: string, inputParameters: Record<string, unknown>): WorkflowTask {
  return { name: ref, taskReferenceName: ref, type: 'TERMINATE', inputParameters };
}

describe('TERMINATE', () => {
  it('ends the workflow COMPLETED with workflowOutput as its output; later steps never run', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      { name: 'noop', taskReferenceName: 'noop', type: 'NOOP' },
      terminate('stop', {
        terminationStatus: 'COMPLETED',
        workflowOutput: { result: '${workflow.input.x}' },
      }),
      simple('never'),
    ]);
    const id = await engine.startWorkflow({ name: 'wf', input: { x: 7 } });
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ result: 7 });
    expect(wf.reasonForIncompletion).toBe(`Workflow is COMPLETED by TERMINATE task: ${wf.tasks[1].taskId}`);
    expect(await taskList(engine, id)).toEqual(['noop:COMPLETED', 'stop:COMPLETED']);
  });

  it('fails the workflow with terminationReason and cancels pending tasks', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [
          [simple('slow')],
          [terminate('stop', { terminationStatus: 'FAILED', terminationReason: 'Early exit' })],
        ],
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['slow', 'stop'] },
    ]);
    const id = await engine.startWorkflow({ name: 'wf' });
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.reasonForIncompletion).toBe('Early exit');
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'slow:CANCELED',
      'stop:COMPLETED',
      'join:CANCELED',
    ]);
    expect(await engine.getQueueSizes(['slow'])).toEqual({ slow: 0 });
  });

  it('wraps a non-map workflowOutput as { output } and accepts TERMINATED', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      terminate('stop', { terminationStatus: 'TERMINATED', workflowOutput: 'bye' }),
    ]);
    const wf = await engine.executeWorkflow({ name: 'wf' }, { timeoutMs: 1000 });
    expect(wf.status).toBe('TERMINATED');
    expect(wf.output).toEqual({ output: 'bye' });
  });

  it('fails its task (and so the workflow) for a status that resolves to something invalid', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [terminate('stop', { terminationStatus: '${workflow.input.status}' })]);
    const wf = await engine.executeWorkflow({ name: 'wf', input: { status: 'DONE' } }, { timeoutMs: 1000 });
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks[0].status).toBe('FAILED');
    expect(wf.tasks[0].reasonForIncompletion).toContain('Invalid termination status: DONE');
  });
});

describe('SET_VARIABLE', () => {
  it('writes its input into workflow.variables, readable by later steps', async () => {
    const { engine } = await setup();
    await define(
      engine,
      'wf',
      [
        {
          name: 'set',
          taskReferenceName: 'set',
          type: 'SET_VARIABLE',
          inputParameters: { a: '${workflow.input.a}', b: 2 },
        },
        simple('use', {
          inputParameters: { a: '${workflow.variables.a}', seed: '${workflow.variables.seed}' },
        }),
      ],
      { def: { variables: { seed: 'x', b: 1 } } },
    );
    engine.registerWorker('use', (task) => ({ outputData: task.inputData }));
    const wf = await engine.executeWorkflow({ name: 'wf', input: { a: 'hello' } }, { timeoutMs: 1000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.variables).toEqual({ seed: 'x', a: 'hello', b: 2 });
    expect(wf.tasks[1].inputData).toEqual({ a: 'hello', seed: 'x' });
  });

  it('refuses variables over 256 KB: FAILED_WITH_TERMINAL_ERROR, variables unchanged, workflow FAILED', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      {
        name: 'set',
        taskReferenceName: 'set',
        type: 'SET_VARIABLE',
        inputParameters: { big: '${workflow.input.big}' },
      },
    ]);
    const big = 'x'.repeat(MAX_VARIABLES_BYTES);
    const wf = await engine.executeWorkflow({ name: 'wf', input: { big } }, { timeoutMs: 1000 });
    expect(wf.status).toBe('FAILED');
    expect(wf.variables).toEqual({});
    expect(wf.tasks[0].status).toBe('FAILED_WITH_TERMINAL_ERROR');
    expect(wf.tasks[0].reasonForIncompletion).toMatch(
      /^The variables payload size: \d+ of workflow: .+ is greater than the permissible limit: 256 kilobytes$/,
    );
  });
});

describe('NOOP', () => {
  it('completes at once and the workflow moves on', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      { name: 'n1', taskReferenceName: 'n1', type: 'NOOP' },
      { name: 'n2', taskReferenceName: 'n2', type: 'NOOP' },
    ]);
    const wf = await engine.executeWorkflow({ name: 'wf' }, { timeoutMs: 1000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((t) => [t.referenceTaskName, t.status, t.seq])).toEqual([
      ['n1', 'COMPLETED', 1],
      ['n2', 'COMPLETED', 2],
    ]);
  });
});
