import { type BenchResult, cpuMillis, result, runWithInFlight } from '../measure.js';
import { benchEngine } from './engine-setup.js';
import type { ScenarioOptions } from './scenario.js';

const BRANCHES = 100;

/** FORK_JOIN_DYNAMIC of 100 no-op worker tasks, then a JOIN; `inFlight` workflows at a time. */
export async function fanOut100(options: ScenarioOptions): Promise<BenchResult> {
  const engine = await benchEngine(options.store);
  await engine.registerTaskDefs([{ name: 'branch', retryCount: 0 }]);
  await engine.registerWorkflowDef({
    name: 'fan_out_100',
    tasks: [
      {
        name: 'fan_out',
        taskReferenceName: 'fan_out',
        type: 'FORK_JOIN_DYNAMIC',
        inputParameters: { forkTaskName: 'branch', forkTaskInputs: '${workflow.input.items}' },
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN' },
    ],
  });
  engine.registerWorker('branch', (task) => ({ outputData: { n: task.inputData.n } }), { concurrency: 50 });
  await engine.start();
  const items = Array.from({ length: BRANCHES }, (_, n) => ({ n }));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latencies = await runWithInFlight(options.workflows, options.inFlight, async () => {
    const id = await engine.startWorkflow({ name: 'fan_out_100', input: { items } });
    const done = await engine.waitForWorkflow(id);
    if (done.status !== 'COMPLETED') throw new Error(`workflow ${id} ended ${done.status}`);
  });
  const wallMs = performance.now() - t0;
  const cpuMs = cpuMillis(process.cpuUsage(cpu0));
  await engine.stop();
  // Tasks per workflow: the FORK, the branches and the JOIN.
  const tasks = options.workflows * (BRANCHES + 2);
  return result('fan-out-100', options.store, options.workflows, tasks, wallMs, latencies, { cpuMs });
}
