import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type SandboxOptions, type Task, type Workflow, type WorkflowTask } from '../../src/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { T0 } from '../helpers/engine.js';

// Each engine owns a pool of isolates, so the file shares two: `engine` (16 MB heap) and `spinning` (a 100 ms
// script timeout). A pool grows only when every isolate is busy, so scripts run one after another reuse one
// isolate and its realm: what the isolation tests rely on.
let engine: Engine;
let spinning: Engine;
let workflowCount = 0;

function quietEngine(sandbox: SandboxOptions): Engine {
  return new Engine({ clock: new ManualClock(T0), sandbox, logger: { warn() {}, error() {} } });
}

beforeAll(async () => {
  engine = quietEngine({ poolSize: 2, memoryLimitMb: 16, timeoutMs: 5000 });
  spinning = quietEngine({ poolSize: 2, timeoutMs: 100 });
  for (const e of [engine, spinning]) {
    e.registerWorker('worker_step', async (task) => ({ outputData: { echoed: task.inputData.value } }));
    await e.start();
  }
});

afterAll(async () => {
  await Promise.all([engine.stop(), spinning.stop()]);
});

function inline(expression: string, extra: Record<string, unknown> = {}, ref = 'script'): WorkflowTask {
  return {
    name: ref,
    taskReferenceName: ref,
    type: 'INLINE',
    inputParameters: { evaluatorType: 'javascript', expression, ...extra },
  };
}

function lambda(scriptExpression: string, extra: Record<string, unknown> = {}): WorkflowTask {
  return {
    name: 'lambda',
    taskReferenceName: 'lambda',
    type: 'LAMBDA',
    inputParameters: { scriptExpression, ...extra },
  };
}

/**
 * Registers a workflow over `tasks` under a fresh name and starts it; `started` resolves with its id once the
 * first decide (which runs the scripts) is committed.
 */
async function startRun(
  on: Engine,
  tasks: WorkflowTask[],
  input: Record<string, unknown> = {},
  outputParameters?: Record<string, unknown>,
): Promise<{ started: Promise<string> }> {
  const name = `wf_${++workflowCount}`;
  await on.registerWorkflowDef({ name, version: 1, tasks, outputParameters });
  return { started: on.startWorkflow({ name, input }) };
}

async function run(
  tasks: WorkflowTask[],
  input: Record<string, unknown> = {},
  outputParameters?: Record<string, unknown>,
  on: Engine = engine,
): Promise<Workflow> {
  const id = await (await startRun(on, tasks, input, outputParameters)).started;
  return on.waitForWorkflow(id, { timeoutMs: 10_000 });
}

function only(wf: Workflow): Task {
  expect(wf.tasks).toHaveLength(1);
  return wf.tasks[0];
}

