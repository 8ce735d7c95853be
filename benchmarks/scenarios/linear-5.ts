import { type BenchResult, cpuMillis, result, runWithInFlight } from '../measure.js';
import { benchEngine } from './engine-setup.js';
import type { ScenarioOptions } from './scenario.js';

const STEPS = 5;

/** N workflows of 5 SIMPLE tasks run by in-process no-op workers, `inFlight` workflows at a time. */
export async function linear5(options: ScenarioOptions): Promise<BenchResult> {
  const engine = await benchEngine(options.store);
  const names = Array.from({ length: STEPS }, (_, i) => `step_${i + 1}`);
  await engine.registerTaskDefs(names.map((name) => ({ name, retryCount: 0 })));
  await engine.registerWorkflowDef({
    name: 'linear_5',
    tasks: names.map((name, i) => ({
      name,
      taskReferenceName: name,
      inputParameters: { n: i === 0 ? '${workflow.input.n}' : `\${step_${i}.output.n}` },
    })),
    outputParameters: { n: `\${step_${STEPS}.output.n}` },
  });
  for (const name of names) {
    engine.registerWorker(name, (task) => ({ outputData: { n: (task.inputData.n as number) + 1 } }), {
      concurrency: options.inFlight,
    });
  }
  await engine.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latencies = await runWithInFlight(options.workflows, options.inFlight, async (i) => {
    const id = await engine.startWorkflow({ name: 'linear_5', input: { n: i } });
    const done = await engine.waitForWorkflow(id);
    if (done.status !== 'COMPLETED' || done.output.n !== i + STEPS)
      throw new Error(`workflow ${id} ended ${done.status}`);
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMillis(process.cpuUsage(cpu0));
  await engine.stop();
  return result('linear-5', options.store, options.workflows, options.workflows * STEPS, wallMs, latencies, {
    cpuMs,
    tasksPerCpuSec: Math.round((options.workflows * STEPS * 1000) / cpuMs),
  });
}
