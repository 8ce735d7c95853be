import type { EventHandler } from '../model/event-handler.js';
import type { WorkflowSearchCriteria, WorkflowSearchResult } from '../model/search.js';
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
  /**
   * Only with `expectedVersion` 0: claims the workflow's `idempotencyKey` for its `workflowName` in the same
   * transaction as the create.
   */
  readonly idempotency?: IdempotencyClaim;
}

/**
 * An idempotency claim made by a create. The key is `(workflow.workflowName, workflow.idempotencyKey)`; its
 * holders are the stored workflows of that name with that key. The store checks and records the claim
 * atomically with the create, so of concurrent creates with one key exactly the allowed ones succeed (an
 * adapter serialises claims of one key, e.g. a row lock on a keys table or a Lua script), and throws
 * `IdempotencyConflictError` carrying the holder's id otherwise (nothing is written then). `removeWorkflow`
 * frees the key of the removed workflow.
 */
export interface IdempotencyClaim {
  /**
   * `any`: refused while any holder exists (strategies FAIL and RETURN_EXISTING); `active`: refused only while
   * a holder is RUNNING or PAUSED (FAIL_ON_RUNNING). The error names the newest holder (highest `createTime`,
   * then the last one created) that blocks the claim.
   */
  readonly conflictsWith: 'any' | 'active';
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
  /** Saves an event handler; throws ConflictError when its name exists and `overwrite` is false. */
  saveEventHandler(handler: EventHandler, overwrite: boolean): Promise<void>;
  getEventHandler(name: string): Promise<EventHandler | null>;
  /** Every event handler, or those of one event (exact match of `event`), in no particular order. */
  listEventHandlers(event?: string): Promise<EventHandler[]>;
  removeEventHandler(name: string): Promise<boolean>;

  /**
   * Writes a commit atomically and returns the new version. Throws VersionConflictError when the stored version
   * is not `expectedVersion` (or, for 0, when the workflow exists); nothing is written then.
   */
  commit(commit: WorkflowCommit): Promise<number>;
  getWorkflow(workflowId: string, options?: { includeTasks?: boolean }): Promise<StoredWorkflow | null>;
  getTask(taskId: string): Promise<Task | null>;
  /** Deletes a workflow, its tasks and their logs. */
  removeWorkflow(workflowId: string): Promise<boolean>;
  /**
   * Workflows matching the criteria's filters, ordered by `startTime` (ties by `workflowId` ascending) and
   * paged; `totalHits` counts every match. A removed workflow is never found. See `matchesSearch` in
   * `model/search.ts` for the reference semantics (free text included).
   */
  searchWorkflows(criteria: WorkflowSearchCriteria): Promise<WorkflowSearchResult>;
  appendTaskLogs(logs: readonly TaskExecLog[]): Promise<void>;
  getTaskLogs(taskId: string): Promise<TaskExecLog[]>;
  /** True when `commit` applies the queue ops for this queue in its own transaction. */
  commitsQueue(queue: Queue): boolean;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
