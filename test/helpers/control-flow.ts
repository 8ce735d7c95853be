import { expect } from 'vitest';
import { decide } from '../../src/decider/decide.js';
import type { WorkflowOutcome } from '../../src/decider/decision.js';
import { defIndex } from '../../src/decider/def-index.js';
import { TaskFactory } from '../../src/decider/task-factory.js';
import type { Engine, Task, Workflow, WorkflowDef, WorkflowTask } from '../../src/index.js';
import { isTerminalTask } from '../../src/model/status.js';
import { defaultTaskTypes } from '../../src/tasks/registry.js';
import type { ExecuteContext } from '../../src/tasks/task-type.js';
import { makeWorkflow } from '../../src/testing/fixtures.js';
import { T0 } from './fixtures.js';

/** Polls one task of `taskType` (it must be there), completes it with `outputData`, and lets the engine settle. */
export async function complete(
  engine: Engine,
  taskType: string,
  outputData: Record<string, unknown> = {},
): Promise<Task> {
  const task = await engine.pollTask(taskType);
  expect(task, `a ${taskType} task to poll`).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED', outputData });
  await engine.idle();
  return task!;
}

/** Polls one task of `taskType` (it must be there) and fails it with `reason`. */
export async function fail(
  engine: Engine,
  taskType: string,
  reason: string,
  status: 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' = 'FAILED',
): Promise<Task> {
  const task = await engine.pollTask(taskType);
  expect(task, `a ${taskType} task to poll`).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status, reasonForIncompletion: reason });
  await engine.idle();
  return task!;
}

/** `ref:STATUS` of each task, in seq order (Conductor's harness notation). */
export function refs(tasks: readonly Task[]): string[] {
  return tasks.map((t) => `${t.referenceTaskName}:${t.status}`);
}

/** `taskType:STATUS` of each task, in seq order (what Conductor's specs assert). */
export function types(tasks: readonly Task[]): string[] {
  return tasks.map((t) => `${t.taskType}:${t.status}`);
}

/** The latest task with this reference name. */
export function byRef(tasks: readonly Task[], ref: string): Task {
  const found = tasks.filter((t) => t.referenceTaskName === ref);
  expect(found.length, `a task ${ref}`).toBeGreaterThan(0);
  return found[found.length - 1];
}

/** A workflow run by the engine's pieces (decider + task types), without the Engine, for JavaScript paths. */
export interface DeciderRun {
  readonly def: WorkflowDef;
  readonly tasks: Task[];
  outcome: WorkflowOutcome | null;
}

/**
 * Runs decide passes and the pending system tasks until nothing moves, as the engine's executor does, with
 * `evaluate` standing in for the script sandbox. Worker tasks stay SCHEDULED; complete them with `finish`.
 */
export async function settle(
  run: DeciderRun,
  evaluate: (script: string, input: Record<string, unknown>) => Promise<unknown>,
  input: Record<string, unknown> = {},
): Promise<DeciderRun> {
  const taskTypes = defaultTaskTypes();
  const workflow = makeWorkflow({ workflowDefinition: run.def, input });
  let id = run.tasks.length;
  const newId = () => `task-${++id}`;
  for (let pass = 0; pass < 100 && !run.outcome; pass++) {
    const decision = decide({ workflow, tasks: run.tasks, now: T0, newId, taskTypes });
    for (const t of decision.updated) run.tasks[run.tasks.findIndex((x) => x.taskId === t.taskId)] = t;
    run.tasks.push(...decision.scheduled);
    run.outcome = decision.outcome;
    let moved = decision.scheduled.some((t) => isTerminalTask(t.status));
    for (const task of run.tasks.filter((t) => !t.retried && !isTerminalTask(t.status))) {
      const type = taskTypes.get(task.workflowTask.type);
      if (type.kind !== 'system' || !type.execute || run.outcome) continue;
      const ctx: ExecuteContext = {
        workflow,
        tasks: run.tasks,
        now: T0,
        index: defIndex(run.def),
        isNew: () => false,
        schedule: (step, iteration) =>
          new TaskFactory(
            () => workflow,
            run.tasks,
            { now: T0, newId, taskTypes },
            () => {},
          ).scheduleStep(step, iteration),
        setVariables: () => {},
        startWorkflow: async () => '',
        getWorkflow: async () => null,
        terminateWorkflow: async () => {},
        evaluate,
        publishEvent: async () => {},
        runInBackground: () => {},
        cancelBackground: () => {},
      };
      const changed = await type.execute(task, ctx);
      if (changed && changed !== task) {
        run.tasks[run.tasks.findIndex((x) => x.taskId === task.taskId)] = changed;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return run;
}

/** Completes the pending worker task `ref` in a {@link DeciderRun}. */
export function finish(run: DeciderRun, ref: string, outputData: Record<string, unknown> = {}): void {
  const i = run.tasks.findIndex((t) => t.referenceTaskName === ref && !isTerminalTask(t.status));
  expect(i, `a pending task ${ref}`).toBeGreaterThanOrEqual(0);
  run.tasks[i] = { ...run.tasks[i], status: 'COMPLETED', outputData };
}

/**
 * A stand-in for the sandbox in tests: evaluates a JavaScript expression with `$` bound to a copy of the input
 * (test code only; the engine runs scripts in isolated-vm).
 */
export async function testEvaluate(script: string, input: Record<string, unknown>): Promise<unknown> {
  return new Function('$', `return (${script});`)(structuredClone(input));
}

/** The names of a definition's worker steps (SIMPLE or untyped), at any depth. */
export function workerNames(def: WorkflowDef): Set<string> {
  const names = new Set<string>();
  const visit = (steps: readonly WorkflowTask[] | undefined) => {
    for (const step of steps ?? []) {
      if (!step.type || step.type === 'SIMPLE') names.add(step.name);
      for (const branch of Object.values(step.decisionCases ?? {})) visit(branch);
      visit(step.defaultCase);
      for (const branch of step.forkTasks ?? []) visit(branch);
      visit(step.loopOver);
    }
  };
  visit(def.tasks);
  return names;
}

/** A fixture run: its input, what workers return, and what the run must end with. */
export interface FixtureCase {
  readonly fixture: string;
  readonly input: Record<string, unknown>;
  /** A worker's result by task (default: `{ taskReferenceName }` of the task); throw to fail the task. */
  readonly worker?: (task: Task) => Record<string, unknown>;
  /** Worker names the definition does not list (the tasks of a dynamic fork). */
  readonly extraWorkers?: readonly string[];
  readonly status: Workflow['status'];
  readonly refs: readonly string[];
  readonly output?: Record<string, unknown>;
}

/** Registers a fixture (validating it), serves its worker tasks in process, and runs it to its end. */
export async function runFixture(engine: Engine, def: WorkflowDef, c: FixtureCase): Promise<Workflow> {
  await engine.registerWorkflowDef(def, { overwrite: true });
  const worker = c.worker ?? ((task: Task) => ({ taskReferenceName: task.referenceTaskName }));
  for (const name of [...workerNames(def), ...(c.extraWorkers ?? [])]) {
    engine.registerWorker(name, async (task) => ({ outputData: worker(task) }));
  }
  const id = await engine.startWorkflow({ name: def.name, input: c.input });
  return engine.waitForWorkflow(id, { timeoutMs: 5000 });
}
