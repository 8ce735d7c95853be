import { describe, expect, it } from 'vitest';
import type { Engine, WorkflowDef, WorkflowTask } from '../../src/index.js';
import {
  byRef,
  complete,
  type DeciderRun,
  type FixtureCase,
  finish,
  refs,
  runFixture,
  settle,
  testEvaluate,
  types,
} from '../helpers/control-flow.js';
import { setup, simple } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

async function start(engine: Engine, fixture: string, input: Record<string, unknown>): Promise<string> {
  await engine.registerWorkflowDef(loadWorkflowDef(fixture));
  const id = await engine.startWorkflow({ name: loadWorkflowDef(fixture).name, input });
  await engine.idle();
  return id;
}

async function tasks(engine: Engine, id: string) {
  return (await engine.getWorkflow(id)).tasks;
}

/** A value-param SWITCH on `workflow.input.case` with the given cases, followed by `after`. */
function switchDef(
  cases: Record<string, WorkflowTask[]>,
  extra: Partial<WorkflowTask> = {},
  type: 'SWITCH' | 'DECISION' = 'SWITCH',
): WorkflowDef {
  const selector: Partial<WorkflowTask> =
    type === 'SWITCH' ? { evaluatorType: 'value-param', expression: 'case' } : { caseValueParam: 'case' };
  return {
    name: `wf_${type.toLowerCase()}`,
    version: 1,
    tasks: [
      {
        name: 'sw',
        taskReferenceName: 'sw',
        type,
        inputParameters: { case: '${workflow.input.case}' },
        decisionCases: cases,
        ...selector,
        ...extra,
      },
      simple('after'),
    ],
  };
}

describe('SWITCH (value-param), SwitchTaskSpec', () => {
  it("runs case 'c' (t1 then t2), then the task after the switch", async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-simple.json', { param1: 'p1', param2: 'p2', case: 'c' });

    const list = await tasks(engine, id);
    expect(types(list)).toEqual(['SWITCH:COMPLETED', 'integration_task_1:SCHEDULED']);
    expect(list.map((t) => t.seq)).toEqual([1, 2]);
    expect(list[0]).toMatchObject({
      referenceTaskName: 'switchTask',
      taskDefName: 'SWITCH',
      inputData: { case: 'c', hasChildren: 'true' },
      outputData: { evaluationResult: ['c'], selectedCase: 'c' },
    });
    expect(list[1].inputData).toEqual({ p1: 'p1', p2: 'p2' });

    await complete(engine, 'integration_task_1');
    expect(refs(await tasks(engine, id))).toEqual(['switchTask:COMPLETED', 't1:COMPLETED', 't2:SCHEDULED']);
    await complete(engine, 'integration_task_2');
    expect(refs(await tasks(engine, id))).toEqual([
      'switchTask:COMPLETED',
      't1:COMPLETED',
      't2:COMPLETED',
      't20:SCHEDULED',
    ]);
    await complete(engine, 'integration_task_20', { taskReferenceName: 't20' });

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks).toHaveLength(4);
    expect(wf.output).toEqual({ case: 'c', last: 't20' });
  });

  it("runs the default case when the case has no key: evaluationResult ['null'] for a missing input", async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-simple.json', { param1: 'p1' });

    let list = await tasks(engine, id);
    expect(refs(list)).toEqual(['switchTask:COMPLETED', 't5:SCHEDULED']);
    expect(list[0].outputData).toEqual({ evaluationResult: ['null'], selectedCase: 'null' });
    await complete(engine, 'integration_task_5');
    await complete(engine, 'integration_task_20');
    list = await tasks(engine, id);
    expect(refs(list)).toEqual(['switchTask:COMPLETED', 't5:COMPLETED', 't20:COMPLETED']);
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('goes straight on after the switch when no case matches and there is no default', async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-no-default.json', { param1: 'p1', param2: 'p2' });

    expect(types(await tasks(engine, id))).toEqual(['SWITCH:COMPLETED', 'integration_task_2:SCHEDULED']);
    await complete(engine, 'integration_task_2');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual(['switchTask:COMPLETED', 't2:COMPLETED']);
  });

  it('runs nothing for an explicitly empty case (the default is only for absent keys) and goes on', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef(
      switchDef({ x: [simple('in_x')], empty: [] }, { defaultCase: [simple('fallback')] }),
    );
    const id = await engine.startWorkflow({ name: 'wf_switch', input: { case: 'empty' } });
    await engine.idle();

    const list = await tasks(engine, id);
    expect(refs(list)).toEqual(['sw:COMPLETED', 'after:SCHEDULED']);
    expect(list[0].inputData).toEqual({ case: 'empty' });
    await complete(engine, 'after');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('turns non-string results into case strings: booleans, numbers, maps', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef(
      switchDef({ true: [simple('yes')], '42': [simple('answer')], '{"a":1}': [simple('map')] }),
    );
    const cases: [unknown, string][] = [
      [true, 'yes'],
      [42, 'answer'],
      [{ a: 1 }, 'map'],
    ];
    for (const [value, ref] of cases) {
      const id = await engine.startWorkflow({ name: 'wf_switch', input: { case: value } });
      await engine.idle();
      expect(refs(await tasks(engine, id))).toEqual(['sw:COMPLETED', `${ref}:SCHEDULED`]);
    }
  });
});

