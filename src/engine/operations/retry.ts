import { ConflictError, NotFoundError } from '../../errors.js';
import { isTerminalWorkflow, isUnsuccessfulTerminalTask } from '../../model/status.js';
import type { Task } from '../../model/task.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import type { RetryWorkflowOptions } from '../../model/workflow-operations.js';
import type { StoredWorkflow } from '../../store/store.js';
import type { WorkingState } from '../working-state.js';
import { type OperationDeps, taskFactoryFor } from './operation-deps.js';
import { reviveParents } from './parents.js';
import { isJoin, isLoop, joinsFailedPermissive, reopened } from './task-resets.js';

/**
 * Conductor's `retry`: a workflow that has ended goes on from where it failed, under the same id.
 *
 * For each reference name whose latest task ended FAILED, FAILED_WITH_TERMINAL_ERROR, TIMED_OUT or CANCELED, a
 * new attempt is scheduled at once (new id, `retriedTaskId`, `retryCount` + 1, input resolved again); a
 * CANCELED JOIN or DO_WHILE, and a FAILED JOIN waiting on a failed permissive task, go back to IN_PROGRESS in
 * place. The workflow is RUNNING again with `lastRetriedTime` = now and its reason cleared, then decided.
 * Nothing to retry is a ConflictError (except for a TIMED_OUT workflow, which simply runs on), as is a workflow
 * still running. A failed SUB_WORKFLOW is retried with a new child, unless `resumeSubworkflowTasks`: then the
 * deepest failed sub-workflow is retried in place and its parents resume waiting for it.
 */
export async function retryWorkflow(
  deps: OperationDeps,
  workflowId: string,
  options: RetryWorkflowOptions,
): Promise<void> {
  const target = options.resumeSubworkflowTasks ? await deepestFailed(deps, workflowId) : workflowId;
  const retried = await deps.executor.mutate(target, (state) => retryInPlace(deps, state));
  await reviveParents(deps, retried, 'workflow.retried');
}

function retryInPlace(deps: OperationDeps, state: WorkingState): WorkflowRecord {
  const workflow = state.workflow;
  const id = workflow.workflowId;
  if (!isTerminalWorkflow(workflow.status)) {
    throw new ConflictError(`Workflow ${id} is ${workflow.status}: only one that has ended can be retried`);
  }
  if (state.tasks.length === 0) throw new ConflictError(`Workflow ${id} has no tasks to retry`);
  const { retriable, reopen } = retryPlan(state.tasks);
  if (retriable.length === 0 && workflow.status !== 'TIMED_OUT') {
    throw new ConflictError(
      `Workflow ${id} has no retryable tasks: use restart to run the whole workflow again`,
    );
  }
  const now = deps.clock.now();
  state.setWorkflow({
    status: 'RUNNING',
    lastRetriedTime: now,
    reasonForIncompletion: null,
    failedTaskId: null,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    endTime: null,
    updateTime: now,
  });
  state.announce('workflow.retried');
  for (const task of reopen) state.putTask(reopened(task, now));
  const factory = taskFactoryFor(deps, state);
  for (const task of retriable) {
    state.putTask({ ...task, retried: true, executed: true });
    const copy = factory.retryCopy(task);
    // A workflow retry runs at once: no retry delay, no reason carried over.
    state.putTask({ ...copy, callbackAfterSeconds: 0, startDelayInSeconds: 0, reasonForIncompletion: null });
  }
  return state.workflow;
}

/** What a retry does to each task (Conductor's `retry(WorkflowModel)`), in `seq` order. */
function retryPlan(tasks: readonly Task[]): { retriable: Task[]; reopen: Task[] } {
  const byRef = new Map<string, Task>();
  const reopen: Task[] = [];
  for (const task of tasks) {
    const ref = task.referenceTaskName;
    switch (task.status) {
      case 'FAILED':
        if (isJoin(task) && joinsFailedPermissive(task, tasks)) reopen.push(task);
        else byRef.set(ref, task);
        break;
      case 'FAILED_WITH_TERMINAL_ERROR':
      case 'TIMED_OUT':
        byRef.set(ref, task);
        break;
      case 'CANCELED':
        if (task.taskType === 'JOIN' || isLoop(task)) reopen.push(task);
        else byRef.set(ref, task);
        break;
      default:
        byRef.delete(ref);
    }
  }
  return { retriable: [...byRef.values()].sort((a, b) => a.seq - b.seq), reopen };
}

/**
 * The workflow `resumeSubworkflowTasks` retries (Conductor's `findLastFailedSubWorkflowIfAny`): following the
 * failed SUB_WORKFLOW task down to the deepest sub-workflow that has a failed task of its own.
 */
async function deepestFailed(deps: OperationDeps, workflowId: string): Promise<string> {
  let current: StoredWorkflow | null = await deps.store.getWorkflow(workflowId);
  if (!current) throw new NotFoundError(`Workflow ${workflowId} not found`);
  for (;;) {
    const failed = firstFailed(current.tasks);
    if (failed?.workflowTask.type !== 'SUB_WORKFLOW' || !failed.subWorkflowId) break;
    const child: StoredWorkflow | null = await deps.store.getWorkflow(failed.subWorkflowId);
    if (!child || !firstFailed(child.tasks)) break;
    current = child;
  }
  return current.workflow.workflowId;
}

/** The first task that failed for good (not superseded by a retry). */
function firstFailed(tasks: readonly Task[]): Task | undefined {
  return tasks.find((t) => !t.retried && isUnsuccessfulTerminalTask(t.status));
}
