import type { TaskResultStatus } from './status.js';

/** A task log line (Conductor's `TaskExecLog`). */
export interface TaskExecLog {
  log: string;
  taskId: string;
  createdTime: number;
}

/** What a worker reports for a task it polled: Conductor's `TaskResult`. */
export interface TaskResult {
  taskId: string;
  /** The workflow of the task; looked up from the task when absent. */
  workflowInstanceId?: string;
  status: TaskResultStatus;
  outputData?: Record<string, unknown>;
  reasonForIncompletion?: string | null;
  /** With IN_PROGRESS: seconds before the task is visible to workers again. */
  callbackAfterSeconds?: number;
  workerId?: string | null;
  logs?: Array<string | Partial<TaskExecLog>>;
  /** With IN_PROGRESS: only refresh the response timeout. */
  extendLease?: boolean;
}