describe('nested SWITCH (ConditionalTaskWF)', () => {
  it("runs the default t10, then the final switch with ['null'] and no branch", async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-nested.json', { param1: 'xxx', param2: 'two' });

    const list = await tasks(engine, id);
    expect(types(list)).toEqual(['SWITCH:COMPLETED', 'integration_task_10:SCHEDULED']);
    expect(list[0].outputData.evaluationResult).toEqual(['xxx']);
    expect(list[1].inputData).toEqual({ tp10: 'workflow.input.param2' });

    await complete(engine, 'integration_task_10');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(types(wf.tasks)).toEqual([
      'SWITCH:COMPLETED',
      'integration_task_10:COMPLETED',
      'SWITCH:COMPLETED',
    ]);
    expect(wf.tasks[2].outputData.evaluationResult).toEqual(['null']);
    expect(wf.output).toEqual({ first: ['xxx'], final: ['null'] });
  });

  for (const [caseValue, taskType] of [
    ['two', 'integration_task_2'],
    ['one', 'integration_task_1'],
  ]) {
    it(`schedules both switches and the inner '${caseValue}' branch in one pass`, async () => {
      const { engine } = await setup();
      const id = await start(engine, 'switch-nested.json', { param1: 'nested', param2: caseValue });

      const list = await tasks(engine, id);
      expect(types(list)).toEqual(['SWITCH:COMPLETED', 'SWITCH:COMPLETED', `${taskType}:SCHEDULED`]);
      expect(list.map((t) => t.seq)).toEqual([1, 2, 3]);
      expect(list[0].outputData.evaluationResult).toEqual(['nested']);
      expect(list[1].outputData.evaluationResult).toEqual([caseValue]);

      await complete(engine, taskType);
      const wf = await engine.getWorkflow(id);
      expect(wf.status).toBe('COMPLETED');
      expect(wf.tasks).toHaveLength(4);
      expect(wf.tasks[3]).toMatchObject({ taskType: 'SWITCH', referenceTaskName: 'finalCase' });
      expect(wf.tasks[3].outputData.evaluationResult).toEqual(['null']);
    });
  }

  it("runs case 'three', then the final switch's 'notify' branch", async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-nested.json', {
      param1: 'three',
      param2: 'two',
      finalCase: 'notify',
    });

    expect(types(await tasks(engine, id))).toEqual(['SWITCH:COMPLETED', 'integration_task_3:SCHEDULED']);
    await complete(engine, 'integration_task_3');
    const list = await tasks(engine, id);
    expect(types(list)).toEqual([
      'SWITCH:COMPLETED',
      'integration_task_3:COMPLETED',
      'SWITCH:COMPLETED',
      'integration_task_4:SCHEDULED',
    ]);
    expect(list[2].outputData.evaluationResult).toEqual(['notify']);
    await complete(engine, 'integration_task_4');
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('nests switches inside a switch branch inside a DO_WHILE over items, per iteration', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef({
      name: 'loop_switch',
      version: 1,
      tasks: [
        {
          name: 'loop',
          taskReferenceName: 'loop',
          type: 'DO_WHILE',
          inputParameters: { items: '${workflow.input.items}' },
          items: '${workflow.input.items}',
          loopOver: [
            {
              name: 'pick',
              taskReferenceName: 'pick',
              type: 'SWITCH',
              evaluatorType: 'value-param',
              expression: 'item',
              inputParameters: { item: '${loop.output.loopItem}' },
              decisionCases: { a: [simple('task_a')], b: [simple('task_b')] },
            },
          ],
        } as WorkflowTask,
      ],
    });
    const id = await engine.startWorkflow({ name: 'loop_switch', input: { items: ['a', 'b'] } });
    await engine.idle();
    await complete(engine, 'task_a');
    await complete(engine, 'task_b');

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual([
      'loop:COMPLETED',
      'pick__1:COMPLETED',
      'task_a__1:COMPLETED',
      'pick__2:COMPLETED',
      'task_b__2:COMPLETED',
    ]);
    expect(wf.tasks.map((t) => t.iteration)).toEqual([2, 1, 1, 2, 2]);
  });
});