describe('INLINE evaluators', () => {
  it('binds $ to the whole task input and outputs { result } (`$.x` form)', async () => {
    const wf = await run(
      [inline('$.value * 2 + $.extra.length', { value: '${workflow.input.value}', extra: [1, 2] })],
      { value: 20 },
      { doubled: '${script.output.result}' },
    );
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ doubled: 42 });
    expect(only(wf)).toMatchObject({
      taskType: 'INLINE',
      status: 'COMPLETED',
      inputData: { evaluatorType: 'javascript', value: 20, extra: [1, 2] },
      outputData: { result: 42 },
      reasonForIncompletion: null,
    });
  });

  it('runs the declare-and-call form Conductor definitions use', async () => {
    const wf = await run([inline('function e() { return $.a + 1 } e();', { a: '${workflow.input.a}' })], {
      a: 1,
    });
    expect(only(wf).outputData).toEqual({ result: 2 });
  });

  it("runs Conductor's documented example with an if/else result", async () => {
    const expression =
      'function e() { if ($.value == 1){return {"result": true}} else { return {"result": false}}} e();';
    const wf = await run([inline(expression, { value: '${workflow.input.value}' })], { value: 1 });
    expect(only(wf).outputData).toEqual({ result: { result: true } });
  });

  it('supports ES2015+ syntax: destructuring, spread, arrows, template literals, classes, ?. and ??', async () => {
    const expression = [
      'const { factor, ...rest } = $.config;',
      'class Scaler { constructor(f) { this.f = f; } apply(xs) { return xs.map((x) => x * this.f); } }',
      'const scaled = new Scaler(factor).apply([...$.list, 4]);',
      // No `${` inside the script: the engine resolves task inputs, expression included, as Conductor does.
      '({ scaled, keys: Object.keys(rest), label: `n=` + String(scaled.length).padStart(2, "0"), missing: $.nothing?.deep ?? "fallback" })',
    ].join('\n');
    const wf = await run([inline(expression, { config: { factor: 2, a: 1, b: 2 }, list: [1, 2, 3] })]);
    expect(only(wf).outputData.result).toEqual({
      scaled: [2, 4, 6, 8],
      keys: ['a', 'b'],
      label: 'n=04',
      missing: 'fallback',
    });
  });

  it('takes graaljs as an alias of javascript, and javascript when evaluatorType is absent', async () => {
    const wf = await run([
      inline('$.n + 1', { evaluatorType: 'graaljs', n: 1 }, 'graal'),
      { name: 'plain', taskReferenceName: 'plain', type: 'INLINE', inputParameters: { expression: '"js"' } },
    ]);
    expect(wf.tasks.map((t) => [t.referenceTaskName, t.status, t.outputData.result])).toEqual([
      ['graal', 'COMPLETED', 2],
      ['plain', 'COMPLETED', 'js'],
    ]);
  });

  it('reads input[expression] with value-param, no script involved', async () => {
    const wf = await run(
      [
        inline('chosen', { evaluatorType: 'value-param', chosen: '${workflow.input.pick}' }, 'byParam'),
        inline('absent', { evaluatorType: 'value-param' }, 'missing'),
      ],
      { pick: { id: 7 } },
    );
    expect(wf.tasks.map((t) => [t.status, t.outputData])).toEqual([
      ['COMPLETED', { result: { id: 7 } }],
      ['COMPLETED', { result: null }],
    ]);
  });

  it('feeds one result into the next task and into a worker', async () => {
    const wf = await run(
      [
        inline('$.items.filter((i) => i.ok).map((i) => i.id)', { items: '${workflow.input.items}' }, 'pick'),
        inline('$.ids.length', { ids: '${pick.output.result}' }, 'count'),
        {
          name: 'worker_step',
          taskReferenceName: 'worker',
          inputParameters: { value: '${count.output.result}' },
        },
      ],
      {
        items: [
          { id: 'a', ok: true },
          { id: 'b', ok: false },
          { id: 'c', ok: true },
        ],
      },
      { ids: '${pick.output.result}', echoed: '${worker.output.echoed}' },
    );
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ ids: ['a', 'c'], echoed: 2 });
  });
});

describe('INLINE failures end the task FAILED_WITH_TERMINAL_ERROR (never retried)', () => {
  it('a script that throws: the JS error text is the reason and output.error', async () => {
    await engine.registerTaskDefs([{ name: 'throws', retryCount: 2, retryDelaySeconds: 0 }]);
    const wf = await run([inline('throw new TypeError("bad input: " + $.id)', { id: 7 }, 'throws')]);
    expect(wf.status).toBe('FAILED');
    const task = only(wf);
    expect(task).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'TypeError: bad input: 7',
      outputData: { error: 'TypeError: bad input: 7' },
    });
    expect(wf.reasonForIncompletion).toContain('TypeError: bad input: 7');
  });

  it('a syntax error', async () => {
    const task = only(await run([inline('$.a +* 2')]));
    expect(task.status).toBe('FAILED_WITH_TERMINAL_ERROR');
    expect(task.reasonForIncompletion).toMatch(/^SyntaxError: Unexpected token '\*'/);
    expect(task.outputData.error).toBe(task.reasonForIncompletion);
  });

  it('a blank expression or an unknown evaluator (resolved at run time)', async () => {
    const blank = only(await run([inline('${workflow.input.script}')], { script: '  ' }));
    expect(blank).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion:
        "Empty 'expression' in Inline task's input parameters. A non-empty String value must be provided.",
    });
    const unknown = only(
      await run([inline('1', { evaluatorType: '${workflow.input.evaluator}' })], { evaluator: 'python' }),
    );
    expect(unknown).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: "Unknown evaluator 'python' in Inline task.",
      outputData: { error: "Unknown evaluator 'python' in Inline task." },
    });
  });
});

