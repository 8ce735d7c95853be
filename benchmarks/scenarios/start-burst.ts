import { type BenchResult, result, runWithInFlight } from '../measure.js';
import { benchEngine } from './engine-setup.js';
import type { ScenarioOptions } from './scenario.js';

/** Starts per second with no workers: each start validates, creates the workflow and schedules its first task. */
export async function startBurst(options: ScenarioOptions): Promise<BenchResult> {
  const engine = await benchEngine(options.store);
  await engine.registerWorkflowDef({
    name: 'burst',
    tasks: [
      { name: 'never_polled', taskReferenceName: 'first', inputParameters: { n: '${workflow.input.n}' } },
    ],
  });
  await engine.start();
  const t0 = performance.now();
  const latencies = await runWithInFlight(options.workflows, options.inFlight, async (i) => {
    await engine.startWorkflow({ name: 'burst', input: { n: i } });
  });
  const wallMs = performance.now() - t0;
  const queued = (await engine.getQueueSizes(['never_polled'])).never_polled;
  if (queued !== options.workflows)
    throw new Error(`expected ${options.workflows} queued tasks, found ${queued}`);
  await engine.stop();
  return result('start-burst', options.store, options.workflows, options.workflows, wallMs, latencies);
}