describe('SWITCH (javascript)', () => {
  it('fails the SWITCH and the workflow when the script throws; the SWITCH is not retried', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef(
      switchDef(
        { big: [simple('big')] },
        { evaluatorType: 'javascript', expression: '$.case.missing.deeper > 1 ? "big" : "small"' },
      ),
    );
    const id = await engine.startWorkflow({ name: 'wf_switch', input: { case: 5 } });
    const wf = await engine.waitForWorkflow(id, { timeoutMs: 5000 });

    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual(['sw:FAILED']);
    const sw = wf.tasks[0];
    expect(sw.reasonForIncompletion).toMatch(/TypeError/);
    expect(sw.retryCount).toBe(0);
    expect(wf.reasonForIncompletion).toBe(
      `Task ${sw.taskId} failed with status: FAILED and reason: '${sw.reasonForIncompletion}'`,
    );
  });

  function jsSwitch(expression: string): DeciderRun {
    return {
      def: switchDef(
        { big: [simple('big'), simple('big2')], small: [] },
        { evaluatorType: 'graaljs', expression, defaultCase: [simple('other')] },
      ),
      tasks: [],
      outcome: null,
    };
  }

  it('evaluates the script with $ = the input and runs the chosen branch, then the step after', async () => {
    const run = await settle(jsSwitch('$.case > 1 ? "big" : "small"'), testEvaluate, { case: 5 });
    expect(refs(run.tasks)).toEqual(['sw:COMPLETED', 'big:SCHEDULED']);
    expect(run.tasks[0]).toMatchObject({
      inputData: { case: 'big', hasChildren: 'true' },
      outputData: { evaluationResult: ['big'], selectedCase: 'big' },
    });
    finish(run, 'big');
    await settle(run, testEvaluate, { case: 5 });
    expect(refs(run.tasks)).toEqual(['sw:COMPLETED', 'big:COMPLETED', 'big2:SCHEDULED']);
    finish(run, 'big2');
    await settle(run, testEvaluate, { case: 5 });
    finish(run, 'after');
    await settle(run, testEvaluate, { case: 5 });
    expect(run.outcome?.status).toBe('COMPLETED');
  });

  it('goes on after the switch for an empty case and takes the default for an unknown one', async () => {
    const empty = await settle(jsSwitch('$.case > 1 ? "big" : "small"'), testEvaluate, { case: 0 });
    expect(refs(empty.tasks)).toEqual(['sw:COMPLETED', 'after:SCHEDULED']);
    expect(empty.tasks[0].inputData.hasChildren).toBeUndefined();

    const unknown = await settle(jsSwitch('null'), testEvaluate, {});
    expect(refs(unknown.tasks)).toEqual(['sw:COMPLETED', 'other:SCHEDULED']);
    expect(unknown.tasks[0].outputData.selectedCase).toBe('null');
  });

  it('fails the workflow with the script error as the reason', async () => {
    const run = await settle(jsSwitch('$.missing.deep'), testEvaluate, {});
    expect(refs(run.tasks)).toEqual(['sw:FAILED']);
    expect(run.tasks[0].reasonForIncompletion).toMatch(/undefined/);
    expect(run.outcome).toMatchObject({ status: 'FAILED', task: { referenceTaskName: 'sw' } });
  });
});

