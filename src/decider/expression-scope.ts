import type { ExpressionScope } from '../expressions/index.js';
import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';

/** The document `${workflow.…}` reads (Conductor's ParametersUtils workflow map). */
export function workflowDoc(workflow: WorkflowRecord): Record<string, unknown> {
  return {
    input: workflow.input,
    output: workflow.output,
    status: workflow.status,
    workflowId: workflow.workflowId,
    parentWorkflowId: workflow.parentWorkflowId,
    parentWorkflowTaskId: workflow.parentWorkflowTaskId,
    workflowType: workflow.workflowName,
    version: workflow.workflowVersion,
    correlationId: workflow.correlationId,
    reasonForIncompletion: workflow.reasonForIncompletion,
    schemaVersion: workflow.workflowDefinition.schemaVersion ?? 2,
    variables: workflow.variables,
  };
}

/** The document `${ref.…}` reads for a task. */
export function taskDoc(task: Task): Record<string, unknown> {
  return {
    input: task.inputData,
    output: task.outputData,
    taskType: task.taskType,
    status: task.status,
    referenceTaskName: task.referenceTaskName,
    retryCount: task.retryCount,
    correlationId: task.correlationId,
    pollCount: task.pollCount,
    taskDefName: task.taskDefName,
    scheduledTime: task.scheduledTime,
    startTime: task.startTime,
    endTime: task.endTime,
    workflowInstanceId: task.workflowInstanceId,
    taskId: task.taskId,
    reasonForIncompletion: task.reasonForIncompletion,
    callbackAfterSeconds: task.callbackAfterSeconds,
    workerId: task.workerId,
    iteration: task.iteration,
    subWorkflowId: task.subWorkflowId,
  };
}

/**
 * The latest task for a reference name: retried refs resolve to the last copy and loop tasks are found by
 * their definition ref (without `__N`), as in Conductor. Scans from the end, where recent tasks are.
 */
export function latestTaskByRef(tasks: readonly Task[], ref: string): Task | undefined {
  for (let i = tasks.length - 1; i >= 0; i--) {
    const t = tasks[i];
    if (t.referenceTaskName === ref || t.workflowTask.taskReferenceName === ref) return t;
  }
  return undefined;
}

/** What expressions of one workflow can see; documents are built on first use. */
export function makeScope(
  workflow: WorkflowRecord,
  tasks: readonly Task[],
  env: ((name: string) => string | undefined) | undefined,
  taskId?: string | null,
): ExpressionScope {
  let wfDoc: Record<string, unknown> | undefined;
  return {
    workflow: () => {
      wfDoc ??= workflowDoc(workflow);
      return wfDoc;
    },
    task: (ref) => {
      const task = latestTaskByRef(tasks, ref);
      return task ? taskDoc(task) : undefined;
    },
    taskId,
    env,
  };
}