describe('LAMBDA (legacy scriptExpression)', () => {
  it('runs the expression as a function body with $ = the task input', async () => {
    const script = 'if ($.input.a == 1) { return { testvalue: true } } else { return { testvalue: false } }';
    const wf = await run(
      [lambda(script, { input: '${workflow.input}' })],
      { a: 1 },
      { result: '${lambda.output.result}' },
    );
    expect(wf.status).toBe('COMPLETED');
    expect(only(wf)).toMatchObject({
      taskType: 'LAMBDA',
      status: 'COMPLETED',
      outputData: { result: { testvalue: true } },
    });
    expect(wf.output).toEqual({ result: { testvalue: true } });
  });

  it('returns null when the body returns nothing, and tolerates a trailing line comment', async () => {
    const wf = await run([lambda('var x = $.n * 2; // no return')], { n: 1 });
    expect(only(wf).outputData).toEqual({ result: null });
  });

  it('fails FAILED (retriable) with output.error: the TaskDef retry runs it again', async () => {
    await engine.registerTaskDefs([{ name: 'lambda_retried', retryCount: 1, retryDelaySeconds: 0 }]);
    const step = { ...lambda('throw new Error("nope")'), name: 'lambda_retried' };
    const wf = await run([step]);
    expect(wf.status).toBe('FAILED');
    expect(
      wf.tasks.map((t) => [t.status, t.retryCount, t.reasonForIncompletion, t.outputData.error]),
    ).toEqual([
      ['FAILED', 0, 'Error: nope', 'Error: nope'],
      ['FAILED', 1, 'Error: nope', 'Error: nope'],
    ]);
  });

  it('fails a blank scriptExpression', async () => {
    const task = only(await run([lambda('${workflow.input.body}')], { body: '' }));
    expect(task).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion:
        "Empty 'scriptExpression' in Lambda task's input parameters. A non-empty String value must be provided.",
    });
  });
});

describe('sandbox isolation', () => {
  it('a global, a builtin prototype change or a polluted Object.prototype is not seen by the next workflow', async () => {
    const tamper = [
      'globalThis.leaked = "from the first workflow";',
      'implicitGlobal = 1;',
      'try { Array.prototype.map = function () { return "hijacked"; }; } catch (e) {}',
      'try { Object.prototype.polluted = true; } catch (e) {}',
      '"tampered"',
    ].join('\n');
    const first = await run([inline(tamper)]);
    expect(only(first).status).toBe('COMPLETED');
    const probe =
      '[typeof leaked, typeof implicitGlobal, [1, 2].map((x) => x * 2), ({}).polluted === undefined]';
    const second = await run([inline(probe)]);
    expect(only(second).outputData.result).toEqual(['undefined', 'undefined', [2, 4], true]);
  });

  it('a script cannot change the input other tasks see', async () => {
    const wf = await run(
      [
        inline(
          '$.shared.list.push(99); $.shared.list.length',
          { shared: '${workflow.input.shared}' },
          'mutator',
        ),
        inline('$.shared.list.length', { shared: '${workflow.input.shared}' }, 'reader'),
      ],
      { shared: { list: [1, 2] } },
    );
    expect(wf.tasks.map((t) => t.outputData.result)).toEqual([3, 2]);
    expect(wf.input).toEqual({ shared: { list: [1, 2] } });
  });
});

