import { defIndex } from '../../decider/def-index.js';
import { ConflictError } from '../../errors.js';
import type { Task } from '../../model/task.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import type { WorkflowTask } from '../../model/workflow-def.js';
import type { SkipTaskRequest } from '../../model/workflow-operations.js';
import { cloneJson } from '../../util/clone-json.js';
import type { OperationDeps } from './operation-deps.js';
import { validateSkipTaskRequest } from './validate-requests.js';

/**
 * Conductor's `skipTaskFromWorkflow`: marks a step of a RUNNING workflow that has no task yet as SKIPPED (a task
 * with `seq` 0, listed first, with the request's input and output), then decides; navigation passes over it, and
 * later expressions read its output. A workflow not RUNNING, a reference name not in the definition, or one that
 * has a task already: ConflictError.
 */
export async function skipTask(
  deps: OperationDeps,
  workflowId: string,
  taskReferenceName: string,
  request: SkipTaskRequest | undefined,
): Promise<void> {
  const req = validateSkipTaskRequest(request);
  await deps.executor.mutate(workflowId, (state) => {
    const workflow = state.workflow;
    if (workflow.status !== 'RUNNING') {
      throw new ConflictError(
        `Workflow ${workflowId} is ${workflow.status}, not RUNNING: task ${taskReferenceName} cannot be skipped`,
      );
    }
    const step = defIndex(workflow.workflowDefinition).step(taskReferenceName);
    if (!step) {
      throw new ConflictError(
        `Task ${taskReferenceName} does not exist in the definition of workflow ${workflow.workflowName}`,
      );
    }
    if (state.tasks.some((t) => t.referenceTaskName === taskReferenceName)) {
      throw new ConflictError(`Task ${taskReferenceName} has already been processed: it cannot be skipped`);
    }
    state.addTask(skippedTask(workflow, step, req, deps.newId(), deps.clock.now()));
  });
}

/** The SKIPPED placeholder (Conductor: `taskType` = the step's name, `seq` 0). */
function skippedTask(
  workflow: WorkflowRecord,
  step: WorkflowTask,
  req: SkipTaskRequest,
  taskId: string,
  now: number,
): Task {
  return {
    taskId,
    taskType: step.name,
    status: 'SKIPPED',
    referenceTaskName: step.taskReferenceName,
    taskDefName: step.name,
    workflowInstanceId: workflow.workflowId,
    workflowType: workflow.workflowName,
    correlationId: workflow.correlationId,
    inputData: req.taskInput ? cloneJson(req.taskInput) : {},
    outputData: req.taskOutput ? cloneJson(req.taskOutput) : {},
    reasonForIncompletion: null,
    seq: 0,
    retryCount: 0,
    retriedTaskId: null,
    retried: false,
    executed: false,
    pollCount: 0,
    scheduledTime: now,
    startTime: 0,
    endTime: now,
    updateTime: now,
    callbackAfterSeconds: 0,
    startDelayInSeconds: 0,
    responseTimeoutSeconds: 0,
    workerId: null,
    domain: null,
    iteration: 0,
    loopOverTask: false,
    subWorkflowId: null,
    rateLimitPerFrequency: 0,
    rateLimitFrequencyInSeconds: 0,
    workflowPriority: workflow.priority,
    isolationGroupId: null,
    executionNameSpace: null,
    callbackFromWorker: false,
    workflowTask: step,
    taskDefinition: step.taskDefinition ?? null,
  };
}
