/** Status of a task execution, as in Conductor's `Task.Status`. */
export type TaskStatus =
  | 'IN_PROGRESS'
  | 'CANCELED'
  | 'FAILED'
  | 'FAILED_WITH_TERMINAL_ERROR'
  | 'COMPLETED'
  | 'COMPLETED_WITH_ERRORS'
  | 'SCHEDULED'
  | 'TIMED_OUT'
  | 'SKIPPED';

/** Status of a workflow execution, as in Conductor's `Workflow.WorkflowStatus`. */
export type WorkflowStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'TERMINATED' | 'PAUSED';

/** Statuses a worker may report in a {@link TaskResult} (Conductor's `TaskResult.Status`). */
export type TaskResultStatus =
  | 'IN_PROGRESS'
  | 'FAILED'
  | 'FAILED_WITH_TERMINAL_ERROR'
  | 'COMPLETED'
  | 'CANCELED';

export const TASK_STATUSES: readonly TaskStatus[] = [
  'IN_PROGRESS',
  'CANCELED',
  'FAILED',
  'FAILED_WITH_TERMINAL_ERROR',
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
  'SCHEDULED',
  'TIMED_OUT',
  'SKIPPED',
];

export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'TIMED_OUT',
  'TERMINATED',
  'PAUSED',
];

export const TASK_RESULT_STATUSES: readonly TaskResultStatus[] = [
  'IN_PROGRESS',
  'FAILED',
  'FAILED_WITH_TERMINAL_ERROR',
  'COMPLETED',
  'CANCELED',
];

// Flags from Conductor's TaskModel.Status: (terminal, successful, retriable).
const TASK_FLAGS: Record<TaskStatus, readonly [boolean, boolean, boolean]> = {
  SCHEDULED: [false, true, true],
  IN_PROGRESS: [false, true, true],
  COMPLETED: [true, true, true],
  COMPLETED_WITH_ERRORS: [true, true, true],
  FAILED: [true, false, true],
  TIMED_OUT: [true, false, true],
  FAILED_WITH_TERMINAL_ERROR: [true, false, false],
  CANCELED: [true, false, false],
  SKIPPED: [true, true, false],
};

/** True once a task can no longer change on its own. */
export function isTerminalTask(status: TaskStatus): boolean {
  return TASK_FLAGS[status][0];
}

/** True for statuses Conductor counts as success (SKIPPED and the non-terminal ones included). */
export function isSuccessfulTask(status: TaskStatus): boolean {
  return TASK_FLAGS[status][1];
}

/** True when a failure with this status may be retried. */
export function isRetriableTask(status: TaskStatus): boolean {
  return TASK_FLAGS[status][2];
}

/** Terminal and not successful: FAILED, TIMED_OUT, FAILED_WITH_TERMINAL_ERROR, CANCELED. */
export function isUnsuccessfulTerminalTask(status: TaskStatus): boolean {
  return TASK_FLAGS[status][0] && !TASK_FLAGS[status][1];
}

/** COMPLETED, FAILED, TIMED_OUT and TERMINATED are terminal; RUNNING and PAUSED are not. */
export function isTerminalWorkflow(status: WorkflowStatus): boolean {
  return status !== 'RUNNING' && status !== 'PAUSED';
}
