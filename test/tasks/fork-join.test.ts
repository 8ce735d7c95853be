import { describe, expect, it } from 'vitest';
import type { Engine, Task, WorkflowDef, WorkflowTask } from '../../src/index.js';
import { joinTask } from '../../src/tasks/join.js';
import type { ExecuteContext } from '../../src/tasks/task-type.js';
import { makeTask } from '../../src/testing/fixtures.js';
import { byRef, complete, type FixtureCase, fail, refs, runFixture, types } from '../helpers/control-flow.js';
import { setup, simple, T0 } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

async function start(engine: Engine, def: WorkflowDef, input: Record<string, unknown> = {}): Promise<string> {
  await engine.registerWorkflowDef(def);
  const id = await engine.startWorkflow({ name: def.name, input });
  await engine.idle();
  return id;
}

async function tasks(engine: Engine, id: string): Promise<Task[]> {
  return (await engine.getWorkflow(id)).tasks;
}

/** fork [branches] → JOIN on `joinOn` → `after`. */
function forkDef(
  branches: WorkflowTask[][],
  joinOn: string[],
  options: { name?: string; fork?: Partial<WorkflowTask> } = {},
): WorkflowDef {
  return {
    name: options.name ?? 'wf_fork',
    version: 1,
    tasks: [
      { name: 'fork', taskReferenceName: 'fork', type: 'FORK_JOIN', forkTasks: branches, ...options.fork },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn },
      simple('after', { inputParameters: { joined: '${join.output}' } }),
    ],
  };
}

