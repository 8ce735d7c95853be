import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowRecord } from '../model/workflow.js';

/** A timeout that applies to a task or workflow: when it fires, and what it says when it does (built lazily). */
export interface Deadline {
  readonly dueAt: number;
  readonly kind: 'task' | 'response' | 'poll';
  readonly reason: string;
}

/**
 * The deadlines of a pending task, in Conductor's terms (`DeciderService.checkTaskTimeout`,
 * `isResponseTimedOut`, `checkTaskPollTimeout`). Each fires when `now >= dueAt`.
 */
export function taskDeadlines(task: Task, def: ResolvedTaskDef): Deadline[] {
  const deadlines: Deadline[] = [];
  const timeout = def.timeoutSeconds;
  if (timeout > 0 && task.startTime > 0) {
    deadlines.push({
      dueAt: task.startTime + task.startDelayInSeconds * 1000 + timeout * 1000,
      kind: 'task',
      get reason() {
        return `Task timed out after ${timeout} seconds. Timeout configured as ${timeout} seconds. Timeout policy configured to ${def.timeoutPolicy}`;
      },
    });
  }
  const response = task.responseTimeoutSeconds;
  if (task.status === 'IN_PROGRESS' && response > 0 && !task.workflowTask.asyncComplete) {
    deadlines.push({
      dueAt: task.updateTime + (response + task.callbackAfterSeconds) * 1000,
      kind: 'response',
      get reason() {
        return `responseTimeout: ${response} exceeded for taskId: ${task.taskId} with Task Definition: ${task.taskDefName}`;
      },
    });
  }
  const poll = def.pollTimeoutSeconds ?? 0;
  if (task.status === 'SCHEDULED' && poll > 0) {
    deadlines.push({
      dueAt: task.scheduledTime + task.startDelayInSeconds * 1000 + (poll + task.callbackAfterSeconds) * 1000,
      kind: 'poll',
      get reason() {
        return `Task poll timed out after ${poll} seconds. Poll timeout configured as ${poll} seconds. Timeout policy configured to ${def.timeoutPolicy}`;
      },
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
