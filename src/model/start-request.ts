import type { IdempotencyStrategy, WorkflowDef } from './workflow-def.js';

/** How to start a workflow: Conductor's `StartWorkflowRequest`. */
export interface StartWorkflowRequest {
  name: string;
  /** Latest registered version when absent. */
  version?: number | null;
  input?: Record<string, unknown>;
  correlationId?: string | null;
  /** 0–99; higher is served first from task queues. @default 0 */
  priority?: number;
  taskToDomain?: Record<string, string>;
  /** An inline definition to run instead of a registered one. */
  workflowDef?: WorkflowDef | null;
  idempotencyKey?: string | null;
  idempotencyStrategy?: IdempotencyStrategy | null;
  createdBy?: string | null;
  externalInputPayloadStoragePath?: string | null;
}