/** A workflow that must complete while a hostile script runs: a worker step and a quick script. */
function bystander(): WorkflowTask[] {
  return [
    { name: 'worker_step', taskReferenceName: 'worker', inputParameters: { value: 'still here' } },
    inline('$.v + 1', { v: 1 }, 'quick'),
  ];
}

/** Starts the hostile workflow and, while it runs, a bystander; returns both ends and their order. */
async function raceBystander(on: Engine, hostile: string) {
  let hostileDone = false;
  const hostileRun = (await startRun(on, [inline(hostile)])).started.then(async (id) => {
    hostileDone = true;
    return on.waitForWorkflow(id);
  });
  const other = await run(bystander(), {}, undefined, on);
  const otherEndedFirst = !hostileDone;
  return { hostile: await hostileRun, other, otherEndedFirst };
}

describe('hostile scripts fail their task while other workflows keep running', () => {
  it('a script that loops forever times out (100 ms) while another workflow completes', async () => {
    const { hostile, other, otherEndedFirst } = await raceBystander(spinning, 'while (true) {}');
    expect(other.status).toBe('COMPLETED');
    expect(otherEndedFirst).toBe(true);
    expect(hostile.status).toBe('FAILED');
    expect(only(hostile)).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'Script execution timed out after 100 ms',
    });
  });

  it('the event loop stays responsive while a script spins until its timeout', async () => {
    const started = performance.now();
    let timerFiredAt = 0;
    const timer = setTimeout(() => {
      timerFiredAt = performance.now() - started;
    }, 20);
    const wf = await run([inline('for (;;) {}')], {}, undefined, spinning);
    const elapsed = performance.now() - started;
    clearTimeout(timer);
    expect(only(wf).reasonForIncompletion).toBe('Script execution timed out after 100 ms');
    expect(elapsed).toBeGreaterThanOrEqual(95);
    // The main-thread timer fired on time, while the script was still spinning on the isolate's thread.
    expect(timerFiredAt).toBeGreaterThan(0);
    expect(timerFiredAt).toBeLessThan(80);
  });

  it('a script that allocates without bound hits the memory limit; the next script runs on a fresh isolate', async () => {
    const hog = 'const chunks = []; while (true) chunks.push(new Array(100000).fill("x"));';
    const { hostile, other, otherEndedFirst } = await raceBystander(engine, hog);
    expect(other.status).toBe('COMPLETED');
    expect(otherEndedFirst).toBe(true);
    expect(only(hostile)).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'Script exceeded the sandbox memory limit of 16 MB',
    });
    expect(only(await run([inline('"alive"')])).outputData).toEqual({ result: 'alive' });
  });

  it.each([
    [
      'require',
      'require("fs").readFileSync("/etc/passwd", "utf8")',
      'ReferenceError: require is not defined',
    ],
    ['process', 'process.exit(1)', 'ReferenceError: process is not defined'],
    [
      'the Function constructor',
      "this.constructor.constructor('return process')().exit(1)",
      'ReferenceError: process is not defined',
    ],
    ['timers', 'setTimeout(function () {}, 1)', 'ReferenceError: setTimeout is not defined'],
    ['setInterval', 'setInterval(function () {}, 1)', 'ReferenceError: setInterval is not defined'],
    ['fetch', 'fetch("http://127.0.0.1/")', 'ReferenceError: fetch is not defined'],
  ])('reaching %s fails with a clear reason', async (_what, script, reason) => {
    const { hostile, other } = await raceBystander(engine, script);
    expect(other.status).toBe('COMPLETED');
    expect(only(hostile)).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: reason,
      outputData: { error: reason },
    });
  });

  it('has no timers to schedule with', async () => {
    const wf = await run([inline('typeof setTimeout + typeof setInterval')]);
    expect(only(wf).outputData.result).toBe('undefinedundefined');
  });

  it('fails the task with a clear reason when a script reads the clock', async () => {
    const wf = await run([inline('Date.now()')]);
    expect(only(wf).status).toBe('FAILED_WITH_TERMINAL_ERROR');
    expect(only(wf).reasonForIncompletion).toMatch(/cannot read the current time/);
  });
});
