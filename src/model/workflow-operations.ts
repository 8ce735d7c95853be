/**
 * How to rerun a workflow that has ended: Conductor's `RerunWorkflowRequest`. The workflow keeps its id.
 *
 * - Without `reRunFromTaskId` the workflow runs again from its first task: every task is deleted.
 * - With it, the workflow runs again from that task (it may sit in a sub-workflow, at any depth): the tasks
 *   scheduled after it are deleted and it is scheduled again, with `taskInput` as its input when given.
 */
export interface RerunWorkflowRequest {
  /** The workflow to rerun; when given it must be the id passed to `rerunWorkflow`. */
  reRunFromWorkflowId?: string | null;
  /** Replaces the workflow's input. */
  workflowInput?: Record<string, unknown> | null;
  /** The task to run again from; absent: from the start. */
  reRunFromTaskId?: string | null;
  /** Replaces the input of the task run again from. */
  taskInput?: Record<string, unknown> | null;
  /** Replaces the workflow's correlation id. */
  correlationId?: string | null;
}

/** What a skipped task shows: Conductor's `SkipTaskRequest`. */
export interface SkipTaskRequest {
  taskInput?: Record<string, unknown> | null;
  taskOutput?: Record<string, unknown> | null;
}

/** Options of `terminateWorkflow`. */
export interface TerminateWorkflowOptions {
  /**
   * Start the definition's `failureWorkflow`, as an engine-driven failure does. Conductor's API terminate does
   * not. @default false
   */
  triggerFailureWorkflow?: boolean;
}

/** Options of `restartWorkflow`. */
export interface RestartWorkflowOptions {
  /** Run the latest registered version of the definition (and of its task definitions). @default false */
  useLatestDefinitions?: boolean;
}

/** Options of `retryWorkflow`. */
export interface RetryWorkflowOptions {
  /**
   * When the workflow failed because a sub-workflow failed, retry the deepest failed sub-workflow in place
   * (its parents resume waiting for it) instead of starting a new child. @default false
   */
  resumeSubworkflowTasks?: boolean;
}
