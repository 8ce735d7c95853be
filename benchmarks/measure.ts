/** One machine-readable benchmark result line (DESIGN.md section 5). */
export interface BenchResult {
  scenario: string;
  backend: string;
  workflows: number;
  tasks: number;
  wallMs: number;
  workflowsPerSec: number;
  tasksPerSec: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
  [extra: string]: unknown;
}

/** The q-quantile of a list of numbers (nearest rank). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Builds a result line from raw measurements. */
export function result(
  scenario: string,
  backend: string,
  workflows: number,
  tasks: number,
  wallMs: number,
  latenciesMs: number[],
  extra: Record<string, unknown> = {},
): BenchResult {
  return {
    scenario,
    backend,
    workflows,
    tasks,
    wallMs: round(wallMs, 1),
    workflowsPerSec: round((workflows * 1000) / wallMs, 0),
    tasksPerSec: round((tasks * 1000) / wallMs, 0),
    p50Ms: round(quantile(latenciesMs, 0.5)),
    p99Ms: round(quantile(latenciesMs, 0.99)),
    rssMb: round(process.memoryUsage().rss / 1024 / 1024, 0),
    ...extra,
  };
}

/** Runs `start(i)` for i in [0, total) with at most `inFlight` running at once; returns each one's latency. */
export async function runWithInFlight(
  total: number,
  inFlight: number,
  start: (i: number) => Promise<void>,
): Promise<number[]> {
  const latencies = new Array<number>(total);
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await start(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  return latencies;
}

/** Milliseconds of CPU (user + system) in a `process.cpuUsage()` difference: steadier than wall time on a busy machine. */
export function cpuMillis(usage: NodeJS.CpuUsage): number {
  return Math.round((usage.user + usage.system) / 1000);
}
