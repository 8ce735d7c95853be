import { Sandbox } from '../../src/sandbox/index.js';
import { type BenchResult, cpuMillis, quantile, result, round, runWithInFlight } from '../measure.js';
import { benchEngine } from './engine-setup.js';
import type { ScenarioOptions } from './scenario.js';

const STEPS = 10;
/** What each INLINE step runs: a typical small script reading `$` and building an object. */
const EXPRESSION = 'function step() { return { n: $.n + 1, tag: $.tag + "." + $.n }; } step();';
const WARM_RUNS = 2000;
const COLD_RUNS = 5;

/**
 * N workflows of 10 chained INLINE tasks (the sandbox's cost per step), `inFlight` at a time. The line adds the
 * sandbox's own figures, measured on a separate Sandbox with the engine's defaults: `warmEvalUs` (median of
 * 2,000 evaluations of the step script after a warm-up) and `coldEvalUs` (median over fresh Sandboxes of the
 * first evaluation: isolate, realm and compile included), plus INLINE tasks/s.
 */
export async function inline10(options: ScenarioOptions): Promise<BenchResult> {
  const engine = await benchEngine(options.store);
  await engine.registerWorkflowDef({
    name: 'inline_10',
    tasks: Array.from({ length: STEPS }, (_, i) => ({
      name: `step_${i + 1}`,
      taskReferenceName: `step_${i + 1}`,
      type: 'INLINE' as const,
      inputParameters: {
        evaluatorType: 'javascript',
        expression: EXPRESSION,
        n: i === 0 ? '${workflow.input.n}' : `\${step_${i}.output.result.n}`,
        tag: i === 0 ? 'w' : `\${step_${i}.output.result.tag}`,
      },
    })),
    outputParameters: { n: `\${step_${STEPS}.output.result.n}` },
  });
  await engine.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latencies = await runWithInFlight(options.workflows, options.inFlight, async (i) => {
    const id = await engine.startWorkflow({ name: 'inline_10', input: { n: i } });
    const done = await engine.waitForWorkflow(id);
    if (done.status !== 'COMPLETED' || done.output.n !== i + STEPS)
      throw new Error(`workflow ${id} ended ${done.status}: ${done.reasonForIncompletion}`);
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMillis(process.cpuUsage(cpu0));
  await engine.stop();
  const tasks = options.workflows * STEPS;
  return result('inline-10', options.store, options.workflows, tasks, wallMs, latencies, {
    cpuMs,
    inlineTasksPerSec: round((tasks * 1000) / wallMs, 0),
    warmEvalUs: await warmEvalUs(),
    coldEvalUs: await coldEvalUs(),
  });
}

/** Median µs of one evaluation in a warm Sandbox (isolate up, script compiled), awaited one at a time. */
async function warmEvalUs(): Promise<number> {
  const sandbox = new Sandbox();
  try {
    const input = { n: 1, tag: 'w', evaluatorType: 'javascript', expression: EXPRESSION };
    for (let i = 0; i < 200; i++) await sandbox.evaluate(EXPRESSION, input);
    const samples: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = performance.now();
      await sandbox.evaluate(EXPRESSION, { ...input, n: i });
      samples.push((performance.now() - t) * 1000);
    }
    return round(quantile(samples, 0.5), 1);
  } finally {
    await sandbox.close();
  }
}

/** Median µs of the first evaluation in a fresh Sandbox. */
async function coldEvalUs(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const sandbox = new Sandbox();
    const t = performance.now();
    await sandbox.evaluate(EXPRESSION, { n: 1, tag: 'w' });
    samples.push((performance.now() - t) * 1000);
    await sandbox.close();
  }
  return round(quantile(samples, 0.5), 0);
}
