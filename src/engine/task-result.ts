import type { Task } from '../model/task.js';
import type { TaskExecLog, TaskResult } from '../model/task-result.js';

/**
 * A task after a worker's result (Conductor's `updateTask`). IN_PROGRESS puts a worker task back to SCHEDULED,
 * visible again after `callbackAfterSeconds`; with `extendLease` it only refreshes the response timeout.
 */
export function applyTaskResult(task: Task, result: TaskResult, now: number, isWorker: boolean): Task {
  const outputData = result.outputData ?? task.outputData;
  const workerId = result.workerId ?? task.workerId;
  if (result.status === 'IN_PROGRESS') {
    if (result.extendLease) return { ...task, updateTime: now };
    return {
      ...task,
      status: isWorker ? 'SCHEDULED' : 'IN_PROGRESS',
      outputData,
      workerId,
      callbackAfterSeconds: result.callbackAfterSeconds ?? 0,
      updateTime: now,
      reasonForIncompletion: result.reasonForIncompletion ?? task.reasonForIncompletion,
    };
  }
  return {
    ...task,
    status: result.status,
    outputData,
    workerId,
    reasonForIncompletion: result.reasonForIncompletion ?? null,
    endTime: now,
    updateTime: now,
  };
}

/** The log lines of a result, as stored. */
export function resultLogs(result: TaskResult, now: number): TaskExecLog[] {
  return (result.logs ?? []).map((entry) =>
    typeof entry === 'string'
      ? { log: entry, taskId: result.taskId, createdTime: now }
      : { log: String(entry.log ?? ''), taskId: result.taskId, createdTime: entry.createdTime ?? now },
  );
}
