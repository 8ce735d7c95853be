import { describe, expect, it } from 'vitest';
import { define, setup, simple, taskList } from '../helpers/engine.js';

describe('nesting', () => {
  it('runs a fork inside a loop inside a sub-workflow, and the parent gets the child output', async () => {
    const { engine } = await setup();
    await define(
      engine,
      'child',
      [
        {
          name: 'loop',
          taskReferenceName: 'loop',
          type: 'DO_WHILE',
          items: '${workflow.input.items}',
          loopOver: [
            {
              name: 'fork',
              taskReferenceName: 'fork',
              type: 'FORK_JOIN',
              forkTasks: [
                [simple('left', { inputParameters: { item: '${loop.output.loopItem}' } })],
                [simple('right', { inputParameters: { item: '${loop.output.loopItem}' } })],
              ],
            },
            { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['left', 'right'] },
          ],
        },
      ],
      { def: { outputParameters: { last: '${join.output}' } } },
    );
    await define(
      engine,
      'parent',
      [
        {
          name: 'sub',
          taskReferenceName: 'sub',
          type: 'SUB_WORKFLOW',
          subWorkflowParam: { name: 'child', version: 1 },
          inputParameters: { items: '${workflow.input.items}' },
        },
      ],
      { def: { outputParameters: { fromChild: '${sub.output.last}' } } },
    );
    engine.registerWorker('left', (task) => ({ outputData: { l: task.inputData.item } }));
    engine.registerWorker('right', (task) => ({ outputData: { r: task.inputData.item } }));

    const id = await engine.startWorkflow({ name: 'parent', input: { items: ['a', 'b'] } });
    await engine.idle();

    const parent = await engine.getWorkflow(id);
    expect(parent.status).toBe('COMPLETED');
    expect(parent.output).toEqual({ fromChild: { left__2: { l: 'b' }, right__2: { r: 'b' } } });
    const childId = parent.tasks[0].subWorkflowId as string;
    expect(await taskList(engine, childId)).toEqual([
      'loop:COMPLETED',
      'fork__1:COMPLETED',
      'left__1:COMPLETED',
      'right__1:COMPLETED',
      'join__1:COMPLETED',
      'fork__2:COMPLETED',
      'left__2:COMPLETED',
      'right__2:COMPLETED',
      'join__2:COMPLETED',
    ]);
    const child = await engine.getWorkflow(childId);
    // The DO_WHILE task itself carries the number of the iteration it reached, as in Conductor.
    expect(child.tasks.map((t) => t.iteration)).toEqual([2, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(child.parentWorkflowId).toBe(id);
  });
});