describe('FORK_JOIN + JOIN (ForkJoinSpec)', () => {
  it('creates FORK, the first task of each branch and the JOIN in one pass, then joins and goes on', async () => {
    const { engine } = await setup();
    const id = await start(engine, loadWorkflowDef('fork-join.json'), { param1: 'p1', origin: 'o' });

    let list = await tasks(engine, id);
    expect(types(list)).toEqual([
      'FORK:COMPLETED',
      'integration_task_1:SCHEDULED',
      'integration_task_2:SCHEDULED',
      'JOIN:IN_PROGRESS',
    ]);
    expect(list.map((t) => t.seq)).toEqual([1, 2, 3, 4]);
    expect(list[0]).toMatchObject({
      referenceTaskName: 'fanouttask',
      taskDefName: 'FORK',
      inputData: { origin: 'o' },
    });
    expect(list[3]).toMatchObject({
      referenceTaskName: 'fanouttask_join',
      taskDefName: 'JOIN',
      inputData: { joinOn: ['t3', 't2'] },
    });

    await complete(engine, 'integration_task_1', { value: 'v1' });
    list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fanouttask:COMPLETED',
      't1:COMPLETED',
      't2:SCHEDULED',
      'fanouttask_join:IN_PROGRESS',
      't3:SCHEDULED',
    ]);
    expect(list[4].inputData).toEqual({ fromT1: 'v1' });

    await complete(engine, 'integration_task_3', { r3: 3 });
    expect(byRef(await tasks(engine, id), 'fanouttask_join').status).toBe('IN_PROGRESS');

    await complete(engine, 'integration_task_2', { r2: 2 });
    list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fanouttask:COMPLETED',
      't1:COMPLETED',
      't2:COMPLETED',
      'fanouttask_join:COMPLETED',
      't3:COMPLETED',
      't4:SCHEDULED',
    ]);
    expect(list[3].outputData).toEqual({ t3: { r3: 3 }, t2: { r2: 2 } });
    expect(list[5].inputData).toEqual({ joined: { t3: { r3: 3 }, t2: { r2: 2 } } });

    await complete(engine, 'integration_task_4', { done: true });
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ joined: { t3: { r3: 3 }, t2: { r2: 2 } }, final: { done: true } });
  });

  it('fails the workflow when a branch task fails for good; the JOIN and the pending sibling end CANCELED', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'integration_task_2', retryCount: 0 }]);
    const id = await start(engine, loadWorkflowDef('fork-join.json'));

    await complete(engine, 'integration_task_1');
    const failed = await fail(engine, 'integration_task_2', 'boom');

    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual([
      'fanouttask:COMPLETED',
      't1:COMPLETED',
      't2:FAILED',
      'fanouttask_join:CANCELED',
      't3:CANCELED',
    ]);
    expect(wf.reasonForIncompletion).toBe(
      `Task ${failed.taskId} failed with status: FAILED and reason: 'boom'`,
    );
    expect(wf.failedReferenceTaskNames).toEqual(['t2']);
  });

  it('joins on the latest attempt of a retried branch task', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'b', retryCount: 1, retryDelaySeconds: 0 }]);
    const id = await start(engine, forkDef([[simple('a')], [simple('b')]], ['a', 'b']));

    await fail(engine, 'b', 'first try');
    await complete(engine, 'a', { a: 1 });
    expect(byRef(await tasks(engine, id), 'join').status).toBe('IN_PROGRESS');
    await complete(engine, 'b', { b: 2 });

    const list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fork:COMPLETED',
      'a:COMPLETED',
      'b:FAILED',
      'join:COMPLETED',
      'b:COMPLETED',
      'after:SCHEDULED',
    ]);
    expect(byRef(list, 'join').outputData).toEqual({ a: { a: 1 }, b: { b: 2 } });
  });

  it('ends an optional branch task COMPLETED_WITH_ERRORS and the JOIN COMPLETED_WITH_ERRORS; the workflow goes on', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'maybe', retryCount: 0 }]);
    const id = await start(
      engine,
      forkDef([[simple('maybe', { optional: true })], [simple('sure')]], ['maybe', 'sure']),
    );

    const failed = await fail(engine, 'maybe', 'not today');
    await complete(engine, 'sure', { ok: true });

    let list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fork:COMPLETED',
      'maybe:COMPLETED_WITH_ERRORS',
      'sure:COMPLETED',
      'join:COMPLETED_WITH_ERRORS',
      'after:SCHEDULED',
    ]);
    const join = byRef(list, 'join');
    expect(join.reasonForIncompletion).toBe(`maybe/${failed.taskId} completed with errors`);
    expect(join.outputData).toEqual({ sure: { ok: true } });

    await complete(engine, 'after');
    list = await tasks(engine, id);
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('lets the other branch finish after a permissive failure, then fails the JOIN and the workflow', async () => {
    const { engine } = await setup();
    const id = await start(engine, loadWorkflowDef('fork-join-permissive.json'));

    let list = await tasks(engine, id);
    expect(list[1].workflowTask.permissive).toBe(true);
    const failed = await fail(engine, 'integration_task_1', 'Failed...');
    list = await tasks(engine, id);
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
    expect(refs(list)).toEqual([
      'fanouttask:COMPLETED',
      't1:FAILED',
      't2:SCHEDULED',
      'fanouttask_join:IN_PROGRESS',
    ]);

    await complete(engine, 'integration_task_2');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(refs(wf.tasks)).toEqual([
      'fanouttask:COMPLETED',
      't1:FAILED',
      't2:COMPLETED',
      'fanouttask_join:FAILED',
    ]);
    const join = byRef(wf.tasks, 'fanouttask_join');
    expect(join.reasonForIncompletion).toBe('Failed...');
    expect(wf.reasonForIncompletion).toBe(
      `Task ${join.taskId} failed with status: FAILED and reason: 'Failed...'`,
    );
    expect(failed.taskId).toBe(byRef(wf.tasks, 't1').taskId);
  });

  it('completes the JOIN when its joinOn subset is done; the other branch still runs to the end', async () => {
    const { engine } = await setup();
    const id = await start(engine, forkDef([[simple('slow'), simple('slower')], [simple('fast')]], ['fast']));

    await complete(engine, 'fast', { f: 1 });
    let list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fork:COMPLETED',
      'slow:SCHEDULED',
      'fast:COMPLETED',
      'join:COMPLETED',
      'after:SCHEDULED',
    ]);
    expect(byRef(list, 'join').outputData).toEqual({ fast: { f: 1 } });

    await complete(engine, 'after');
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
    await complete(engine, 'slow');
    await complete(engine, 'slower');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    list = wf.tasks;
    expect(refs(list)).toContain('slower:COMPLETED');
  });

  it('leaves tasks with an empty output out of the JOIN output', async () => {
    const { engine } = await setup();
    const id = await start(engine, forkDef([[simple('a')], [simple('b')]], ['a', 'b']));
    await complete(engine, 'a');
    await complete(engine, 'b', { x: 1 });
    expect(byRef(await tasks(engine, id), 'join').outputData).toEqual({ b: { x: 1 } });
  });

  it('runs a nested fork: 7 tasks at start, inner JOIN then outer JOIN, 13 tasks at the end', async () => {
    const { engine } = await setup();
    const id = await start(engine, loadWorkflowDef('fork-nested.json'), { case: 'a' });

    let list = await tasks(engine, id);
    expect(types(list)).toEqual([
      'FORK:COMPLETED',
      'integration_task_11:SCHEDULED',
      'FORK:COMPLETED',
      'integration_task_12:SCHEDULED',
      'integration_task_13:SCHEDULED',
      'JOIN:IN_PROGRESS',
      'JOIN:IN_PROGRESS',
    ]);
    expect(list.map((t) => t.referenceTaskName)).toEqual([
      'fork1',
      't11',
      'fork2',
      't12',
      't13',
      'join2',
      'join1',
    ]);
    expect(list[5].inputData.joinOn).toEqual(['t14', 't20']);
    expect(list[6].inputData.joinOn).toEqual(['t11', 'join2']);

    await complete(engine, 'integration_task_11', { r: 11 });
    await complete(engine, 'integration_task_12');
    await complete(engine, 'integration_task_13');
    list = await tasks(engine, id);
    expect(types(list).slice(7)).toEqual([
      'integration_task_14:SCHEDULED',
      'DECISION:COMPLETED',
      'integration_task_16:SCHEDULED',
    ]);
    await complete(engine, 'integration_task_16');
    await complete(engine, 'integration_task_14', { r: 14 });
    expect(types(await tasks(engine, id)).slice(10)).toEqual(['integration_task_19:SCHEDULED']);
    await complete(engine, 'integration_task_19');
    expect(types(await tasks(engine, id)).slice(11)).toEqual(['integration_task_20:SCHEDULED']);
    await complete(engine, 'integration_task_20', { r: 20 });

    list = await tasks(engine, id);
    expect(list).toHaveLength(13);
    expect(refs([list[5], list[6], list[12]])).toEqual([
      'join2:COMPLETED',
      'join1:COMPLETED',
      't15:SCHEDULED',
    ]);
    const inner = { t14: { r: 14 }, t20: { r: 20 } };
    expect(list[5].outputData).toEqual(inner);
    expect(list[6].outputData).toEqual({ t11: { r: 11 }, join2: inner });

    await complete(engine, 'integration_task_15');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ joined: { t11: { r: 11 }, join2: inner } });
  });

  it('runs a SWITCH at the start of a branch: its branch task comes right after it, before the other branch', async () => {
    const { engine } = await setup();
    const id = await start(engine, loadWorkflowDef('fork-switch.json'), { case: 'c' });

    let list = await tasks(engine, id);
    expect(types(list)).toEqual([
      'FORK:COMPLETED',
      'SWITCH:COMPLETED',
      'integration_task_1:SCHEDULED',
      'integration_task_10:SCHEDULED',
      'JOIN:IN_PROGRESS',
    ]);

    await complete(engine, 'integration_task_1');
    await complete(engine, 'integration_task_10');
    list = await tasks(engine, id);
    expect(types(list).slice(2)).toEqual([
      'integration_task_1:COMPLETED',
      'integration_task_10:COMPLETED',
      'JOIN:IN_PROGRESS',
      'integration_task_2:SCHEDULED',
    ]);
    expect(list[4].inputData.joinOn).toEqual(['t20', 't10']);

    await complete(engine, 'integration_task_2');
    expect(types(await tasks(engine, id)).slice(6)).toEqual(['integration_task_20:SCHEDULED']);
    await complete(engine, 'integration_task_20');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks).toHaveLength(7);
    expect(wf.tasks[4].status).toBe('COMPLETED');
  });

  it('completes the JOIN COMPLETED_WITH_ERRORS when an optional SWITCH in a branch fails', async () => {
    const { engine } = await setup();
    const sw: WorkflowTask = {
      name: 'sw',
      taskReferenceName: 'sw',
      type: 'SWITCH',
      evaluatorType: 'javascript',
      expression: 'throw new Error("no case")',
      optional: true,
      decisionCases: { x: [simple('x')] },
    };
    const id = await start(engine, forkDef([[sw], [simple('b')]], ['sw', 'b']));
    await complete(engine, 'b');

    const list = await tasks(engine, id);
    expect(refs(list)).toEqual([
      'fork:COMPLETED',
      'sw:COMPLETED_WITH_ERRORS',
      'b:COMPLETED',
      'join:COMPLETED_WITH_ERRORS',
      'after:SCHEDULED',
    ]);
    expect(byRef(list, 'join').reasonForIncompletion).toBe(
      `SWITCH/${byRef(list, 'sw').taskId} completed with errors`,
    );
  });

  it('joins on the refs of its own iteration inside a DO_WHILE (join__N)', async () => {
    const { engine } = await setup();
    const loop: WorkflowTask = {
      name: 'loop',
      taskReferenceName: 'loop',
      type: 'DO_WHILE',
      inputParameters: { items: '${workflow.input.items}' },
      items: '${workflow.input.items}',
      loopOver: [
        {
          name: 'fork',
          taskReferenceName: 'fork',
          type: 'FORK_JOIN',
          forkTasks: [[simple('a')], [simple('b')]],
        },
        { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['a', 'b'] },
      ],
    } as WorkflowTask;
    const id = await start(engine, { name: 'loop_fork', version: 1, tasks: [loop] }, { items: [1, 2] });

    for (const i of [1, 2]) {
      await complete(engine, 'a', { a: i });
      await complete(engine, 'b', { b: i });
    }
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(refs(wf.tasks)).toEqual([
      'loop:COMPLETED',
      'fork__1:COMPLETED',
      'a__1:COMPLETED',
      'b__1:COMPLETED',
      'join__1:COMPLETED',
      'fork__2:COMPLETED',
      'a__2:COMPLETED',
      'b__2:COMPLETED',
      'join__2:COMPLETED',
    ]);
    const join2 = byRef(wf.tasks, 'join__2');
    expect(join2.inputData.joinOn).toEqual(['a', 'b']);
    expect(join2.outputData).toEqual({ a__2: { a: 2 }, b__2: { b: 2 } });
  });
});

