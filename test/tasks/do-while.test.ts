import { describe, expect, it, vi } from 'vitest';
import { defIndex } from '../../src/decider/def-index.js';
import type { Engine, Task, WorkflowDef, WorkflowTask } from '../../src/index.js';
import { doWhileTask } from '../../src/tasks/do-while.js';
import type { ExecuteContext } from '../../src/tasks/task-type.js';
import { advance, define, setup, simple, T0, taskList } from '../helpers/engine.js';
import { loadWorkflowDef } from '../helpers/json-fixtures.js';

function byRef(tasks: readonly Task[], ref: string): Task {
  const task = tasks.find((t) => t.referenceTaskName === ref);
  if (!task) throw new Error(`no task ${ref}`);
  return task;
}

/** The counter fixture's worker: counts iterations and asks for another while below the limit. */
function counterWorker(engine: Engine, received: Task[] = []) {
  engine.registerWorker('counter', async (task) => {
    received.push(task);
    const index = task.inputData.index as number;
    return { outputData: { count: index, more: index < (task.inputData.limit as number) } };
  });
  return received;
}

function loopStep(loopOver: WorkflowTask[], overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return { name: 'loop', taskReferenceName: 'loop', type: 'DO_WHILE', loopOver, ...overrides };
}

describe('DO_WHILE iterations', () => {
  it('runs the body while the condition holds, with suffixed refs, iterations and per-iteration output', async () => {
    const t = await setup();
    await t.engine.registerWorkflowDef(loadWorkflowDef('do-while-counter.json'));
    const received = counterWorker(t.engine);
    t.engine.registerWorker('after', async () => ({ outputData: { done: true } }));
    const id = await t.engine.startWorkflow({ name: 'do_while_counter', input: { loop: 3 } });
    const wf = await t.engine.waitForWorkflow(id);

    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.status, x.iteration, x.seq])).toEqual([
      ['loopTask', 'COMPLETED', 3, 1],
      ['counter__1', 'COMPLETED', 1, 2],
      ['counter__2', 'COMPLETED', 2, 3],
      ['counter__3', 'COMPLETED', 3, 4],
      ['after', 'COMPLETED', 0, 5],
    ]);
    expect(wf.tasks.slice(1, 4).every((x) => x.loopOverTask && x.taskType === 'counter')).toBe(true);
    // ${loopTask['iteration']} and ${loopTask.output.iteration} see the current iteration; ${counter.output…}
    // the latest earlier one.
    expect(received.map((x) => x.inputData)).toEqual([
      { index: 1, fromOutput: 1, previous: null, limit: 3 },
      { index: 2, fromOutput: 2, previous: 1, limit: 3 },
      { index: 3, fromOutput: 3, previous: 2, limit: 3 },
    ]);
    const loop = byRef(wf.tasks, 'loopTask');
    expect(loop.outputData).toEqual({
      iteration: 3,
      '1': { counter: { count: 1, more: true } },
      '2': { counter: { count: 2, more: true } },
      '3': { counter: { count: 3, more: false } },
    });
    expect(loop).toMatchObject({ inputData: { value: 3 }, startTime: T0, taskType: 'DO_WHILE' });
    expect(byRef(wf.tasks, 'after').inputData).toEqual({ last: 3, iterations: 3 });
  });

  it('runs the body exactly once when the condition is false after the first iteration', async () => {
    const t = await setup();
    await t.engine.registerWorkflowDef(loadWorkflowDef('do-while-counter.json'));
    counterWorker(t.engine);
    t.engine.registerWorker('after', async () => ({}));
    const id = await t.engine.startWorkflow({ name: 'do_while_counter', input: { loop: 1 } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'loopTask:COMPLETED',
      'counter__1:COMPLETED',
      'after:COMPLETED',
    ]);
    expect(byRef(wf.tasks, 'loopTask').outputData).toEqual({
      iteration: 1,
      '1': { counter: { count: 1, more: false } },
    });
  });

  it('starts with the loop IN_PROGRESS at iteration 1 and only the first body step scheduled', async () => {
    const t = await setup();
    await define(t.engine, 'two_steps', [
      loopStep([simple('a'), simple('b')], { loopCondition: '${b.output.more}' }),
    ]);
    const id = await t.engine.startWorkflow({ name: 'two_steps' });
    const wf = await t.engine.getWorkflow(id);
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'loop:IN_PROGRESS',
      'a__1:SCHEDULED',
    ]);
    expect(wf.tasks[0]).toMatchObject({ iteration: 1, outputData: { iteration: 1 } });
    expect(wf.tasks[1]).toMatchObject({ iteration: 1, loopOverTask: true });

    // The rest of the body follows navigation with the suffix kept; after the last step nothing new appears
    // until the loop has evaluated its condition.
    const a = (await t.engine.pollTask('a'))!;
    await t.engine.updateTask({ taskId: a.taskId, status: 'COMPLETED', outputData: { step: 'a' } });
    expect(await taskList(t.engine, id)).toEqual(['loop:IN_PROGRESS', 'a__1:COMPLETED', 'b__1:SCHEDULED']);
    const b = (await t.engine.pollTask('b'))!;
    expect(b.iteration).toBe(1);
    await t.engine.updateTask({ taskId: b.taskId, status: 'COMPLETED', outputData: { more: true } });
    expect(await taskList(t.engine, id)).toEqual([
      'loop:IN_PROGRESS',
      'a__1:COMPLETED',
      'b__1:COMPLETED',
      'a__2:SCHEDULED',
    ]);
    const a2 = (await t.engine.pollTask('a'))!;
    await t.engine.updateTask({ taskId: a2.taskId, status: 'COMPLETED', outputData: { step: 'a2' } });
    const b2 = (await t.engine.pollTask('b'))!;
    await t.engine.updateTask({ taskId: b2.taskId, status: 'COMPLETED', outputData: { more: 0 } });
    const done = await t.engine.waitForWorkflow(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.tasks[0].outputData).toEqual({
      iteration: 2,
      '1': { a: { step: 'a' }, b: { more: true } },
      '2': { a: { step: 'a2' }, b: { more: 0 } },
    });
    // Without outputParameters the workflow output is the last task's in seq order: b__2's.
    expect(done.output).toEqual({ more: 0 });
  });

  it('reads a ${...} condition with Conductor evalBool rules: numbers > 0 go on, anything else stops', async () => {
    const t = await setup();
    await define(t.engine, 'countdown', [
      loopStep([simple('tick', { inputParameters: { i: '${loop.iteration}' } })], {
        loopCondition: '${tick.output.remaining}',
      }),
    ]);
    const remaining: unknown[] = [2, 1.5, 'yes'];
    t.engine.registerWorker('tick', async (task) => ({
      outputData: { remaining: remaining[(task.inputData.i as number) - 1] },
    }));
    const id = await t.engine.startWorkflow({ name: 'countdown' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.tasks.map((x) => x.referenceTaskName)).toEqual(['loop', 'tick__1', 'tick__2', 'tick__3']);
    expect(wf.tasks[0].iteration).toBe(3);
  });

  it('runs 100 iterations quickly, with every ref, iteration and output key in place', async () => {
    const t = await setup();
    await define(t.engine, 'hundred', [
      loopStep([simple('t', { inputParameters: { i: "${loop['iteration']}" } })], {
        loopCondition: '${t.output.more}',
      }),
    ]);
    t.engine.registerWorker('t', async (task) => {
      const i = task.inputData.i as number;
      return { outputData: { i, more: i < 100 } };
    });
    const started = performance.now();
    const id = await t.engine.startWorkflow({ name: 'hundred' });
    const wf = await t.engine.waitForWorkflow(id);
    const elapsedMs = performance.now() - started;

    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks).toHaveLength(101);
    const body = wf.tasks.slice(1);
    expect(body.map((x) => x.referenceTaskName)).toEqual(
      Array.from({ length: 100 }, (_, k) => `t__${k + 1}`),
    );
    expect(body.map((x) => x.iteration)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(body.map((x) => x.inputData.i)).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    const loop = wf.tasks[0];
    expect(loop.iteration).toBe(100);
    expect(Object.keys(loop.outputData).sort()).toEqual(
      ['iteration', ...Array.from({ length: 100 }, (_, k) => String(k + 1))].sort(),
    );
    expect(loop.outputData['57']).toEqual({ t: { i: 57, more: true } });
    expect(elapsedMs).toBeLessThan(5_000);
  });

  it('runs a body of system tasks only (SET_VARIABLE-driven condition, DoWhileSpec)', async () => {
    const t = await setup();
    await define(t.engine, 'set_var_loop', [
      loopStep(
        [
          {
            name: 'set_variable',
            taskReferenceName: 'set_variable',
            type: 'SET_VARIABLE',
            inputParameters: { more: false, at: '${loop.iteration}' },
          },
        ],
        { loopCondition: '${workflow.variables.more}' },
      ),
    ]);
    const id = await t.engine.startWorkflow({ name: 'set_var_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'loop:COMPLETED',
      'set_variable__1:COMPLETED',
    ]);
    expect(wf.variables).toEqual({ more: false, at: 1 });
  });

  it('runs two loops one after the other', async () => {
    const t = await setup();
    await define(t.engine, 'two_loops', [
      loopStep([simple('a', { inputParameters: { i: '${first.iteration}' } })], {
        name: 'first',
        taskReferenceName: 'first',
        loopCondition: '${a.output.more}',
      }),
      loopStep([simple('b', { inputParameters: { i: '${second.iteration}' } })], {
        name: 'second',
        taskReferenceName: 'second',
        loopCondition: '${b.output.more}',
      }),
    ]);
    t.engine.registerWorker('a', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 2 },
    }));
    t.engine.registerWorker('b', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 3 },
    }));
    const id = await t.engine.startWorkflow({ name: 'two_loops' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.iteration}`)).toEqual([
      'first:2',
      'a__1:1',
      'a__2:2',
      'second:3',
      'b__1:1',
      'b__2:2',
      'b__3:3',
    ]);
    expect(wf.status).toBe('COMPLETED');
  });
});

describe('DO_WHILE failures and retries', () => {
  it('retries a body task in place and records the latest copy in the iteration output', async () => {
    const t = await setup();
    await define(t.engine, 'retry_in_loop', [
      loopStep(
        [simple('flaky', { retryCount: 1, taskDefinition: { name: 'flaky', retryDelaySeconds: 0 } })],
        {
          loopCondition: '${flaky.output.more}',
        },
      ),
    ]);
    let calls = 0;
    t.engine.registerWorker('flaky', async () => {
      calls++;
      if (calls === 1) throw new Error('first try fails');
      return { outputData: { attempt: calls, more: false } };
    });
    const id = await t.engine.startWorkflow({ name: 'retry_in_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.status, x.retryCount, x.iteration])).toEqual([
      ['loop', 'COMPLETED', 0, 1],
      ['flaky__1', 'FAILED', 0, 1],
      ['flaky__1', 'COMPLETED', 1, 1],
    ]);
    expect(wf.tasks[0].outputData).toEqual({ iteration: 1, '1': { flaky: { attempt: 2, more: false } } });
  });

  it('fails the workflow when a body task fails for good; the loop is canceled', async () => {
    const t = await setup();
    await define(t.engine, 'fail_in_loop', [
      loopStep([simple('boom', { retryCount: 0 })], { loopCondition: '${boom.output.more}' }),
      simple('after'),
    ]);
    t.engine.registerWorker('boom', async () => {
      throw new Error('broken');
    });
    const id = await t.engine.startWorkflow({ name: 'fail_in_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'loop:CANCELED',
      'boom__1:FAILED',
    ]);
    expect(wf.reasonForIncompletion).toContain("reason: 'broken'");
  });

  it('fails the loop with the reason of a permissive body task that failed', async () => {
    const t = await setup();
    await define(t.engine, 'permissive_in_loop', [
      loopStep([simple('lenient', { retryCount: 0, permissive: true }), simple('next')], {
        loopCondition: '${next.output.more}',
      }),
    ]);
    t.engine.registerWorker('lenient', async () => {
      throw new Error('not fatal yet');
    });
    t.engine.registerWorker('next', async () => ({ outputData: { more: true } }));
    const id = await t.engine.startWorkflow({ name: 'permissive_in_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    const loop = byRef(wf.tasks, 'loop');
    expect(loop).toMatchObject({ status: 'FAILED', reasonForIncompletion: 'not fatal yet ' });
    expect(loop.outputData).toEqual({ iteration: 1, '1': { lenient: {} } });
    expect(byRef(wf.tasks, 'lenient__1').status).toBe('FAILED');
  });

  it('ends FAILED_WITH_TERMINAL_ERROR when the JavaScript condition cannot be evaluated', async () => {
    const t = await setup();
    await define(t.engine, 'bad_condition', [
      loopStep([simple('once')], { loopCondition: "throw new Error('boom')" }),
    ]);
    t.engine.registerWorker('once', async () => ({ outputData: { ok: 1 } }));
    const id = await t.engine.startWorkflow({ name: 'bad_condition' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('FAILED');
    const loop = wf.tasks[0];
    expect(loop.status).toBe('FAILED_WITH_TERMINAL_ERROR');
    // The message after "exception" is the sandbox's (the script's error, or that no sandbox is available).
    expect(loop.reasonForIncompletion).toMatch(
      /^Unable to evaluate condition throw new Error\('boom'\), exception ./,
    );
    expect(loop.outputData).toEqual({ iteration: 1, '1': { once: { ok: 1 } } });
  });
});

describe('DO_WHILE keepLastN and items', () => {
  it('keeps only the last N iterations in the output (tasks stay)', async () => {
    const t = await setup();
    await t.engine.registerWorkflowDef(loadWorkflowDef('do-while-keep-last-n.json'));
    t.engine.registerWorker('generate_data', async (task) => ({
      outputData: { data: task.inputData.iteration },
    }));
    t.engine.registerWorker('process_data', async (task) => ({
      outputData: {
        got: task.inputData.data,
        more: (task.inputData.iteration as number) < (task.inputData.max as number),
      },
    }));
    const id = await t.engine.startWorkflow({ name: 'do_while_keep_last_n', input: { max_iterations: 5 } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ total_iterations: 5 });
    const loop = wf.tasks[0];
    expect(loop.outputData).toEqual({
      iteration: 5,
      '3': { generate_data_ref: { data: 3 }, process_data_ref: { got: 3, more: true } },
      '4': { generate_data_ref: { data: 4 }, process_data_ref: { got: 4, more: true } },
      '5': { generate_data_ref: { data: 5 }, process_data_ref: { got: 5, more: false } },
    });
    expect(wf.tasks).toHaveLength(11);
  });

  it('iterates over items, one iteration per item, with loopIndex and loopItem', async () => {
    const t = await setup();
    const def: WorkflowDef = {
      name: 'items_loop',
      version: 1,
      tasks: [
        {
          ...loopStep([
            {
              name: 'collect',
              taskReferenceName: 'collect',
              type: 'SET_VARIABLE',
              inputParameters: { last: '${loop.output.loopItem}', index: '${loop.output.loopIndex}' },
            },
          ]),
          items: '${workflow.input.list}',
        } as WorkflowTask,
      ],
    };
    await t.engine.registerWorkflowDef(def);
    const id = await t.engine.startWorkflow({ name: 'items_loop', input: { list: ['a', 'b', 'c'] } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => x.referenceTaskName)).toEqual([
      'loop',
      'collect__1',
      'collect__2',
      'collect__3',
    ]);
    expect(wf.tasks.slice(1).map((x) => x.inputData)).toEqual([
      { last: 'a', index: 0 },
      { last: 'b', index: 1 },
      { last: 'c', index: 2 },
    ]);
    expect(wf.tasks[0].outputData).toMatchObject({ iteration: 3, loopIndex: 2, loopItem: 'c' });
    expect(wf.variables).toEqual({ last: 'c', index: 2 });
  });

  it('completes at once with iteration 0 over an empty _items list', async () => {
    const t = await setup();
    await define(t.engine, 'empty_items', [
      // An exported items loop carries an empty condition (Conductor's validation wants the field).
      loopStep([simple('never')], {
        inputParameters: { _items: '${workflow.input.list}' },
        loopCondition: '',
      }),
      simple('after'),
    ]);
    const id = await t.engine.startWorkflow({ name: 'empty_items', input: { list: [] } });
    expect(await taskList(t.engine, id)).toEqual(['loop:COMPLETED', 'after:SCHEDULED']);
    expect((await t.engine.getWorkflow(id)).tasks[0]).toMatchObject({
      iteration: 0,
      outputData: { iteration: 0 },
    });
  });
});

describe('DO_WHILE JavaScript condition (through a fake evaluator)', () => {
  /** A loop with a JavaScript condition, stopped at the end of its first iteration, and a context to run it. */
  async function firstIterationDone(evaluate: ExecuteContext['evaluate']) {
    const t = await setup();
    await define(t.engine, 'js_loop', [
      loopStep([simple('counter')], {
        name: 'loopTask',
        taskReferenceName: 'loopTask',
        inputParameters: { value: '${workflow.input.loop}', fixed: 'k' },
        loopCondition: "if ($.loopTask['iteration'] < $.value) { true; } else { false; }",
      }),
    ]);
    const id = await t.engine.startWorkflow({ name: 'js_loop', input: { loop: 2 } });
    const { tasks, ...workflow } = await t.engine.getWorkflow(id);
    const [loop, counter] = tasks;
    const done: Task = { ...counter, status: 'COMPLETED', executed: true, outputData: { count: 1 } };
    const schedule = vi.fn(() => [] as Task[]);
    const ctx = {
      workflow,
      tasks: [loop, done],
      now: T0 + 1,
      index: defIndex(workflow.workflowDefinition),
      schedule,
      evaluate,
    } as unknown as ExecuteContext;
    return { loop, ctx, schedule };
  }

  it('passes the re-resolved inputs, the loop output and the body outputs as $', async () => {
    const evaluate = vi.fn(async () => true);
    const { loop, ctx } = await firstIterationDone(evaluate);
    const next = await doWhileTask.execute!(loop, ctx);
    expect(evaluate).toHaveBeenCalledWith(
      "if ($.loopTask['iteration'] < $.value) { true; } else { false; }",
      {
        value: 2,
        fixed: 'k',
        loopTask: { iteration: 1, '1': { counter: { count: 1 } } },
        counter: { count: 1 },
      },
    );
    expect(next).toMatchObject({
      status: 'IN_PROGRESS',
      iteration: 2,
      outputData: { iteration: 2, '1': { counter: { count: 1 } } },
    });
  });

  it('completes on false or 0 and fails for good when the evaluation rejects', async () => {
    for (const result of [false, 0]) {
      const { loop, ctx } = await firstIterationDone(async () => result);
      expect(await doWhileTask.execute!(loop, ctx)).toMatchObject({
        status: 'COMPLETED',
        iteration: 1,
        endTime: T0 + 1,
      });
    }
    const { loop, ctx } = await firstIterationDone(async () => {
      throw new Error('ReferenceError: x is not defined');
    });
    expect(await doWhileTask.execute!(loop, ctx)).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion:
        "Unable to evaluate condition if ($.loopTask['iteration'] < $.value) { true; } else { false; }, exception ReferenceError: x is not defined",
    });
  });
});

describe('DO_WHILE with forks and switches in the body', () => {
  /** Conductor's Do_While_Workflow with its JavaScript condition swapped for a ${...} one (no sandbox needed). */
  async function registerForkLoop(engine: Engine): Promise<void> {
    const def = loadWorkflowDef('do-while-fork-join.json');
    def.tasks[0].loopCondition = '${integration_task_0.output.more}';
    await engine.registerWorkflowDef(def);
  }

  async function complete(engine: Engine, type: string, outputData: Record<string, unknown>): Promise<Task> {
    const task = await engine.pollTask(type);
    if (!task) throw new Error(`nothing to poll for ${type}`);
    await engine.updateTask({ taskId: task.taskId, status: 'COMPLETED', outputData });
    return task;
  }

  it('runs one iteration of a fork and join (DoWhileSpec scenario, loop = 1)', async () => {
    const t = await setup();
    await registerForkLoop(t.engine);
    const id = await t.engine.startWorkflow({ name: 'Do_While_Workflow', input: { loop: 1 } });
    expect(await taskList(t.engine, id)).toEqual(['loopTask:IN_PROGRESS', 'integration_task_0__1:SCHEDULED']);

    const first = await complete(t.engine, 'integration_task_0', { more: false });
    expect(first.inputData).toEqual({ iteration: 1 });
    expect(await taskList(t.engine, id)).toEqual([
      'loopTask:IN_PROGRESS',
      'integration_task_0__1:COMPLETED',
      'fork__1:COMPLETED',
      'integration_task_1__1:SCHEDULED',
      'integration_task_2__1:SCHEDULED',
      'join__1:IN_PROGRESS',
    ]);

    await complete(t.engine, 'integration_task_1', { ok1: 'a' });
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await complete(t.engine, 'integration_task_2', { ok2: 'b' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}:${x.iteration}`)).toEqual([
      'loopTask:COMPLETED:1',
      'integration_task_0__1:COMPLETED:1',
      'fork__1:COMPLETED:1',
      'integration_task_1__1:COMPLETED:1',
      'integration_task_2__1:COMPLETED:1',
      'join__1:COMPLETED:1',
    ]);
    expect(wf.tasks[0].outputData).toEqual({
      iteration: 1,
      '1': {
        integration_task_0: { more: false },
        fork: {},
        integration_task_1: { ok1: 'a' },
        integration_task_2: { ok2: 'b' },
        // Inside a loop a JOIN keys its output by the suffixed refs, as Conductor's does.
        join: { integration_task_1__1: { ok1: 'a' }, integration_task_2__1: { ok2: 'b' } },
      },
    });
  });

  it('runs the fork again in the second iteration with __2 refs', async () => {
    const t = await setup();
    await registerForkLoop(t.engine);
    t.engine.registerWorker('integration_task_0', async (task) => ({
      outputData: { more: (task.inputData.iteration as number) < 2 },
    }));
    t.engine.registerWorker('integration_task_1', async (task) => ({
      outputData: { ref: task.referenceTaskName },
    }));
    t.engine.registerWorker('integration_task_2', async (task) => ({
      outputData: { ref: task.referenceTaskName },
    }));
    const id = await t.engine.startWorkflow({ name: 'Do_While_Workflow', input: { loop: 2 } });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => x.referenceTaskName)).toEqual([
      'loopTask',
      'integration_task_0__1',
      'fork__1',
      'integration_task_1__1',
      'integration_task_2__1',
      'join__1',
      'integration_task_0__2',
      'fork__2',
      'integration_task_1__2',
      'integration_task_2__2',
      'join__2',
    ]);
    expect(wf.tasks.map((x) => x.iteration)).toEqual([2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(byRef(wf.tasks, 'join__2').outputData).toEqual({
      integration_task_1__2: { ref: 'integration_task_1__2' },
      integration_task_2__2: { ref: 'integration_task_2__2' },
    });
    expect(Object.keys(wf.tasks[0].outputData).sort()).toEqual(['1', '2', 'iteration']);
  });

  it('follows a different switch branch in each iteration, and waits for a branch ending the body', async () => {
    const t = await setup();
    await define(t.engine, 'switch_loop', [
      loopStep(
        [
          simple('a', { inputParameters: { i: '${loop.iteration}' } }),
          {
            name: 'pick',
            taskReferenceName: 'pick',
            type: 'SWITCH',
            evaluatorType: 'value-param',
            expression: 'which',
            inputParameters: { which: '${loop.iteration}' },
            decisionCases: { '1': [simple('first')], '2': [simple('second'), simple('second_b')] },
            defaultCase: [simple('other')],
          },
        ],
        { loopCondition: '${a.output.more}' },
      ),
      simple('after'),
    ]);
    t.engine.registerWorker('a', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 3 },
    }));
    for (const type of ['first', 'second', 'second_b', 'other', 'after']) {
      t.engine.registerWorker(type, async (task) => ({ outputData: { ran: task.referenceTaskName } }));
    }
    const id = await t.engine.startWorkflow({ name: 'switch_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'loop:COMPLETED',
      'a__1:COMPLETED',
      'pick__1:COMPLETED',
      'first__1:COMPLETED',
      'a__2:COMPLETED',
      'pick__2:COMPLETED',
      'second__2:COMPLETED',
      'second_b__2:COMPLETED',
      'a__3:COMPLETED',
      'pick__3:COMPLETED',
      'other__3:COMPLETED',
      'after:COMPLETED',
    ]);
    const output = wf.tasks[0].outputData;
    expect(Object.keys(output['2'] as object)).toEqual(['a', 'pick', 'second', 'second_b']);
    expect((output['3'] as Record<string, unknown>).other).toEqual({ ran: 'other__3' });
  });
});

