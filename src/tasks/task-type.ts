import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowTask } from '../model/workflow-def.js';

/** What a task type sees when one of its steps is scheduled. Pure: no I/O, time passed in. */
export interface ScheduleContext {
  readonly workflow: WorkflowRecord;
  readonly step: WorkflowTask;
  /** The step's effective TaskDef (embedded, registered or default), with defaults filled in. */
  readonly taskDef: ResolvedTaskDef;
  readonly now: number;
  /** Builds a task for `step` with every field set; `fields` override the defaults. */
  createTask(fields?: Partial<Task>): Task;
}

/** What a system task sees when the engine runs it. */
export interface ExecuteContext {
  readonly workflow: WorkflowRecord;
  readonly now: number;
}

/**
 * A task type (DESIGN.md section 3): one file each under src/tasks/, registered by `type`.
 *
 * - `worker` tasks go to a queue named after the task type (prefixed by `domain:`) for workers to poll.
 * - `system` tasks run in the engine: `execute` is called while the task is SCHEDULED or IN_PROGRESS and
 *   returns the task changed (for instance COMPLETED with its output) or null when it must wait.
 */
export interface TaskType {
  readonly type: string;
  readonly kind: 'worker' | 'system';
  /** Creates the task(s) for a step being scheduled. */
  schedule(ctx: ScheduleContext): Task[];
  /** Moves a pending system task along. */
  execute?(task: Task, ctx: ExecuteContext): Task | null | Promise<Task | null>;
  /** When a pending task of this type next needs a decide (e.g. a WAIT's end), or null. */
  wakeAt?(task: Task): number | null;
  /** Called when a pending task of this type is canceled (workflow terminated, branch abandoned). */
  cancel?(task: Task, ctx: ExecuteContext): void | Promise<void>;
}
