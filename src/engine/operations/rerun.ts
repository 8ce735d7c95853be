import { defIndex } from '../../decider/def-index.js';
import type { TaskFactory } from '../../decider/task-factory.js';
import { TerminateWorkflowError } from '../../decider/terminate-workflow-error.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import {
  isSuccessfulTask,
  isTerminalTask,
  isTerminalWorkflow,
  isUnsuccessfulTerminalTask,
} from '../../model/status.js';
import type { Task } from '../../model/task.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import type { RerunWorkflowRequest } from '../../model/workflow-operations.js';
import type { StoredWorkflow } from '../../store/store.js';
import { cloneJson } from '../../util/clone-json.js';
import type { WorkingState } from '../working-state.js';
import { isWorkerTask, type OperationDeps, taskFactoryFor } from './operation-deps.js';
import { reviveParents } from './parents.js';
import { isJoin, isLoop, joinsPendingWork, reopened } from './task-resets.js';
import { validateRerunRequest } from './validate-requests.js';

/** One workflow on the way from the rerun workflow down to the one holding the task: which task it reruns. */
interface PathStep {
  readonly workflowId: string;
  /** The task itself in the last step; the SUB_WORKFLOW task leading to the next step before it. */
  readonly fromTaskId: string;
}

/**
 * Conductor's `rerun`: a workflow that has ended (COMPLETED included) runs again under the same id; returns it.
 *
 * - Without `reRunFromTaskId`: every task is deleted and it runs from its first task.
 * - With it: the tasks scheduled after that task are deleted and the task runs again: a worker task is
 *   SCHEDULED in place (same id) with `taskInput` as its input when given; a system task is scheduled again from
 *   its step (its type decides afresh: a SWITCH's branch, a fork's branches, a new child). JOINs and DO_WHILEs
 *   it was waiting in go back to IN_PROGRESS, and finished tasks whose next step was deleted are moved on from
 *   again. A task of a sub-workflow (at any depth) reruns that sub-workflow from it; the SUB_WORKFLOW tasks
 *   above it wait again for their (same) child.
 *
 * `workflowInput` and `correlationId` replace the workflow's own. The workflow is RUNNING again with reason
 * and failure cleared and `lastRetriedTime` = now. A workflow still running: ConflictError; an unknown task:
 * NotFoundError.
 */
export async function rerunWorkflow(
  deps: OperationDeps,
  workflowId: string,
  request: RerunWorkflowRequest | undefined,
): Promise<string> {
  const req = validateRerunRequest(workflowId, request);
  const root = await deps.store.getWorkflow(workflowId);
  if (!root) throw new NotFoundError(`Workflow ${workflowId} not found`);
  assertEnded(root.workflow);
  const taskId = req.reRunFromTaskId ?? null;
  let rerun: WorkflowRecord;
  if (taskId === null) {
    rerun = await deps.executor.mutate(workflowId, (state) => {
      assertEnded(state.workflow);
      state.removeTasks(state.tasks.map((t) => t.taskId));
      runAgain(deps, state, req);
      return state.workflow;
    });
  } else {
    const path = await locate(deps, root, taskId);
    if (!path) throw new NotFoundError(`Task ${taskId} not found in workflow ${workflowId}`);
    rerun = root.workflow;
    // From the workflow holding the task up to the one rerun: each child runs before its parent waits for it.
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i];
      const holdsTask = i === path.length - 1;
      rerun = await deps.executor.mutate(step.workflowId, (state) => {
        assertEnded(state.workflow);
        const from = state.findTask(step.fromTaskId);
        if (!from)
          throw new NotFoundError(`Task ${step.fromTaskId} not found in workflow ${step.workflowId}`);
        // The new workflow input first: tasks scheduled again resolve their input from it.
        runAgain(deps, state, i === 0 ? req : {});
        if (holdsTask) rerunFrom(deps, state, from, req.taskInput ?? null);
        else waitForChildAgain(deps, state, from);
        return state.workflow;
      });
    }
  }
  await reviveParents(deps, rerun, 'workflow.rerun');
  return workflowId;
}

function assertEnded(workflow: WorkflowRecord): void {
  if (!isTerminalWorkflow(workflow.status)) {
    throw new ConflictError(
      `Workflow ${workflow.workflowId} is ${workflow.status}: only one that has ended can be rerun`,
    );
  }
}

/** RUNNING again, with the request's input and correlation id. */
function runAgain(deps: OperationDeps, state: WorkingState, req: RerunWorkflowRequest): void {
  const now = deps.clock.now();
  const patch: Partial<WorkflowRecord> = {
    status: 'RUNNING',
    reasonForIncompletion: null,
    failedTaskId: null,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    endTime: null,
    lastRetriedTime: now,
    updateTime: now,
  };
  if (req.workflowInput) patch.input = cloneJson(req.workflowInput);
  if (req.correlationId != null) patch.correlationId = req.correlationId;
  state.setWorkflow(patch);
  state.announce('workflow.rerun');
}

/** The workflows from `stored` down to the one holding `taskId` (through SUB_WORKFLOW tasks), or null. */
async function locate(
  deps: OperationDeps,
  stored: StoredWorkflow,
  taskId: string,
): Promise<PathStep[] | null> {
  const workflowId = stored.workflow.workflowId;
  if (stored.tasks.some((t) => t.taskId === taskId)) return [{ workflowId, fromTaskId: taskId }];
  for (const task of stored.tasks) {
    if (task.workflowTask.type !== 'SUB_WORKFLOW' || !task.subWorkflowId) continue;
    const child = await deps.store.getWorkflow(task.subWorkflowId);
    const below = child ? await locate(deps, child, taskId) : null;
    if (child && below) {
      assertEnded(child.workflow);
      return [{ workflowId, fromTaskId: task.taskId }, ...below];
    }
  }
  return null;
}

