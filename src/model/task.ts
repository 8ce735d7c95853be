import type { TaskStatus } from './status.js';
import type { TaskDef } from './task-def.js';
import type { WorkflowTask } from './workflow-def.js';

/** A task execution: Conductor's `Task` JSON. Absent values are `null`. */
export interface Task {
  taskId: string;
  taskType: string;
  status: TaskStatus;
  referenceTaskName: string;
  taskDefName: string;
  workflowInstanceId: string;
  workflowType: string;
  correlationId: string | null;
  inputData: Record<string, unknown>;
  outputData: Record<string, unknown>;
  reasonForIncompletion: string | null;
  /** 1-based order of scheduling within the workflow. */
  seq: number;
  retryCount: number;
  /** Id of the task this one retries. */
  retriedTaskId: string | null;
  /** True once a retry copy of this task was scheduled. */
  retried: boolean;
  /** True once the decider has moved past this task. */
  executed: boolean;
  pollCount: number;
  scheduledTime: number;
  startTime: number;
  endTime: number;
  updateTime: number;
  /** Seconds after which a SCHEDULED task becomes visible to workers. */
  callbackAfterSeconds: number;
  startDelayInSeconds: number;
  responseTimeoutSeconds: number;
  workerId: string | null;
  domain: string | null;
  /** DO_WHILE iteration this task belongs to; 0 outside loops. */
  iteration: number;
  loopOverTask: boolean;
  subWorkflowId: string | null;
  rateLimitPerFrequency: number;
  rateLimitFrequencyInSeconds: number;
  workflowPriority: number;
  isolationGroupId: string | null;
  executionNameSpace: string | null;
  callbackFromWorker: boolean;
  /** The definition step this task was made from. */
  workflowTask: WorkflowTask;
  taskDefinition: TaskDef | null;
}
