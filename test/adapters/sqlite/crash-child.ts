/**
 * One run of the SQLite crash test's engine process (see crash.test.ts), started as
 * `node --import tsx crash-child.ts <db> <journal> <run>`. It registers the definitions and workers of
 * crash-workflows.ts, starts the workflows not started yet, and works until every one has ended, unless the test
 * kills it first; then the next run picks up what is left.
 *
 * stdout, one line each: `ready` once the engine has started, `progress <ended> <total>` whenever a top-level
 * workflow ends (and once all are started), `done` before a clean exit. stderr: what the engine logs.
 *
 * The journal gets `result <taskId> <status>` just before a worker returns a result and `ack <taskId> <status>`
 * once the engine has committed it (the task event is emitted after the store commit), so the test can check
 * that no acknowledged result was lost.
 */
import { appendFileSync } from 'node:fs';
import { sqlite } from '../../../src/adapters/sqlite/index.js';
import type { Clock, TimerHandle } from '../../../src/clock/clock.js';
import { SystemClock } from '../../../src/clock/system-clock.js';
import { Engine, type Task, type WorkerResult } from '../../../src/index.js';
import { isTerminalWorkflow } from '../../../src/model/status.js';
import { FLAKY, plannedWorkflows, step, TASK_DEFS, WORKER_TYPES, WORKFLOW_DEFS } from './crash-workflows.js';

/**
 * Simulated downtime between runs. A killed run leaves leases (60 s, on decide and task queue messages) and IN_PROGRESS worker tasks
 * (response timeout 30 s, crash-workflows.ts) that a real restart waits out; each run's clock is this much
 * further ahead of the wall clock than the last one's, as if the process had been down for two minutes, so the
 * test exercises that recovery without sleeping through it. Time still only moves forwards across runs.
 */
const DOWNTIME_MS = 120_000;

interface ShiftedTimer extends TimerHandle {
  readonly system: TimerHandle;
}

/** The system clock, shifted forwards by a fixed offset. */
class ShiftedClock implements Clock {
  readonly #system = new SystemClock();
  readonly #offsetMs: number;

  constructor(offsetMs: number) {
    this.#offsetMs = offsetMs;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  setTimer(dueAt: number, fn: () => unknown): TimerHandle {
    const timer: ShiftedTimer = { dueAt, system: this.#system.setTimer(dueAt - this.#offsetMs, fn) };
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    this.#system.clearTimer((handle as ShiftedTimer).system);
  }
}

const [dbPath, journalPath, runArg] = process.argv.slice(2);
if (!dbPath || !journalPath || !runArg) throw new Error('usage: crash-child.ts <db> <journal> <run>');
const run = Number(runArg);

// appendFileSync: one write(2) per line, done before the next statement, so a kill never loses a line that an
// earlier statement depended on.
const journal = (line: string) => appendFileSync(journalPath, `${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);

// NORMAL (the default, spelled out): in WAL mode a process crash loses no committed transaction, only a power
// loss can; this test holds the adapter to the first half of that.
const backend = sqlite({ path: dbPath, synchronous: 'NORMAL' });
const engine = new Engine({
  ...backend,
  clock: new ShiftedClock(run * DOWNTIME_MS),
  logger: {
    warn: (message, ...details) => process.stderr.write(`engine-warn: ${message} ${details.join(' ')}\n`),
    error: (message, ...details) => process.stderr.write(`engine-error: ${message} ${details.join(' ')}\n`),
  },
});

await engine.registerTaskDefs(TASK_DEFS);
for (const def of WORKFLOW_DEFS) await engine.registerWorkflowDef(def, { overwrite: true });

/** Sometimes a few milliseconds of work, so kills land while handlers run, not only between commits. */
async function someWork(): Promise<void> {
  if (Math.random() < 0.7) await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
}

/** The workers' result: a function of the input only (and, for the flaky one, of the attempt). */
function work(task: Task): WorkerResult {
  const { value, start, k } = task.inputData as { value?: number | null; start?: number; k: number };
  const from = value ?? start;
  if (typeof from !== 'number' || typeof k !== 'number') {
    // A wiring bug: fail for good so the workflow ends FAILED and the test reports it.
    return {
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: `bad input ${JSON.stringify(task.inputData)}`,
    };
  }
  if (task.taskType === FLAKY && task.retryCount === 0) {
    return { status: 'FAILED', reasonForIncompletion: 'the first attempt always fails' };
  }
  return { outputData: { value: step(from, k) } };
}

for (const type of WORKER_TYPES) {
  engine.registerWorker(
    type,
    async (task) => {
      await someWork();
      const result = work(task);
      journal(`result ${task.taskId} ${result.status ?? 'COMPLETED'}`);
      return result;
    },
    { concurrency: 4 },
  );
}

const isOurWorkerTask = (task: Task) => (WORKER_TYPES as readonly string[]).includes(task.taskType);
// Emitted after the commit that recorded the result: from here on the result must survive a kill.
engine.on('task.completed', (task) => {
  if (isOurWorkerTask(task)) journal(`ack ${task.taskId} ${task.status}`);
});
engine.on('task.failed', (task) => {
  if (isOurWorkerTask(task)) journal(`ack ${task.taskId} ${task.status}`);
});

const planned = plannedWorkflows();
const topLevel = new Set<string>();
const ended = new Set<string>();
let allStarted = false;

async function finish(): Promise<void> {
  clearInterval(keepAlive);
  await engine.stop();
  await backend.queue.close();
  await backend.store.close();
  say('done');
  process.exit(0);
}

function onEnded(workflowId: string): void {
  ended.add(workflowId);
  if (!allStarted || !topLevel.has(workflowId)) return;
  const count = [...topLevel].filter((id) => ended.has(id)).length;
  say(`progress ${count} ${planned.length}`);
  if (count === planned.length) void finish();
}
for (const name of [
  'workflow.completed',
  'workflow.failed',
  'workflow.terminated',
  'workflow.timedOut',
] as const) {
  engine.on(name, (workflow) => onEnded(workflow.workflowId));
}

// The engine's timers do not keep a process alive (an embedding app does): this one waits for them.
const keepAlive = setInterval(() => {}, 60_000);
await engine.start();
say('ready');

// Idempotent starts: a run killed half-way through this loop, or after it, makes no second workflow of a key.
for (const p of planned) {
  const id = await engine.startWorkflow({
    name: p.name,
    version: 1,
    input: p.input,
    correlationId: p.key,
    idempotencyKey: p.key,
    idempotencyStrategy: 'RETURN_EXISTING',
  });
  topLevel.add(id);
}
// Workflows that ended in an earlier run, or before they were known to be top-level here.
for (const id of topLevel) {
  if (!ended.has(id) && isTerminalWorkflow((await engine.getWorkflow(id, { includeTasks: false })).status)) {
    ended.add(id);
  }
}
allStarted = true;
const count = [...topLevel].filter((id) => ended.has(id)).length;
say(`progress ${count} ${planned.length}`);
if (count === planned.length) await finish();
