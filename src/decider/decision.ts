import type { Task } from '../model/task.js';

/** How a decide ends the workflow, if it does. */
export interface WorkflowOutcome {
  readonly status: 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'TERMINATED';
  readonly reason: string | null;
  /** The task whose failure (or TERMINATE) ended the workflow. */
  readonly task: Task | null;
  /** The workflow's output when the ending task sets it (TERMINATE); otherwise it is resolved at the end. */
  readonly output?: Record<string, unknown>;
}

/** What one pass of the decider wants done. Applying it is the engine's job. */
export interface Decision {
  /** New tasks, in scheduling order (their `seq` already set). */
  readonly scheduled: Task[];
  /** Changed existing tasks (new objects; the inputs are never mutated). */
  readonly updated: Task[];
  readonly outcome: WorkflowOutcome | null;
  /** When the workflow next needs a decide (a timeout falls due), or null. */
  readonly wakeAt: number | null;
}
