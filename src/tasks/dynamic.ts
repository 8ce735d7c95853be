import { domainFor } from '../decider/task-factory.js';
import { TerminateWorkflowError } from '../decider/terminate-workflow-error.js';
import type { Task } from '../model/task.js';
import type { TaskType } from './task-type.js';

/**
 * DYNAMIC (Conductor's `DynamicTaskMapper`): a worker task whose task type is chosen at run time. The name is
 * read from the resolved input at `dynamicTaskNameParam`; the task gets `taskType` and `taskDefName` = that name
 * and is queued for the workers of that name (in the domain `taskToDomain` gives that name).
 *
 * How it routes: the engine decides worker vs system by the step's `type`, and a worker task's queue is its
 * `taskType`. DYNAMIC is therefore a `worker` type whose task carries the resolved name as `taskType`, and a copy
 * of the step with `name` set to it, as Conductor's mapper does (`workflowTask.setName(taskName)`), so retries,
 * events and the UI see the real task name. The TaskDef is the one the step runs with (embedded, or registered
 * under the DYNAMIC step's `name`, as in Conductor), else the default TaskDef of a worker task.
 *
 * A missing or blank name cannot be mapped: the workflow fails with Conductor's message and no task is created
 * (Conductor's TerminateWorkflowException).
 */
export const dynamicTask: TaskType = {
  type: 'DYNAMIC',
  kind: 'worker',
  schedule(ctx) {
    const task = ctx.createTask();
    const param = ctx.step.dynamicTaskNameParam ?? '';
    const name = taskName(task.inputData[param]);
    if (name === null) {
      throw new TerminateWorkflowError(
        `Cannot map a dynamic task based on the parameter and input. Parameter= ${param}, input= ${JSON.stringify(task.inputData)}`,
      );
    }
    const dynamic: Task = {
      ...task,
      taskType: name,
      taskDefName: name,
      domain: domainFor(name, ctx.workflow.taskToDomain),
      workflowTask: { ...ctx.step, name },
    };
    return [dynamic];
  },
};

/** Conductor's `String.valueOf(input[param])`; null when absent or blank. */
function taskName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const name = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return name.trim() === '' ? null : name;
}
