import type { BenchResult } from '../measure.js';

/** Options every scenario takes (from the command line). */
export interface ScenarioOptions {
  store: string;
  workflows: number;
  inFlight: number;
}

export type Scenario = (options: ScenarioOptions) => Promise<BenchResult>;
