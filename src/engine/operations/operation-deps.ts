import type { Clock } from '../../clock/clock.js';
import { TaskFactory } from '../../decider/task-factory.js';
import type { Task } from '../../model/task.js';
import type { Queue } from '../../queue/queue.js';
import type { Store } from '../../store/store.js';
import type { TaskTypeRegistry } from '../../tasks/registry.js';
import type { Definitions } from '../definitions.js';
import type { WorkflowExecutor } from '../workflow-executor.js';
import type { WorkingState } from '../working-state.js';

/** What the workflow operations (pause, retry, rerun, …) work with. */
export interface OperationDeps {
  readonly executor: WorkflowExecutor;
  readonly store: Store;
  readonly queue: Queue;
  readonly clock: Clock;
  readonly taskTypes: TaskTypeRegistry;
  readonly definitions: Definitions;
  readonly newId: () => string;
  readonly env?: (name: string) => string | undefined;
}

/** A TaskFactory over the working state: the tasks it creates become part of the unit of work. */
export function taskFactoryFor(deps: OperationDeps, state: WorkingState): TaskFactory {
  const options = { now: deps.clock.now(), newId: deps.newId, taskTypes: deps.taskTypes, env: deps.env };
  return new TaskFactory(
    () => state.workflow,
    state.tasks,
    options,
    (task) => state.recordNewTask(task),
  );
}

/** True for a task that workers poll (it has a queue message while SCHEDULED). */
export function isWorkerTask(deps: OperationDeps, task: Task): boolean {
  return deps.taskTypes.get(task.workflowTask.type).kind === 'worker';
}

/** Conductor's `WorkflowModel.toShortString`: `name.version/id`. */
export function shortName(workflow: {
  workflowName: string;
  workflowVersion: number;
  workflowId: string;
}): string {
  return `${workflow.workflowName}.${workflow.workflowVersion}/${workflow.workflowId}`;
}