describe('JOIN evaluation', () => {
  function ctxWith(tasks: Task[]): ExecuteContext {
    return { tasks, now: T0 } as unknown as ExecuteContext;
  }

  it('waits while a joined task has failed but the decider has not handled it yet', () => {
    const join = makeTask({
      taskId: 'j',
      referenceTaskName: 'join',
      taskType: 'JOIN',
      status: 'IN_PROGRESS',
      inputData: { joinOn: ['a'] },
    });
    const failed = makeTask({ taskId: 'a', referenceTaskName: 'a', status: 'FAILED' });
    expect(joinTask.execute?.(join, ctxWith([join, failed]))).toBeNull();

    const handled = { ...failed, status: 'COMPLETED_WITH_ERRORS' as const, executed: true };
    const optional = { ...handled, workflowTask: { ...handled.workflowTask, optional: true } };
    expect(joinTask.execute?.(join, ctxWith([join, optional]))).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
    });
  });

  it('finds each joined task with one backward pass, latest attempt first', () => {
    const n = 200;
    const branch = Array.from({ length: n }, (_, i) =>
      makeTask({ taskId: `t${i}`, referenceTaskName: `r${i}`, status: 'COMPLETED', outputData: { i } }),
    );
    const retried = makeTask({
      taskId: 'old',
      referenceTaskName: 'r0',
      status: 'FAILED',
      retried: true,
      executed: true,
    });
    const joinOn = branch.map((t) => t.referenceTaskName);
    const join = makeTask({
      taskId: 'j',
      referenceTaskName: 'join',
      taskType: 'JOIN',
      status: 'IN_PROGRESS',
      inputData: { joinOn },
    });
    const done = joinTask.execute?.(join, ctxWith([retried, join, ...branch])) as Task;
    expect(done.status).toBe('COMPLETED');
    expect(Object.keys(done.outputData)).toHaveLength(n);
    expect(done.outputData.r0).toEqual({ i: 0 });
  });
});

