import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlite } from '../../src/adapters/sqlite/index.js';
import {
  Engine,
  type EngineEventName,
  type EngineOptions,
  MemoryQueue,
  MemoryStore,
  type Queue,
  type Store,
  type Task,
  type TaskDef,
  type Workflow,
  type WorkflowDef,
  type WorkflowTask,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { T0 } from './fixtures.js';

export { s, T0 } from './fixtures.js';

const running: Engine[] = [];
/** SQLite handles and files made by `setup` in the current test. */
const opened: { close: () => Promise<void>; path: string }[] = [];
let fileCounter = 0;

/**
 * Stops every engine made by `setup` in the current test, even when the test failed half-way, then closes
 * its SQLite store and queue and deletes the file. Registered as an `afterEach` by test/helpers/hooks.ts, a
 * vitest setup file: the behaviour projects run without per-file isolation, so this module is evaluated once
 * per worker and a hook registered here would only attach to the first test file.
 */
export async function releaseEngines(): Promise<void> {
  const engines = running.splice(0);
  await Promise.all(engines.map((e) => e.stop()));
  for (const { close, path } of opened.splice(0)) {
    await close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

/**
 * A store and queue on the test backend, BATON_TEST_BACKEND: `memory` (the default) or `sqlite` (a temp file
 * per engine, closed and deleted after the test). vitest.config.ts runs the behaviour suites once per backend
 * in BATON_TEST_BACKENDS, setting BATON_TEST_BACKEND per project.
 */
function backendOptions(): { store: Store; queue: Queue } {
  const backend = process.env.BATON_TEST_BACKEND ?? 'memory';
  if (backend === 'memory') return { store: new MemoryStore(), queue: new MemoryQueue() };
  if (backend !== 'sqlite') throw new Error(`Unknown BATON_TEST_BACKEND ${backend} (memory or sqlite)`);
  const path = join(tmpdir(), `baton-test-${process.pid}-${Date.now()}-${fileCounter++}.db`);
  const { store, queue } = sqlite({ path });
  opened.push({ path, close: async () => void (await Promise.all([store.close(), queue.close()])) });
  return { store, queue };
}

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
  /** The engine's store and queue, on the test backend unless the test passed its own. */
  store: Store;
  queue: Queue;
  /** What the engine logged through `logger.error` (a worker's lost result, a failed decide). */
  errors: unknown[][];
}

/** An engine on a ManualClock at T0 on the test backend (see backendOptions); started unless `start: false`. */
export async function setup(options: Partial<EngineOptions> & { start?: boolean } = {}): Promise<TestEngine> {
  const { start = true, ...engineOptions } = options;
  const clock = new ManualClock(T0);
  const errors: unknown[][] = [];
  // A test that brings its own store or queue gets the in-memory default for the other: the SQLite store
  // commits queue messages in its own database, so it only pairs with its own queue.
  const own = engineOptions.store || engineOptions.queue;
  const { store, queue } = own
    ? { store: engineOptions.store ?? new MemoryStore(), queue: engineOptions.queue ?? new MemoryQueue() }
    : backendOptions();
  const engine = new Engine({
    clock,
    logger: { warn: () => {}, error: (message, ...details) => errors.push([message, ...details]) },
    ...engineOptions,
    store,
    queue,
  });
  running.push(engine);
  if (start) await engine.start();
  return { engine, clock, store, queue, errors };
}

/** A SIMPLE step whose task type and reference name are both `name`. */
export function simple(name: string, overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return { name, taskReferenceName: name, type: 'SIMPLE', ...overrides };
}

/** Registers `taskDefs` and a workflow definition named `name` over `tasks`. */
export async function define(
  engine: Engine,
  name: string,
  tasks: WorkflowTask[],
  options: { taskDefs?: TaskDef[]; def?: Partial<WorkflowDef> } = {},
): Promise<void> {
  if (options.taskDefs?.length) await engine.registerTaskDefs(options.taskDefs);
  await engine.registerWorkflowDef({ name, version: 1, tasks, ...options.def });
}

/** The workflow's tasks as `ref:STATUS` in seq order (Conductor's harness notation). */
export async function taskList(engine: Engine, workflowId: string): Promise<string[]> {
  const wf = await engine.getWorkflow(workflowId);
  return wf.tasks.map((t) => `${t.referenceTaskName}:${t.status}`);
}

/** The workflow's tasks (with tasks). */
export async function tasksOf(engine: Engine, workflowId: string): Promise<Task[]> {
  return (await engine.getWorkflow(workflowId)).tasks;
}

/** Advances the clock and waits for everything that fell due to settle. */
export async function advance(t: TestEngine, ms: number): Promise<void> {
  await t.clock.advance(ms);
  await t.engine.idle();
}

/** Milliseconds since T0 on the test's clock. */
export function elapsed(clock: ManualClock): number {
  return clock.now() - T0;
}

/** A promise with its resolve function, for handlers a test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

// Every event name, checked against EngineEvents by the compiler in both directions.
const EVENT_NAMES: Record<EngineEventName, true> = {
  'workflow.started': true,
  'workflow.completed': true,
  'workflow.failed': true,
  'workflow.terminated': true,
  'workflow.timedOut': true,
  'workflow.paused': true,
  'workflow.resumed': true,
  'workflow.retried': true,
  'workflow.restarted': true,
  'workflow.rerun': true,
  'task.scheduled': true,
  'task.started': true,
  'task.completed': true,
  'task.failed': true,
  'task.timedOut': true,
  'task.canceled': true,
  'task.skipped': true,
};

export interface RecordedEvent {
  name: EngineEventName;
  payload: Workflow | Task;
  /** `name:ref` for task events, `name:status` for workflow events. */
  label: string;
}

/** Listens to every engine event and records them in order. */
export function recordEvents(engine: Engine): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (const name of Object.keys(EVENT_NAMES) as EngineEventName[]) {
    engine.on(name, (payload: Workflow | Task) => {
      const label =
        'taskId' in payload ? `${name}:${payload.referenceTaskName}` : `${name}:${payload.status}`;
      events.push({ name, payload, label });
    });
  }
  return events;
}
