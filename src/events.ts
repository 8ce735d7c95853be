import type { Task } from './model/task.js';
import type { Workflow } from './model/workflow.js';

/**
 * The engine's events and their payloads (`engine.on(name, listener)`). `workflow.*` listeners get the
 * Workflow (with its tasks), `task.*` listeners get the Task; both are copies the listener may keep.
 */
export interface EngineEvents {
  'workflow.started': [workflow: Workflow];
  'workflow.completed': [workflow: Workflow];
  'workflow.failed': [workflow: Workflow];
  'workflow.terminated': [workflow: Workflow];
  'workflow.timedOut': [workflow: Workflow];
  'workflow.paused': [workflow: Workflow];
  'workflow.resumed': [workflow: Workflow];
  'workflow.retried': [workflow: Workflow];
  'workflow.restarted': [workflow: Workflow];
  'workflow.rerun': [workflow: Workflow];
  'task.scheduled': [task: Task];
  'task.started': [task: Task];
  'task.completed': [task: Task];
  'task.failed': [task: Task];
  'task.timedOut': [task: Task];
  'task.canceled': [task: Task];
  'task.skipped': [task: Task];
}

/** Name of an engine event. */
export type EngineEventName = keyof EngineEvents;

/** The event for a task entering `status`, or null for statuses that emit none. */
export function taskEventFor(status: Task['status']): EngineEventName | null {
  switch (status) {
    case 'SCHEDULED':
      return 'task.scheduled';
    case 'IN_PROGRESS':
      return 'task.started';
    case 'COMPLETED':
    case 'COMPLETED_WITH_ERRORS':
      return 'task.completed';
    case 'FAILED':
    case 'FAILED_WITH_TERMINAL_ERROR':
      return 'task.failed';
    case 'TIMED_OUT':
      return 'task.timedOut';
    case 'CANCELED':
      return 'task.canceled';
    case 'SKIPPED':
      return 'task.skipped';
  }
}

/** The event for a workflow ending with `status`. */
export function workflowEndEventFor(status: Workflow['status']): EngineEventName {
  switch (status) {
    case 'COMPLETED':
      return 'workflow.completed';
    case 'FAILED':
      return 'workflow.failed';
    case 'TIMED_OUT':
      return 'workflow.timedOut';
    default:
      return 'workflow.terminated';
  }
}
