import type { Task } from '../model/task.js';
import type { TaskExecLog } from '../model/task-result.js';

/** What an in-process worker handler returns; omitted status (or a void return) means COMPLETED. */
export interface WorkerResult {
  status?: 'COMPLETED' | 'FAILED' | 'FAILED_WITH_TERMINAL_ERROR' | 'IN_PROGRESS';
  outputData?: Record<string, unknown>;
  reasonForIncompletion?: string;
  /** With IN_PROGRESS: seconds before the task is handed out again. */
  callbackAfterSeconds?: number;
  logs?: Array<string | Partial<TaskExecLog>>;
}

/** What a handler gets besides its task. */
export interface WorkerContext {
  /** Aborted when the engine stops past its grace period. */
  readonly signal: AbortSignal;
  /** Adds a line to the task's logs (`getTaskLogs`). */
  log(message: string): void;
}

/**
 * An in-process worker. A thrown error fails the task (FAILED, retried per its TaskDef) with the error's message
 * as `reasonForIncompletion`; a thrown `TerminalError` fails it with FAILED_WITH_TERMINAL_ERROR (no retry).
 */
export type WorkerHandler = (task: Task, ctx: WorkerContext) => WorkerReturn | Promise<WorkerReturn>;

/** A handler's return value: a result, or nothing for COMPLETED with no output. */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler with no return statement must type-check.
export type WorkerReturn = WorkerResult | undefined | void;

/** Options of `registerWorker`. */
export interface WorkerOptions {
  /** Tasks this worker runs at once. @default 1 */
  concurrency?: number;
  /** Poll the task queue of this domain (`domain:taskType`). */
  domain?: string;
  /**
   * Also poll the task queue this often (ms), for tasks that became visible without this engine knowing: those
   * another process sharing the store and queue scheduled. Tasks this engine schedules, and its own delayed ones,
   * reach the worker without polling, so a single engine needs none. @default no periodic poll
   */
  pollIntervalMs?: number;
  /** Recorded as the task's `workerId`. @default 'baton-<pid>' */
  workerId?: string;
}

/** A registered worker; `stop()` stops polling and waits for its running tasks. */
export interface WorkerRegistration {
  stop(): Promise<void>;
}
