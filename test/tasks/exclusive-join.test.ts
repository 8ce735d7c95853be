import { describe, expect, it } from 'vitest';
import type { Engine, Task, WorkflowTask } from '../../src/index.js';
import { byRef, complete, fail, refs, types } from '../helpers/control-flow.js';
import { setup, simple } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

const FIXTURE = loadWorkflowDef('switch-exclusive-join.json');

async function tasks(engine: Engine, id: string): Promise<Task[]> {
  return (await engine.getWorkflow(id)).tasks;
}

/** Starts ExclusiveJoinTestWorkflow and completes task1; each worker outputs its own reference name. */
async function startAndCompleteTask1(engine: Engine, input: Record<string, unknown>): Promise<string> {
  await engine.registerWorkflowDef(FIXTURE, { overwrite: true });
  const id = await engine.startWorkflow({ name: FIXTURE.name, input });
  await engine.idle();
  expect(types(await tasks(engine, id))).toEqual(['integration_task_1:SCHEDULED']);
  await complete(engine, 'integration_task_1', { taskReferenceName: 'task1' });
  return id;
}

describe('EXCLUSIVE_JOIN (ExclusiveJoinSpec)', () => {
  it('joins on the default task1 when decision_1 has no branch', async () => {
    const { engine } = await setup();
    const id = await startAndCompleteTask1(engine, { decision_1: 'null' });

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(types(wf.tasks)).toEqual([
      'integration_task_1:COMPLETED',
      'DECISION:COMPLETED',
      'EXCLUSIVE_JOIN:COMPLETED',
    ]);
    expect(wf.tasks[2]).toMatchObject({
      taskDefName: 'EXCLUSIVE_JOIN',
      inputData: { joinOn: ['task3', 'task5'], defaultExclusiveJoinTask: ['task2', 'task4', 'task1'] },
      outputData: { taskReferenceName: 'task1' },
    });
    expect(wf.output).toEqual({ joinedFrom: 'task1' });
  });

  const paths: [string, Record<string, unknown>, [string, string][], string][] = [
    [
      "decision_1 'true', decision_2 null: task2 (a default)",
      { decision_1: 'true', decision_2: 'null' },
      [['integration_task_2', 'task2']],
      'task2',
    ],
    [
      "both 'true': task3 (a joinOn task)",
      { decision_1: 'true', decision_2: 'true' },
      [
        ['integration_task_2', 'task2'],
        ['integration_task_3', 'task3'],
      ],
      'task3',
    ],
    [
      "decision_1 'false', decision_3 null: task4 (a default)",
      { decision_1: 'false', decision_3: 'null' },
      [['integration_task_4', 'task4']],
      'task4',
    ],
    [
      "decision_1 'false', decision_3 'true': task5 (a joinOn task)",
      { decision_1: 'false', decision_3: 'true' },
      [
        ['integration_task_4', 'task4'],
        ['integration_task_5', 'task5'],
      ],
      'task5',
    ],
  ];
  for (const [label, input, steps, joined] of paths) {
    it(`joins the branch that ran: ${label}`, async () => {
      const { engine } = await setup();
      const id = await startAndCompleteTask1(engine, input);
      for (const [taskType, ref] of steps) {
        expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
        await complete(engine, taskType, { taskReferenceName: ref });
      }
      const wf = await engine.getWorkflow(id);
      expect(wf.status).toBe('COMPLETED');
      const expected = ['integration_task_1', 'DECISION'];
      steps.forEach(([taskType], i) => {
        expected.push(taskType);
        if (i === 0) expected.push('DECISION');
      });
      expected.push('EXCLUSIVE_JOIN');
      expect(types(wf.tasks)).toEqual(expected.map((t) => `${t}:COMPLETED`));
      expect(wf.tasks[wf.tasks.length - 1].outputData).toEqual({ taskReferenceName: joined });
    });
  }

  it('fails when the deciding default task failed (a permissive task lets the workflow reach the join)', async () => {
    const { engine } = await setup();
    await engine.registerWorkflowDef({
      name: 'xj_fail',
      version: 1,
      tasks: [
        simple('risky', { permissive: true, retryCount: 0 }),
        {
          name: 'xj',
          taskReferenceName: 'xj',
          type: 'EXCLUSIVE_JOIN',
          joinOn: ['never'],
          defaultExclusiveJoinTask: ['risky'],
        },
      ],
    });
    const id = await engine.startWorkflow({ name: 'xj_fail' });
    await engine.idle();
    await fail(engine, 'risky', 'bad luck');

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual(['risky:FAILED', 'xj:FAILED']);
    expect(byRef(wf.tasks, 'xj').reasonForIncompletion).toBe('bad luck ');
  });

  it("joins the iteration's branch inside a DO_WHILE (joinOn refs get __N)", async () => {
    const { engine } = await setup();
    const loop = {
      name: 'loop',
      taskReferenceName: 'loop',
      type: 'DO_WHILE',
      inputParameters: { items: '${workflow.input.items}' },
      items: '${workflow.input.items}',
      loopOver: [
        {
          name: 'pick',
          taskReferenceName: 'pick',
          type: 'DECISION',
          caseValueParam: 'item',
          inputParameters: { item: '${loop.output.loopItem}' },
          decisionCases: { a: [simple('ta')], b: [simple('tb')] },
        },
        { name: 'xj', taskReferenceName: 'xj', type: 'EXCLUSIVE_JOIN', joinOn: ['ta', 'tb'] },
      ],
    } as WorkflowTask;
    await engine.registerWorkflowDef({ name: 'loop_xj', version: 1, tasks: [loop] });
    const id = await engine.startWorkflow({ name: 'loop_xj', input: { items: ['a', 'b'] } });
    await engine.idle();
    await complete(engine, 'ta', { from: 'ta' });
    await complete(engine, 'tb', { from: 'tb' });

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual([
      'loop:COMPLETED',
      'pick__1:COMPLETED',
      'ta__1:COMPLETED',
      'xj__1:COMPLETED',
      'pick__2:COMPLETED',
      'tb__2:COMPLETED',
      'xj__2:COMPLETED',
    ]);
    expect(byRef(wf.tasks, 'xj__1').outputData).toEqual({ from: 'ta' });
    expect(byRef(wf.tasks, 'xj__2').outputData).toEqual({ from: 'tb' });
  });
});
