/**
 * `npm run bench [-- --scenario linear-5,start-burst] [--workflows N] [--in-flight N] [--store memory]`
 * Prints one JSON line per scenario (DESIGN.md section 5).
 */
import { parseArgs } from 'node:util';
import { linear5 } from './scenarios/linear-5.js';
import type { Scenario } from './scenarios/scenario.js';
import { startBurst } from './scenarios/start-burst.js';

const scenarios: Record<string, { run: Scenario; workflows: number }> = {
  'linear-5': { run: linear5, workflows: 10_000 },
  'start-burst': { run: startBurst, workflows: 20_000 },
};

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: Object.keys(scenarios).join(',') },
    workflows: { type: 'string' },
    'in-flight': { type: 'string', default: '50' },
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
    inFlight: Number(values['in-flight']),
  });
  console.log(JSON.stringify(line));
}