describe('fixture corpus: fork-*.json', () => {
  const cases: FixtureCase[] = [
    {
      fixture: 'fork-join.json',
      input: { param1: 'p1' },
      status: 'COMPLETED',
      refs: ['fanouttask', 't1', 't2', 'fanouttask_join', 't3', 't4'],
      output: {
        joined: { t3: { taskReferenceName: 't3' }, t2: { taskReferenceName: 't2' } },
        final: { taskReferenceName: 't4' },
      },
    },
    {
      fixture: 'fork-join-permissive.json',
      input: {},
      worker: (task) => {
        if (task.referenceTaskName === 't1') throw new Error('t1 broke');
        return {};
      },
      status: 'FAILED',
      refs: ['fanouttask', 't1', 't2', 'fanouttask_join'],
    },
    {
      fixture: 'fork-nested.json',
      input: { case: 'a' },
      worker: () => ({}),
      status: 'COMPLETED',
      refs: [
        'fork1',
        't11',
        'fork2',
        't12',
        't13',
        'join2',
        'join1',
        't14',
        'd1',
        't16',
        't19',
        't20',
        't15',
      ],
      output: { joined: {} },
    },
    {
      fixture: 'fork-switch.json',
      input: { case: 'c' },
      status: 'COMPLETED',
      refs: ['forkTask', 'switchTask', 't1', 't10', 'joinTask', 't2', 't20'],
    },
    {
      fixture: 'fork-dynamic.json',
      input: {},
      worker: (task) =>
        task.referenceTaskName === 'dt1'
          ? {
              dynamicTasks: [
                { name: 'integration_task_2', taskReferenceName: 'xdt1' },
                { name: 'integration_task_3', taskReferenceName: 'xdt2' },
              ],
              dynamicTasksInput: { xdt1: { k: 1 }, xdt2: { k: 2 } },
            }
          : { got: task.inputData.k ?? null },
      extraWorkers: ['integration_task_2', 'integration_task_3'],
      status: 'COMPLETED',
      refs: ['dt1', 'dynamicfanouttask', 'xdt1', 'xdt2', 'dynamicfanouttask_join', 'task4'],
      output: { joined: { xdt1: { got: 1 }, xdt2: { got: 2 } } },
    },
  ];
  for (const c of cases) {
    it(`${c.fixture} ${JSON.stringify(c.input)} → ${c.status}`, async () => {
      const { engine } = await setup();
      const wf = await runFixture(engine, loadWorkflowDef(c.fixture), c);
      expect(wf.status).toBe(c.status);
      expect(wf.tasks.map((t) => t.referenceTaskName)).toEqual(c.refs);
      if (c.output) expect(wf.output).toEqual(c.output);
    });
  }
});