/** Runs the workflow again from `from`: later tasks deleted, `from` scheduled again, waiting tasks reopened. */
function rerunFrom(
  deps: OperationDeps,
  state: WorkingState,
  from: Task,
  taskInput: Record<string, unknown> | null,
): void {
  const now = deps.clock.now();
  state.removeTasks(state.tasks.filter((t) => t.seq > from.seq).map((t) => t.taskId));
  if (isWorkerTask(deps, from)) {
    state.putTask({
      ...from,
      status: 'SCHEDULED',
      inputData: taskInput ? cloneJson(taskInput) : from.inputData,
      outputData: {},
      reasonForIncompletion: null,
      retried: false,
      executed: false,
      scheduledTime: now,
      startTime: 0,
      endTime: 0,
      updateTime: now,
      workerId: null,
      callbackAfterSeconds: 0,
    });
  } else {
    // A system task does its work when scheduled (a SWITCH picks its branch, a FORK makes its branches, a
    // SUB_WORKFLOW gets a new child): it is scheduled afresh from its step.
    state.removeTasks([from.taskId]);
    const factory = taskFactoryFor(deps, state);
    const created = scheduleAgain(factory, from);
    const main = created.find((t) => t.referenceTaskName === from.referenceTaskName);
    if (main && taskInput) state.putTask({ ...main, inputData: cloneJson(taskInput) });
  }
  reopenWaiting(deps, state, from);
  moveOnAgain(deps, state, from.seq);
}

function scheduleAgain(factory: TaskFactory, from: Task): Task[] {
  try {
    return factory.scheduleStep(from.workflowTask, from.iteration);
  } catch (error) {
    if (error instanceof TerminateWorkflowError) {
      throw new ConflictError(`Task ${from.referenceTaskName} cannot be scheduled again: ${error.message}`);
    }
    throw error;
  }
}

/** A SUB_WORKFLOW task above a rerun child: later tasks deleted, and it waits for its child again. */
function waitForChildAgain(deps: OperationDeps, state: WorkingState, from: Task): void {
  const now = deps.clock.now();
  state.removeTasks(state.tasks.filter((t) => t.seq > from.seq).map((t) => t.taskId));
  state.putTask({
    ...reopened(from, now),
    retried: false,
    startTime: now,
    outputData: from.subWorkflowId ? { subWorkflowId: from.subWorkflowId } : {},
  });
  reopenWaiting(deps, state, from);
  moveOnAgain(deps, state, from.seq);
}

/**
 * JOINs and DO_WHILEs before `from` that must wait again: a JOIN that failed, was canceled, or joins a task that
 * was deleted or runs again; a DO_WHILE that failed or was canceled, or whose body holds `from` (rewound to
 * `from`'s iteration).
 */
function reopenWaiting(deps: OperationDeps, state: WorkingState, from: Task): void {
  const now = deps.clock.now();
  const loopStep = defIndex(state.workflow.workflowDefinition).loopOf(from.workflowTask.taskReferenceName);
  for (const task of state.tasks) {
    if (task.seq >= from.seq || task.retried || !isTerminalTask(task.status)) continue;
    const failed = isUnsuccessfulTerminalTask(task.status);
    if (isJoin(task) && (failed || joinsPendingWork(task, state.tasks))) {
      state.putTask(reopened(task, now));
    } else if (isLoop(task)) {
      const holdsFrom = loopStep?.taskReferenceName === task.workflowTask.taskReferenceName;
      if (holdsFrom) state.putTask(rewound(reopened(task, now), from.iteration));
      else if (failed) state.putTask(reopened(task, now));
    }
  }
}

/** A DO_WHILE back at `iteration`: the record of later iterations dropped from its output. */
function rewound(loop: Task, iteration: number): Task {
  if (iteration <= 0 || iteration >= loop.iteration) return loop;
  const outputData: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(loop.outputData)) {
    if (!/^\d+$/.test(key) || Number(key) < iteration) outputData[key] = value;
  }
  outputData.iteration = iteration;
  return { ...loop, iteration, outputData };
}

/**
 * Finished tasks before `fromSeq` whose next step lost its task to the deletion are handed back to the decider
 * (`executed` = false) to move on from again; a FORK gets the first tasks of its branches back.
 */
function moveOnAgain(deps: OperationDeps, state: WorkingState, fromSeq: number): void {
  const factory = taskFactoryFor(deps, state);
  const index = factory.index;
  for (const task of state.tasks.slice()) {
    if (task.seq >= fromSeq || task.retried || task.status === 'SKIPPED') continue;
    if (!isTerminalTask(task.status) || !isSuccessfulTask(task.status)) continue;
    if (task.taskType === 'FORK' && task.workflowTask.type === 'FORK_JOIN') {
      // As the fork made them: the first task of each branch, then the JOIN.
      const join = index.next(task.workflowTask.taskReferenceName);
      for (const first of [...(task.workflowTask.forkTasks ?? []).map((b) => b[0]), join]) {
        if (first && !factory.findByRef(index.refFor(first, task.iteration))) {
          scheduleAgain(factory, { ...task, workflowTask: first });
        }
      }
      continue;
    }
    const type = deps.taskTypes.get(task.workflowTask.type);
    if (!task.executed || type.outcome) continue;
    const steps = type.next?.(task, index) ?? [index.next(task.workflowTask.taskReferenceName)];
    const lost = steps.some((step) => step && !factory.findByRef(index.refFor(step, task.iteration)));
    if (lost) state.putTask({ ...task, executed: false });
  }
}
