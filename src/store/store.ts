import type { Task } from '../model/task.js';
import type { TaskDef } from '../model/task-def.js';
import type { TaskExecLog } from '../model/task-result.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowDef } from '../model/workflow-def.js';
import type { Queue, QueueOp } from '../queue/queue.js';

/**
 * A workflow row with its fencing version and (unless asked otherwise) its tasks in `seq` order. The `tasks`
 * array is fresh for each call (the caller may extend it); the objects in it are read-only.
 */
export interface StoredWorkflow {
  readonly workflow: WorkflowRecord;
  /** Incremented by every commit; a commit must name the version it read. */
  readonly version: number;
  readonly tasks: readonly Task[];
}

/** Everything one decide (or one operation) changes in a workflow, written atomically. */
export interface WorkflowCommit {
  readonly workflow: WorkflowRecord;
  /** The version read; 0 creates the workflow (and fails if its id exists). */
  readonly expectedVersion: number;
  /** New and changed tasks, upserted by `taskId`. Unchanged tasks are not sent: a commit writes the delta. */
  readonly tasks: readonly Task[];
  /** Tasks to delete (rerun, restart). */
  readonly removedTaskIds?: readonly string[];
  /** Queue changes; written in the same transaction when {@link Store.commitsQueue} says so. */
  readonly queue: readonly QueueOp[];
}

/**
 * Durable state: definitions, executions, tasks and task logs. Objects handed to `commit` belong to the store
 * afterwards and objects it returns must be treated as read-only (the memory store shares them).
 *
 * Adapters run the shared suite `describeStoreContract` from `baton-engine/testing`.
 */
export interface Store {
  readonly name: string;

  /** Saves task definitions (replacing same-named ones), all or nothing. */
  saveTaskDefs(defs: readonly TaskDef[]): Promise<void>;
  getTaskDef(name: string): Promise<TaskDef | null>;
  listTaskDefs(): Promise<TaskDef[]>;
  removeTaskDef(name: string): Promise<boolean>;
  /** Saves a workflow definition; throws ConflictError when name+version exists and `overwrite` is false. */
  saveWorkflowDef(def: WorkflowDef, overwrite: boolean): Promise<void>;
  /** The given version, or the highest one when `version` is omitted. */
  getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | null>;
  listWorkflowDefs(): Promise<WorkflowDef[]>;
  removeWorkflowDef(name: string, version: number): Promise<boolean>;

  /**
   * Writes a commit atomically and returns the new version. Throws VersionConflictError when the stored version
   * is not `expectedVersion` (or, for 0, when the workflow exists); nothing is written then.
   */
  commit(commit: WorkflowCommit): Promise<number>;
  getWorkflow(workflowId: string, options?: { includeTasks?: boolean }): Promise<StoredWorkflow | null>;
  getTask(taskId: string): Promise<Task | null>;
  /** Deletes a workflow, its tasks and their logs. */
  removeWorkflow(workflowId: string): Promise<boolean>;
  appendTaskLogs(logs: readonly TaskExecLog[]): Promise<void>;
  getTaskLogs(taskId: string): Promise<TaskExecLog[]>;
  /** True when `commit` applies the queue ops for this queue in its own transaction. */
  commitsQueue(queue: Queue): boolean;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
