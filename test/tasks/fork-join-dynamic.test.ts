import { describe, expect, it } from 'vitest';
import type { Engine, Task, WorkflowDef, WorkflowTask } from '../../src/index.js';
import { byRef, complete, fail, refs, types } from '../helpers/control-flow.js';
import { setup, simple } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

const FIXTURE = loadWorkflowDef('fork-dynamic.json');

async function tasks(engine: Engine, id: string): Promise<Task[]> {
  return (await engine.getWorkflow(id)).tasks;
}

/** Starts the DynamicFanInOutTest fixture and completes dt1 with `output` (the tasks to fork). */
async function forkFrom(engine: Engine, output: Record<string, unknown>): Promise<string> {
  await engine.registerWorkflowDef(FIXTURE);
  const id = await engine.startWorkflow({ name: FIXTURE.name, input: { param1: 'p1' } });
  await engine.idle();
  expect(types(await tasks(engine, id))).toEqual(['integration_task_1:SCHEDULED']);
  await complete(engine, 'integration_task_1', output);
  return id;
}

const TWO_TASKS = {
  dynamicTasks: [
    { name: 'integration_task_2', taskReferenceName: 'xdt1' },
    { name: 'integration_task_3', taskReferenceName: 'xdt2' },
  ],
  dynamicTasksInput: { xdt1: { k1: 'v1' }, xdt2: { k2: 'v2' } },
};

