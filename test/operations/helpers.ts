import { expect } from 'vitest';
import type { Engine, Task, TaskDef, WorkflowDef, WorkflowTask } from '../../src/index.js';
import { define, simple } from '../helpers/engine.js';

export { byRef, complete, fail, refs } from '../helpers/control-flow.js';

/** Registers `linear`: task1 → task2 (refs t1, t2); task1 retries once at once, task2 never. */
export async function defineLinear(
  engine: Engine,
  options: { t1?: Partial<TaskDef>; def?: Partial<WorkflowDef> } = {},
): Promise<void> {
  await define(
    engine,
    'linear',
    [
      simple('t1', { name: 'task1' }),
      simple('t2', { name: 'task2', inputParameters: { got: '${t1.output.v}' } }),
    ],
    {
      taskDefs: [
        { name: 'task1', retryCount: 1, retryDelaySeconds: 0, ...options.t1 },
        { name: 'task2', retryCount: 0 },
      ],
      def: { outputParameters: { out: '${t2.output.v}' }, ...options.def },
    },
  );
}

/** A step of type `type` named and referenced `ref`. */
export function stepOf(type: string, ref: string, overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return { name: ref, taskReferenceName: ref, type, ...overrides };
}

/** Expects the promise to reject with a BatonError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** The workflow's tasks with this reference name, in seq order. */
export function attempts(tasks: readonly Task[], ref: string): Task[] {
  return tasks.filter((t) => t.referenceTaskName === ref);
}