describe('DECISION', () => {
  it("runs case 'c' with input { case } and output caseOutput, then the step after", async () => {
    const { engine } = await setup();
    const id = await start(engine, 'switch-decision.json', { case: 'c', param1: 'p1', param2: 'p2' });

    const list = await tasks(engine, id);
    expect(types(list)).toEqual(['DECISION:COMPLETED', 'integration_task_1:SCHEDULED']);
    expect(list[0]).toMatchObject({
      taskDefName: 'DECISION',
      inputData: { case: 'c', hasChildren: 'true' },
      outputData: { caseOutput: ['c'] },
    });
    await complete(engine, 'integration_task_1');
    await complete(engine, 'integration_task_2');
    await complete(engine, 'integration_task_20');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual([
      'decisionTask:COMPLETED',
      't1:COMPLETED',
      't2:COMPLETED',
      't20:COMPLETED',
    ]);
    expect(wf.output).toEqual({ case: ['c'] });
  });

  for (const [label, input] of [
    ['absent', { case: 'zzz' }],
    ['explicitly empty', { case: 'empty' }],
  ] as const) {
    it(`runs the default case when the case is ${label}`, async () => {
      const { engine } = await setup();
      const id = await start(engine, 'switch-decision.json', input);
      expect(refs(await tasks(engine, id))).toEqual(['decisionTask:COMPLETED', 't5:SCHEDULED']);
      await complete(engine, 'integration_task_5');
      await complete(engine, 'integration_task_20');
      expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
    });
  }

  it('prefers caseExpression (javascript) over caseValueParam', async () => {
    const def = switchDef(
      { js: [simple('by_js')], param: [simple('by_param')] },
      { caseExpression: '$.case === "param" ? "js" : "param"' },
      'DECISION',
    );
    const run = await settle({ def, tasks: [], outcome: null }, testEvaluate, { case: 'param' });
    expect(refs(run.tasks)).toEqual(['sw:COMPLETED', 'by_js:SCHEDULED']);
    expect(byRef(run.tasks, 'sw')).toMatchObject({
      inputData: { case: 'js', hasChildren: 'true' },
      outputData: { caseOutput: ['js'] },
    });
  });

  it('fails the workflow when caseExpression throws', async () => {
    const def = switchDef({ a: [simple('a')] }, { caseExpression: '$.nope.deeper' }, 'DECISION');
    const run = await settle({ def, tasks: [], outcome: null }, testEvaluate, {});
    expect(refs(run.tasks)).toEqual(['sw:FAILED']);
    expect(run.tasks[0].reasonForIncompletion).toMatch(/^Error while evaluating script: \$\.nope\.deeper: /);
    expect(run.outcome?.status).toBe('FAILED');
  });
});

describe('fixture corpus: switch-*.json', () => {
  const cases: FixtureCase[] = [
    {
      fixture: 'switch-simple.json',
      input: { case: 'c', param1: 'p1' },
      status: 'COMPLETED',
      refs: ['switchTask', 't1', 't2', 't20'],
      output: { case: 'c', last: 't20' },
    },
    {
      fixture: 'switch-simple.json',
      input: {},
      status: 'COMPLETED',
      refs: ['switchTask', 't5', 't20'],
      output: { case: 'null', last: 't20' },
    },
    {
      fixture: 'switch-nested.json',
      input: { param1: 'nested', param2: 'one', finalCase: 'notify' },
      status: 'COMPLETED',
      refs: ['conditional', 'nestedCondition', 't1', 'finalCase', 'integration_task_4'],
      output: { first: ['nested'], final: ['notify'] },
    },
    {
      fixture: 'switch-nested.json',
      input: { param1: 'nested', param2: 'zzz' },
      status: 'COMPLETED',
      refs: ['conditional', 'nestedCondition', 'finalCase'],
      output: { first: ['nested'], final: ['null'] },
    },
    {
      fixture: 'switch-no-default.json',
      input: { case: 'c' },
      status: 'COMPLETED',
      refs: ['switchTask', 't1', 't2'],
    },
    {
      fixture: 'switch-decision.json',
      input: { case: 'empty' },
      status: 'COMPLETED',
      refs: ['decisionTask', 't5', 't20'],
      output: { case: ['empty'] },
    },
    {
      fixture: 'switch-exclusive-join.json',
      input: { decision_1: 'false', decision_3: 'true' },
      status: 'COMPLETED',
      refs: ['task1', 'decision1', 'task4', 'decision3', 'task5', 'exclusiveJoin'],
      output: { joinedFrom: 'task5' },
    },
  ];
  for (const c of cases) {
    it(`${c.fixture} ${JSON.stringify(c.input)} → ${c.refs.join(', ')}`, async () => {
      const { engine } = await setup();
      const wf = await runFixture(engine, loadWorkflowDef(c.fixture), c);
      expect(wf.status).toBe(c.status);
      expect(wf.tasks.map((t) => t.referenceTaskName)).toEqual(c.refs);
      if (c.output) expect(wf.output).toEqual(c.output);
    });
  }
});
