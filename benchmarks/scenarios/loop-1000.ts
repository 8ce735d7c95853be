import { type BenchResult, cpuMillis, result, runWithInFlight } from '../measure.js';
import { benchEngine } from './engine-setup.js';
import type { ScenarioOptions } from './scenario.js';

const ITERATIONS = 1000;

/**
 * One DO_WHILE of 1,000 iterations over one no-op worker task per workflow. Tasks/s should stay close to
 * linear-5's: the cost of a step must not grow with the workflow's history.
 */
export async function loop1000(options: ScenarioOptions): Promise<BenchResult> {
  const engine = await benchEngine(options.store);
  await engine.registerTaskDefs([{ name: 'body', retryCount: 0 }]);
  await engine.registerWorkflowDef({
    name: 'loop_1000',
    tasks: [
      {
        name: 'loop',
        taskReferenceName: 'loop',
        type: 'DO_WHILE',
        loopCondition: `$.loop['iteration'] < ${ITERATIONS}`,
        loopOver: [
          { name: 'body', taskReferenceName: 'body', inputParameters: { i: '${loop.output.iteration}' } },
        ],
      },
    ],
  });
  engine.registerWorker('body', (task) => ({ outputData: { i: task.inputData.i } }));
  await engine.start();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latencies = await runWithInFlight(options.workflows, options.inFlight, async () => {
    const id = await engine.startWorkflow({ name: 'loop_1000' });
    const done = await engine.waitForWorkflow(id);
    if (done.status !== 'COMPLETED')
      throw new Error(`workflow ${id} ended ${done.status}: ${done.reasonForIncompletion}`);
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMillis(process.cpuUsage(cpu0));
  await engine.stop();
  // Tasks per workflow: the DO_WHILE and one body task per iteration.
  const tasks = options.workflows * (ITERATIONS + 1);
  return result('loop-1000', options.store, options.workflows, tasks, wallMs, latencies, { cpuMs });
}