/** A dynamic fork reading its input from the workflow input (key `fork`), joined, then `after`. */
function inputFork(fork: Partial<WorkflowTask>, name = 'wf_dyn'): WorkflowDef {
  return {
    name,
    version: 1,
    tasks: [
      {
        name: 'dyn',
        taskReferenceName: 'dyn',
        type: 'FORK_JOIN_DYNAMIC',
        dynamicForkTasksParam: 'tasks',
        dynamicForkTasksInputParamName: 'inputs',
        inputParameters: { tasks: '${workflow.input.tasks}', inputs: '${workflow.input.inputs}' },
        ...fork,
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN' },
      simple('after'),
    ],
  };
}

async function startWith(engine: Engine, def: WorkflowDef, input: Record<string, unknown>): Promise<string> {
  await engine.registerWorkflowDef(def);
  const id = await engine.startWorkflow({ name: def.name, input });
  await engine.idle();
  return id;
}

describe('FORK_JOIN_DYNAMIC (DynamicForkJoinSpec)', () => {
  it('forks the listed tasks with their inputs, joins their outputs, then goes on', async () => {
    const { engine } = await setup();
    const id = await forkFrom(engine, TWO_TASKS);

    let list = await tasks(engine, id);
    expect(types(list)).toEqual([
      'integration_task_1:COMPLETED',
      'FORK:COMPLETED',
      'integration_task_2:SCHEDULED',
      'integration_task_3:SCHEDULED',
      'JOIN:IN_PROGRESS',
    ]);
    expect(refs(list)).toEqual([
      'dt1:COMPLETED',
      'dynamicfanouttask:COMPLETED',
      'xdt1:SCHEDULED',
      'xdt2:SCHEDULED',
      'dynamicfanouttask_join:IN_PROGRESS',
    ]);
    const fork = list[1];
    expect(fork.taskDefName).toBe('FORK');
    expect(fork.inputData.forkedTasks).toEqual(['xdt1', 'xdt2']);
    expect(fork.inputData.forkedTaskDefs).toEqual([
      {
        name: 'integration_task_2',
        taskReferenceName: 'xdt1',
        type: 'SIMPLE',
        inputParameters: { k1: 'v1' },
      },
      {
        name: 'integration_task_3',
        taskReferenceName: 'xdt2',
        type: 'SIMPLE',
        inputParameters: { k2: 'v2' },
      },
    ]);
    expect(fork.inputData.dynamicTasksInput).toEqual(TWO_TASKS.dynamicTasksInput);
    expect(list[2].inputData).toEqual({ k1: 'v1' });
    expect(list[3].inputData).toEqual({ k2: 'v2' });
    expect(list[4].inputData).toEqual({ joinOn: ['xdt1', 'xdt2'] });

    const polled2 = await complete(engine, 'integration_task_2', { ok1: 'ov1' });
    const polled3 = await complete(engine, 'integration_task_3', { ok1: 'ov1' });
    expect(polled2.inputData).toEqual({ k1: 'v1' });
    expect(polled3.inputData).toEqual({ k2: 'v2' });

    list = await tasks(engine, id);
    expect(list).toHaveLength(6);
    expect(list[4]).toMatchObject({
      status: 'COMPLETED',
      outputData: { xdt1: { ok1: 'ov1' }, xdt2: { ok1: 'ov1' } },
    });
    expect(list[5]).toMatchObject({ taskType: 'integration_task_4', status: 'SCHEDULED' });

    await complete(engine, 'integration_task_4');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ joined: { xdt1: { ok1: 'ov1' }, xdt2: { ok1: 'ov1' } } });
  });

  it('fails the workflow when a forked task fails; the sibling and the JOIN end CANCELED', async () => {
    const { engine } = await setup();
    const id = await forkFrom(engine, {
      ...TWO_TASKS,
      dynamicTasks: TWO_TASKS.dynamicTasks.map((t) => ({ ...t, retryCount: 0 })),
    });
    await fail(engine, 'integration_task_2', 'forked failure');

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual([
      'dt1:COMPLETED',
      'dynamicfanouttask:COMPLETED',
      'xdt1:FAILED',
      'xdt2:CANCELED',
      'dynamicfanouttask_join:CANCELED',
    ]);
    expect(byRef(wf.tasks, 'dynamicfanouttask_join').inputData.joinOn).toEqual(['xdt1', 'xdt2']);
  });

  it('gives the JOIN an empty output when the forked tasks output nothing', async () => {
    const { engine } = await setup();
    const id = await forkFrom(engine, TWO_TASKS);
    await complete(engine, 'integration_task_2');
    await complete(engine, 'integration_task_3');
    const join = byRef(await tasks(engine, id), 'dynamicfanouttask_join');
    expect(join).toMatchObject({ status: 'COMPLETED', outputData: {} });
  });

  it('completes the JOIN at once with output {} when there is nothing to fork', async () => {
    const { engine } = await setup();
    const id = await forkFrom(engine, { dynamicTasks: [], dynamicTasksInput: {} });

    const list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'dt1:COMPLETED',
      'dynamicfanouttask:COMPLETED',
      'dynamicfanouttask_join:COMPLETED',
      'task4:SCHEDULED',
    ]);
    expect(list[1].inputData.forkedTasks).toEqual([]);
    expect(list[2]).toMatchObject({ inputData: { joinOn: [] }, outputData: {} });
  });

  it('fails the workflow, creating no fork task, when a forked task input is not a map', async () => {
    const { engine } = await setup();
    const id = await forkFrom(engine, { ...TWO_TASKS, dynamicTasksInput: { xdt1: 'v1', xdt2: 'v2' } });

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual(['dt1:COMPLETED']);
    expect(wf.reasonForIncompletion).toMatch(/^Tasks could not be dynamically forked due to invalid input/);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    [
      'the inputs are not a map',
      { tasks: [{ name: 'a', taskReferenceName: 'a' }], inputs: ['x'] },
      /^Input to the dynamically forked tasks is not a map -> expecting a map of K,V {2}but found \["x"\]$/,
    ],
    ['the tasks are not a list', { tasks: { name: 'a' }, inputs: {} }, /^Input 'tasks' is invalid/],
    [
      'the tasks are missing',
      { inputs: {} },
      /^Input 'tasks' is invalid\. Cannot deserialize .* from 'null'$/,
    ],
    ['a task has no taskReferenceName', { tasks: [{ name: 'a' }], inputs: {} }, /^Input 'tasks' is invalid/],
  ];
  for (const [label, input, reason] of invalid) {
    it(`fails the workflow at start with no task when ${label}`, async () => {
      const { engine } = await setup();
      const id = await startWith(engine, inputFork({}), input);
      const wf = await engine.getWorkflow(id);
      expect(wf.status).toBe('FAILED');
      expect(wf.tasks).toEqual([]);
      expect(wf.reasonForIncompletion).toMatch(reason);
    });
  }

  it('fails the workflow when a forked reference name is taken already', async () => {
    const { engine } = await setup();
    const def: WorkflowDef = { ...inputFork({}), tasks: [simple('first'), ...inputFork({}).tasks] };
    await engine.registerWorkflowDef(def);
    const id = await engine.startWorkflow({
      name: def.name,
      input: { tasks: [{ name: 'x', taskReferenceName: 'first' }], inputs: {} },
    });
    await engine.idle();
    await complete(engine, 'first');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual(['first:COMPLETED']);
    expect(wf.reasonForIncompletion).toMatch(/duplicate task reference name: first$/);
  });

  it('forks one task per forkTaskInputs element (forkTaskName form), __index added, optional carried over', async () => {
    const { engine } = await setup();
    const def = inputFork({
      optional: true,
      dynamicForkTasksParam: null,
      dynamicForkTasksInputParamName: null,
      inputParameters: { forkTaskName: 'resize', forkTaskInputs: '${workflow.input.images}' },
    });
    const id = await startWith(engine, def, { images: [{ url: 'a.png' }, 'b.png'] });

    const list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'dyn:COMPLETED',
      '_resize_0:SCHEDULED',
      '_resize_1:SCHEDULED',
      'join:IN_PROGRESS',
    ]);
    expect(list[1]).toMatchObject({ taskType: 'resize', inputData: { url: 'a.png', __index: 0 } });
    expect(list[2]).toMatchObject({ taskType: 'resize', inputData: { input: 'b.png', __index: 1 } });
    expect(list[1].workflowTask.optional).toBe(true);
    expect(list[3].inputData.joinOn).toEqual(['_resize_0', '_resize_1']);

    await complete(engine, 'resize', { w: 1 });
    await complete(engine, 'resize', { w: 2 });
    expect(byRef(await tasks(engine, id), 'join').outputData).toEqual({
      _resize_0: { w: 1 },
      _resize_1: { w: 2 },
    });
  });

  it('prefixes the refs of a second dynamic fork with its own ref (forkTaskName form)', async () => {
    const { engine } = await setup();
    const dyn = (ref: string): WorkflowTask => ({
      name: ref,
      taskReferenceName: ref,
      type: 'FORK_JOIN_DYNAMIC',
      inputParameters: { forkTaskName: 'work', forkTaskInputs: [1] },
    });
    const def: WorkflowDef = {
      name: 'two_forks',
      version: 1,
      tasks: [
        dyn('first'),
        { name: 'join1', taskReferenceName: 'join1', type: 'JOIN' },
        dyn('second'),
        { name: 'join2', taskReferenceName: 'join2', type: 'JOIN' },
      ],
    };
    const id = await startWith(engine, def, {});
    await complete(engine, 'work');
    await complete(engine, 'work');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((t) => t.referenceTaskName)).toEqual([
      'first',
      '_work_0',
      'join1',
      'second',
      '_second_work_0',
      'join2',
    ]);
  });

  it('reads the legacy dynamicForkJoinTasksParam form', async () => {
    const { engine } = await setup();
    const def = inputFork({
      dynamicForkTasksParam: null,
      dynamicForkTasksInputParamName: null,
      dynamicForkJoinTasksParam: 'legacy',
      inputParameters: { legacy: '${workflow.input.legacy}' },
    });
    const id = await startWith(engine, def, {
      legacy: {
        dynamicTasks: [
          { taskName: 'old_a', referenceName: 'la', input: { n: 1 } },
          { taskName: 'old_b', referenceName: 'lb', type: 'SIMPLE' },
        ],
      },
    });
    const list = await tasks(engine, id);
    expect(refs(list)).toEqual(['dyn:COMPLETED', 'la:SCHEDULED', 'lb:SCHEDULED', 'join:IN_PROGRESS']);
    expect(list[1]).toMatchObject({ taskType: 'old_a', inputData: { n: 1 } });
    expect(list[2]).toMatchObject({ taskType: 'old_b', inputData: {} });
  });

  it('forks per iteration inside a DO_WHILE: children and JOIN carry the iteration suffix', async () => {
    const { engine } = await setup();
    const loop = {
      name: 'loop',
      taskReferenceName: 'loop',
      type: 'DO_WHILE',
      inputParameters: { items: '${workflow.input.items}' },
      items: '${workflow.input.items}',
      loopOver: [
        {
          name: 'dyn',
          taskReferenceName: 'dyn',
          type: 'FORK_JOIN_DYNAMIC',
          inputParameters: { forkTaskName: 'work', forkTaskInputs: ['${loop.output.loopItem}'] },
        },
        { name: 'join', taskReferenceName: 'join', type: 'JOIN' },
      ],
    } as WorkflowTask;
    const id = await startWith(
      engine,
      { name: 'loop_dyn', version: 1, tasks: [loop] },
      { items: ['x', 'y'] },
    );
    const first = await complete(engine, 'work', { done: 'x' });
    const second = await complete(engine, 'work', { done: 'y' });

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual([
      'loop:COMPLETED',
      'dyn__1:COMPLETED',
      '_work_0__1:COMPLETED',
      'join__1:COMPLETED',
      'dyn__2:COMPLETED',
      // As in Conductor: the workflow has run a dynamic fork already (dyn__1), so the refs get its prefix.
      '_dyn_work_0__2:COMPLETED',
      'join__2:COMPLETED',
    ]);
    expect([first.inputData.input, second.inputData.input]).toEqual(['x', 'y']);
    expect([first.iteration, second.iteration]).toEqual([1, 2]);
    expect(byRef(wf.tasks, 'join__2')).toMatchObject({
      inputData: { joinOn: ['_dyn_work_0'] },
      outputData: { _dyn_work_0__2: { done: 'y' } },
    });
  });

  it('fans out to 100 tasks and joins them (fan-out-100)', async () => {
    const { engine } = await setup();
    const n = 100;
    const def = inputFork({}, 'fan_out_100');
    engine.registerWorker('noop_worker', async (task) => ({ outputData: { i: task.inputData.i } }));
    const input = {
      tasks: Array.from({ length: n }, (_, i) => ({ name: 'noop_worker', taskReferenceName: `b${i}` })),
      inputs: Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, { i }])),
    };
    engine.registerWorker('after', async () => {});
    const id = await startWith(engine, def, input);
    const wf = await engine.waitForWorkflow(id, { timeoutMs: 10_000 });

    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks).toHaveLength(n + 3);
    const join = byRef(wf.tasks, 'join');
    expect(Object.keys(join.outputData)).toHaveLength(n);
    expect(join.outputData.b99).toEqual({ i: 99 });
    expect(wf.tasks.map((t) => t.seq)).toEqual(Array.from({ length: n + 3 }, (_, i) => i + 1));
  });
});
