import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowRecord } from '../model/workflow.js';

/** A timeout that applies to a task or workflow: when it fires, and what it says when it does. */
export interface Deadline {
  readonly dueAt: number;
  readonly kind: 'task' | 'response' | 'poll';
  readonly reason: string;
}

function taskTimeoutDue(task: Task, def: ResolvedTaskDef): number | null {
  const timeout = def.timeoutSeconds;
  if (timeout <= 0 || task.startTime <= 0) return null;
  return task.startTime + task.startDelayInSeconds * 1000 + timeout * 1000;
}

function responseTimeoutDue(task: Task): number | null {
  const response = task.responseTimeoutSeconds;
  if (task.status !== 'IN_PROGRESS' || response <= 0 || task.workflowTask.asyncComplete) return null;
  return task.updateTime + (response + task.callbackAfterSeconds) * 1000;
}

function pollTimeoutDue(task: Task, def: ResolvedTaskDef): number | null {
  const poll = def.pollTimeoutSeconds ?? 0;
  if (task.status !== 'SCHEDULED' || poll <= 0) return null;
  return task.scheduledTime + task.startDelayInSeconds * 1000 + (poll + task.callbackAfterSeconds) * 1000;
}

/**
 * The earliest deadline of a pending task, or null: what the decider checks on every pass for every pending
 * task, so it allocates nothing.
 */
export function earliestDeadline(task: Task, def: ResolvedTaskDef): number | null {
  return earlier(earlier(taskTimeoutDue(task, def), responseTimeoutDue(task)), pollTimeoutDue(task, def));
}

function earlier(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null || a <= b ? a : b;
}

/**
 * The deadlines of a pending task, in Conductor's terms (`DeciderService.checkTaskTimeout`,
 * `isResponseTimedOut`, `checkTaskPollTimeout`). Each fires when `now >= dueAt`.
 */
export function taskDeadlines(task: Task, def: ResolvedTaskDef): Deadline[] {
  const deadlines: Deadline[] = [];
  const taskDue = taskTimeoutDue(task, def);
  if (taskDue !== null) {
    const timeout = def.timeoutSeconds;
    deadlines.push({
      dueAt: taskDue,
      kind: 'task',
      reason: `Task timed out after ${timeout} seconds. Timeout configured as ${timeout} seconds. Timeout policy configured to ${def.timeoutPolicy}`,
    });
  }
  const responseDue = responseTimeoutDue(task);
  if (responseDue !== null) {
    deadlines.push({
      dueAt: responseDue,
      kind: 'response',
      reason: `responseTimeout: ${task.responseTimeoutSeconds} exceeded for taskId: ${task.taskId} with Task Definition: ${task.taskDefName}`,
    });
  }
  const pollDue = pollTimeoutDue(task, def);
  if (pollDue !== null) {
    const poll = def.pollTimeoutSeconds;
    deadlines.push({
      dueAt: pollDue,
      kind: 'poll',
      reason: `Task poll timed out after ${poll} seconds. Poll timeout configured as ${poll} seconds. Timeout policy configured to ${def.timeoutPolicy}`,
    });
  }
  return deadlines;
}

/** The workflow's own deadline, measured from the last retry or resume, else from its creation. */
export function workflowDeadline(workflow: WorkflowRecord): Deadline | null {
  const timeout = workflow.workflowDefinition.timeoutSeconds ?? 0;
  if (timeout <= 0) return null;
  const from =
    workflow.lastRetriedTime && workflow.lastRetriedTime > 0 ? workflow.lastRetriedTime : workflow.createTime;
  const policy = workflow.workflowDefinition.timeoutPolicy ?? 'ALERT_ONLY';
  return {
    dueAt: from + timeout * 1000,
    kind: 'task',
    reason: `Workflow timed out after ${timeout} seconds. Timeout configured as ${timeout} seconds. Timeout policy configured to ${policy}`,
  };
}