describe('DO_WHILE with other task types', () => {
  it('waits in each iteration with a WAIT first in the body, waking at the exact instants', async () => {
    const t = await setup();
    await define(t.engine, 'wait_loop', [
      loopStep(
        [
          { name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '5s' } },
          simple('a', { inputParameters: { i: '${loop.iteration}' } }),
        ],
        { loopCondition: '${a.output.more}' },
      ),
    ]);
    t.engine.registerWorker('a', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 2 },
    }));
    const id = await t.engine.startWorkflow({ name: 'wait_loop' });
    await advance(t, 4_999);
    expect(await taskList(t.engine, id)).toEqual(['loop:IN_PROGRESS', 'pause__1:IN_PROGRESS']);
    await advance(t, 1);
    expect(await taskList(t.engine, id)).toEqual([
      'loop:IN_PROGRESS',
      'pause__1:COMPLETED',
      'a__1:COMPLETED',
      'pause__2:IN_PROGRESS',
    ]);
    await advance(t, 5_000);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.endTime - T0])).toEqual([
      ['loop', 10_000],
      ['pause__1', 5_000],
      ['a__1', 5_000],
      ['pause__2', 10_000],
      ['a__2', 10_000],
    ]);
  });

  it('runs inside a fork branch next to another branch', async () => {
    const t = await setup();
    await define(t.engine, 'loop_in_fork', [
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [
          [
            loopStep([simple('a', { inputParameters: { i: '${loop.iteration}' } })], {
              loopCondition: '${a.output.more}',
            }),
          ],
          [simple('b')],
        ],
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['loop', 'b'] },
    ]);
    t.engine.registerWorker('a', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 3 },
    }));
    t.engine.registerWorker('b', async () => ({ outputData: { b: true } }));
    const id = await t.engine.startWorkflow({ name: 'loop_in_fork' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => x.referenceTaskName).sort()).toEqual(
      ['a__1', 'a__2', 'a__3', 'b', 'fork', 'join', 'loop'].sort(),
    );
    expect(byRef(wf.tasks, 'join').outputData).toMatchObject({ loop: { iteration: 3 }, b: { b: true } });
  });

  it('runs a DYNAMIC task in the body under the suffixed ref', async () => {
    const t = await setup();
    await define(t.engine, 'dynamic_loop', [
      loopStep(
        [
          {
            name: 'dyn',
            taskReferenceName: 'dt',
            type: 'DYNAMIC',
            dynamicTaskNameParam: 'name',
            inputParameters: { name: 'encode', i: '${loop.iteration}' },
          },
        ],
        { loopCondition: '${dt.output.more}' },
      ),
    ]);
    t.engine.registerWorker('encode', async (task) => ({
      outputData: { more: (task.inputData.i as number) < 2 },
    }));
    const id = await t.engine.startWorkflow({ name: 'dynamic_loop' });
    const wf = await t.engine.waitForWorkflow(id);
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.taskType}:${x.status}`)).toEqual([
      'loop:DO_WHILE:COMPLETED',
      'dt__1:encode:COMPLETED',
      'dt__2:encode:COMPLETED',
    ]);
  });
});
