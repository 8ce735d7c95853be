import type { Task } from '../model/task.js';
import type { TaskOutcome, TaskType } from './task-type.js';

const STATUSES = new Set(['COMPLETED', 'FAILED', 'TERMINATED']);

/**
 * TERMINATE (Conductor's `Terminate`): ends the workflow with `terminationStatus` (COMPLETED, FAILED or
 * TERMINATED), `terminationReason`, and `workflowOutput` as its output (a non-map value becomes `{ output }`).
 * An invalid status fails the task.
 */
export const terminateTask: TaskType = {
  type: 'TERMINATE',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute(task, ctx) {
    const status = task.inputData.terminationStatus;
    const done = { startTime: ctx.now, endTime: ctx.now, updateTime: ctx.now };
    if (typeof status !== 'string' || !STATUSES.has(status)) {
      return {
        ...task,
        ...done,
        status: 'FAILED',
        reasonForIncompletion: `Invalid termination status: ${String(status)}; expected one of COMPLETED, FAILED, TERMINATED`,
      };
    }
    return {
      ...task,
      ...done,
      status: 'COMPLETED',
      outputData: terminationOutput(task.inputData.workflowOutput),
    };
  },
  outcome(task: Task): TaskOutcome {
    const status = task.inputData.terminationStatus as TaskOutcome['status'];
    const reason = (task.inputData.terminationReason as string | undefined) || null;
    return {
      status,
      reason:
        status === 'COMPLETED'
          ? (reason ?? `Workflow is COMPLETED by TERMINATE task: ${task.taskId}`)
          : reason,
      output: task.outputData,
    };
  },
};

function terminationOutput(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { output: value };
}
