import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type Task, type Workflow, type WorkflowTask } from '../../src/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { T0 } from '../helpers/engine.js';

// SWITCH `javascript` and DO_WHILE `loopCondition` through the engine's real sandbox (one engine, one pool).
let engine: Engine;
let workflowCount = 0;

beforeAll(async () => {
  engine = new Engine({ clock: new ManualClock(T0), logger: { warn() {}, error() {} } });
  engine.registerWorker('big_order', async (task) => ({ outputData: { handled: task.inputData.amount } }));
  engine.registerWorker('small_order', async () => ({ outputData: { handled: 'small' } }));
  await engine.start();
});

afterAll(() => engine.stop());

async function run(tasks: WorkflowTask[], input: Record<string, unknown> = {}): Promise<Workflow> {
  const name = `js_wf_${++workflowCount}`;
  await engine.registerWorkflowDef({ name, version: 1, tasks });
  const id = await engine.startWorkflow({ name, input });
  return engine.waitForWorkflow(id, { timeoutMs: 10_000 });
}

function rows(wf: Workflow): Array<[string, string, number]> {
  return wf.tasks.map((t: Task) => [t.referenceTaskName, t.status, t.iteration]);
}

function switchStep(expression: string, evaluatorType = 'javascript'): WorkflowTask {
  return {
    name: 'route',
    taskReferenceName: 'route',
    type: 'SWITCH',
    evaluatorType,
    expression,
    inputParameters: { amount: '${workflow.input.amount}', tags: '${workflow.input.tags}' },
    decisionCases: {
      big: [
        {
          name: 'big_order',
          taskReferenceName: 'big',
          inputParameters: { amount: '${workflow.input.amount}' },
        },
      ],
      small: [{ name: 'small_order', taskReferenceName: 'small' }],
    },
    defaultCase: [{ name: 'fallback', taskReferenceName: 'fallback', type: 'NOOP' }],
  };
}

describe('SWITCH with a javascript expression', () => {
  it('picks the branch from the script result, with $ = the switch input', async () => {
    const expression = '$.amount > 100 && $.tags.includes("vip") ? "big" : "small"';
    const big = await run([switchStep(expression)], { amount: 500, tags: ['vip'] });
    expect(big.status).toBe('COMPLETED');
    expect(rows(big)).toEqual([
      ['route', 'COMPLETED', 0],
      ['big', 'COMPLETED', 0],
    ]);
    expect(big.tasks[0].outputData).toEqual({ evaluationResult: ['big'], selectedCase: 'big' });
    expect(big.tasks[1].outputData).toEqual({ handled: 500 });

    const small = await run([switchStep(expression)], { amount: 500, tags: [] });
    expect(rows(small).map(([ref]) => ref)).toEqual(['route', 'small']);
  });

  it('runs the default case for a result with no case, and accepts the graaljs alias', async () => {
    const wf = await run(
      [switchStep('function pick() { return $.amount === null ? null : "other"; } pick();', 'graaljs')],
      {
        amount: 3,
      },
    );
    expect(rows(wf)).toEqual([
      ['route', 'COMPLETED', 0],
      ['fallback', 'COMPLETED', 0],
    ]);
    expect(wf.tasks[0].outputData.selectedCase).toBe('other');
  });

  it('fails the SWITCH, and so the workflow, when the script throws', async () => {
    const wf = await run([switchStep('$.missing.field')], { amount: 1 });
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks).toHaveLength(1);
    expect(wf.tasks[0].status).toBe('FAILED');
    expect(wf.tasks[0].reasonForIncompletion).toMatch(/^TypeError: Cannot read properties of undefined/);
  });
});

function loopStep(loopCondition: string, loopOver: WorkflowTask[]): WorkflowTask {
  return {
    name: 'loop',
    taskReferenceName: 'loop',
    type: 'DO_WHILE',
    loopCondition,
    loopOver,
    inputParameters: {},
  };
}

describe('DO_WHILE with a javascript loopCondition', () => {
  it("`$.loop['iteration'] < 3` runs exactly 3 iterations", async () => {
    const body: WorkflowTask = {
      name: 'square',
      taskReferenceName: 'square',
      type: 'INLINE',
      inputParameters: { n: '${loop.output.iteration}', expression: '$.n * $.n' },
    };
    const wf = await run([loopStep("$.loop['iteration'] < 3", [body])]);
    expect(wf.status).toBe('COMPLETED');
    expect(rows(wf)).toEqual([
      ['loop', 'COMPLETED', 3],
      ['square__1', 'COMPLETED', 1],
      ['square__2', 'COMPLETED', 2],
      ['square__3', 'COMPLETED', 3],
    ]);
    expect(wf.tasks.slice(1).map((t) => t.outputData.result)).toEqual([1, 4, 9]);
    expect(wf.tasks[0].outputData).toMatchObject({
      iteration: 3,
      '1': { square: { result: 1 } },
      '3': { square: { result: 9 } },
    });
  });

  it('reads body outputs in the condition ($.<bodyRef>) and ends when the script says so', async () => {
    const body: WorkflowTask = {
      name: 'acc',
      taskReferenceName: 'acc',
      type: 'INLINE',
      inputParameters: { i: '${loop.output.iteration}', expression: '({ total: $.i * 10 })' },
    };
    const wf = await run([loopStep('if ($.acc.result.total >= 20) { false; } else { true; }', [body])]);
    expect(rows(wf).map(([ref]) => ref)).toEqual(['loop', 'acc__1', 'acc__2']);
    expect(wf.tasks[0].iteration).toBe(2);
  });

  it('ends the loop FAILED_WITH_TERMINAL_ERROR, and the workflow FAILED, when the condition throws', async () => {
    const body: WorkflowTask = { name: 'once', taskReferenceName: 'once', type: 'NOOP' };
    const wf = await run([loopStep("throw new RangeError('no more')", [body])]);
    expect(wf.status).toBe('FAILED');
    expect(rows(wf)).toEqual([
      ['loop', 'FAILED_WITH_TERMINAL_ERROR', 1],
      ['once__1', 'COMPLETED', 1],
    ]);
    expect(wf.tasks[0].reasonForIncompletion).toBe(
      "Unable to evaluate condition throw new RangeError('no more'), exception RangeError: no more",
    );
  });
});
