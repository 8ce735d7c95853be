import type { WorkflowStatus } from './status.js';
import type { Task } from './task.js';
import type { WorkflowDef } from './workflow-def.js';

/** A workflow execution: Conductor's `Workflow` JSON. Absent values are `null`. */
export interface Workflow {
  workflowId: string;
  workflowName: string;
  workflowVersion: number;
  status: WorkflowStatus;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  correlationId: string | null;
  reasonForIncompletion: string | null;
  createTime: number;
  updateTime: number | null;
  startTime: number;
  endTime: number | null;
  lastRetriedTime: number | null;
  parentWorkflowId: string | null;
  parentWorkflowTaskId: string | null;
  /** Id of the task whose failure ended the workflow. */
  failedTaskId: string | null;
  failedReferenceTaskNames: string[];
  failedTaskNames: string[];
  variables: Record<string, unknown>;
  priority: number;
  taskToDomain: Record<string, string>;
  idempotencyKey: string | null;
  createdBy: string | null;
  ownerApp: string | null;
  event: string | null;
  /** The definition this execution runs (a snapshot taken at start). */
  workflowDefinition: WorkflowDef;
  /** Tasks in `seq` order; empty when fetched with `includeTasks: false`. */
  tasks: Task[];
}

/** A workflow without its tasks, as the store keeps its row. */
export type WorkflowRecord = Omit<Workflow, 'tasks'>;
