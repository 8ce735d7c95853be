import type { DefIndex } from '../decider/def-index.js';
import type { StartWorkflowRequest } from '../model/start-request.js';
import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { TaskResult } from '../model/task-result.js';
import type { Workflow, WorkflowRecord } from '../model/workflow.js';
import type { WorkflowTask } from '../model/workflow-def.js';

/** What a task type sees when one of its steps is scheduled. Pure: no I/O, time passed in. */
export interface ScheduleContext {
  readonly workflow: WorkflowRecord;
  readonly step: WorkflowTask;
  /** The step's effective TaskDef (embedded, registered or default), with defaults filled in. */
  readonly taskDef: ResolvedTaskDef;
  readonly now: number;
  /** The DO_WHILE iteration the step is scheduled in; 0 outside loops. */
  readonly iteration: number;
  /** The workflow's tasks so far, in `seq` order (including ones created in this pass). */
  readonly tasks: readonly Task[];
  readonly index: DefIndex;
  /** Builds a task for `step` with every field set (input resolved); `fields` override the defaults. */
  createTask(fields?: Partial<Task>): Task;
  /** Schedules another step now (a FORK's branches and JOIN); returns the tasks created. */
  scheduleStep(step: WorkflowTask, iteration?: number): Task[];
}

/** A workflow started by a task (SUB_WORKFLOW, START_WORKFLOW). */
export interface ChildWorkflowRequest extends StartWorkflowRequest {
  /** A fixed id, so redoing the step after a crash finds the child instead of starting a second one. */
  workflowId?: string;
  parentWorkflowId?: string | null;
  parentWorkflowTaskId?: string | null;
}

/** How a background job ends its task: applied like a worker's result (retries and the rest follow). */
export type BackgroundOutcome = Pick<TaskResult, 'status' | 'outputData' | 'reasonForIncompletion'>;

/**
 * Work a system task does outside its workflow's unit of work (an HTTP call). `signal` aborts when the task is
 * canceled or the engine stops past its grace period. A job that throws fails its task with the message.
 */
export type BackgroundJob = (signal: AbortSignal) => Promise<BackgroundOutcome>;

/** What a system task sees when the engine runs it. */
export interface ExecuteContext {
  readonly workflow: WorkflowRecord;
  /** The workflow's tasks as they are now, in `seq` order. */
  readonly tasks: readonly Task[];
  readonly now: number;
  readonly index: DefIndex;
  /**
   * True for a task created in the current unit of work, not yet committed. A step with effects outside the
   * workflow (starting a child) waits for its task to be committed, so a redo after a crash finds the same
   * task id and the same derived child id.
   */
  isNew(task: Task): boolean;
  /** Schedules a step (a DO_WHILE iteration); returns the tasks created. */
  schedule(step: WorkflowTask, iteration: number): Task[];
  /** Merges values into `workflow.variables` (SET_VARIABLE). */
  setVariables(variables: Record<string, unknown>): void;
  /** Starts a workflow; a request with an id that exists returns that id. */
  startWorkflow(request: ChildWorkflowRequest): Promise<string>;
  getWorkflow(workflowId: string): Promise<Workflow | null>;
  /** Terminates a running workflow (a canceled SUB_WORKFLOW's child); no-op when it has ended. */
  terminateWorkflow(workflowId: string, reason: string): Promise<void>;
  /**
   * Evaluates JavaScript in the sandbox with `$` bound to a copy of `input` (INLINE, SWITCH `javascript`,
   * DO_WHILE `loopCondition`); rejects with the script's error.
   */
  evaluate(script: string, input: Record<string, unknown>): Promise<unknown>;
  /** Publishes to the in-process event bus (EVENT). */
  publishEvent(event: string, payload: Record<string, unknown>): Promise<void>;
  /**
   * Runs `job` for `task` in the background, so the workflow's lane stays free while it runs (HTTP); when it
   * settles, its outcome is applied to the task in a unit of work of its own, like a worker's result (ignored
   * if the task has ended meanwhile). Idempotent per task id: while a job for the task is running (or its
   * outcome is being applied) another call does nothing. Returns at once; `idle()` waits for the job. A
   * stopping engine may abort a job, or not start it, and drop its outcome: the task stays IN_PROGRESS, so a
   * task type using this keeps a durable wakeup (`wakeAt`) that runs the job again if none is running then.
   */
  runInBackground(task: Task, job: BackgroundJob): void;
  /** Aborts the background job of `task`, if one is running; its outcome is dropped. */
  cancelBackground(task: Task): void;
}

/** How a task ends its workflow when it completes (TERMINATE). */
export interface TaskOutcome {
  readonly status: 'COMPLETED' | 'FAILED' | 'TERMINATED';
  readonly reason: string | null;
  readonly output: Record<string, unknown>;
}

/**
 * A task type (DESIGN.md section 3): one file each under src/tasks/, registered by `type`.
 *
 * - `worker` tasks go to a queue named after the task type (prefixed by `domain:`) for workers to poll.
 * - `system` tasks run in the engine: `execute` is called on every decide while the task is SCHEDULED or
 *   IN_PROGRESS, and returns the task changed (for instance COMPLETED with its output) or null to wait.
 */
export interface TaskType {
  readonly type: string;
  readonly kind: 'worker' | 'system';
  /** Creates the task(s) for a step being scheduled (Conductor's mapper). */
  schedule(ctx: ScheduleContext): Task[];
  /** Moves a pending system task along. */
  execute?(task: Task, ctx: ExecuteContext): Task | null | Promise<Task | null>;
  /**
   * The steps to schedule once this task is done, instead of the definition's next step (a SWITCH's chosen
   * branch). Undefined: the definition's navigation applies.
   */
  next?(task: Task, index: DefIndex): readonly WorkflowTask[] | undefined;
  /** When a finished task of this type ends the workflow (TERMINATE). */
  outcome?(task: Task): TaskOutcome | null;
  /** When a pending task of this type next needs a decide (a WAIT's end), or null. */
  wakeAt?(task: Task): number | null;
  /** Called when a pending task of this type is canceled (workflow ended, branch abandoned). */
  cancel?(task: Task, ctx: ExecuteContext): void | Promise<void>;
}
