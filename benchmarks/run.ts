/**
 * `npm run bench [-- --scenario linear-5,fan-out-100,loop-1000,inline-10,start-burst] [--workflows N] [--in-flight N]
 *   [--store memory]`
 * Prints one JSON line per scenario (DESIGN.md section 5).
 */
import { parseArgs } from 'node:util';
import { fanOut100 } from './scenarios/fan-out-100.js';
import { inline10 } from './scenarios/inline-10.js';
import { linear5 } from './scenarios/linear-5.js';
import { loop1000 } from './scenarios/loop-1000.js';
import type { Scenario } from './scenarios/scenario.js';
import { startBurst } from './scenarios/start-burst.js';

const scenarios: Record<string, { run: Scenario; workflows: number; inFlight?: number }> = {
  'linear-5': { run: linear5, workflows: 10_000 },
  'fan-out-100': { run: fanOut100, workflows: 20, inFlight: 20 },
  'loop-1000': { run: loop1000, workflows: 5, inFlight: 5 },
  'inline-10': { run: inline10, workflows: 200 },
  'start-burst': { run: startBurst, workflows: 20_000 },
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: Object.keys(scenarios).join(',') },
    workflows: { type: 'string' },
    'in-flight': { type: 'string' },
    store: { type: 'string', default: 'memory' },
  },
});

for (const name of values.scenario.split(',')) {
  const scenario = scenarios[name];
  if (!scenario)
    throw new Error(`Unknown scenario ${name} (available: ${Object.keys(scenarios).join(', ')})`);
  const line = await scenario.run({
    store: values.store,
    workflows: values.workflows ? Number(values.workflows) : scenario.workflows,
    inFlight: Number(values['in-flight'] ?? scenario.inFlight ?? 50),
  });
  console.log(JSON.stringify(line));
}
