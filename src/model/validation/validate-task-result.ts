import { TASK_RESULT_STATUSES } from '../status.js';
import type { TaskResult } from '../task-result.js';
import {
  checkOptionalBoolean,
  checkOptionalEnum,
  checkOptionalMap,
  checkOptionalNumber,
  checkOptionalString,
  checkRequiredString,
  childPath,
  type IssueCollector,
  isAbsent,
  isMap,
  runValidation,
} from './issues.js';

/**
 * Checks what a worker reports for a task (`updateTask`). A malformed result such as `status: 'DONE'` is a
 * ValidationError at path `status`.
 */
export function validateTaskResult(r: unknown): TaskResult {
  return runValidation('task result', (issues) => {
    if (!isMap(r)) {
      issues.add('', 'must be an object');
      return r as TaskResult;
    }
    checkRequiredString(issues, 'taskId', r.taskId);
    if (isAbsent(r.status)) issues.add('status', 'is required');
    else checkOptionalEnum(issues, 'status', r.status, TASK_RESULT_STATUSES);
    checkOptionalString(issues, 'workflowInstanceId', r.workflowInstanceId);
    checkOptionalMap(issues, 'outputData', r.outputData);
    checkOptionalString(issues, 'reasonForIncompletion', r.reasonForIncompletion);
    checkOptionalNumber(issues, 'callbackAfterSeconds', r.callbackAfterSeconds, { min: 0 });
    checkOptionalString(issues, 'workerId', r.workerId);
    checkOptionalBoolean(issues, 'extendLease', r.extendLease);
    checkLogs(r.logs, issues);
    return r as unknown as TaskResult;
  });
}

/** Log lines are strings or Conductor's TaskExecLog objects, which need at least a string `log`. */
function checkLogs(logs: unknown, issues: IssueCollector): void {
  if (isAbsent(logs)) return;
  if (!Array.isArray(logs)) {
    issues.add('logs', 'must be an array');
    return;
  }
  logs.forEach((entry, i) => {
    const path = childPath('logs', i);
    if (typeof entry === 'string') return;
    if (!isMap(entry)) issues.add(path, 'must be a string or an object with a string log');
    else if (typeof entry.log !== 'string') issues.add(childPath(path, 'log'), 'must be a string');
  });
}
