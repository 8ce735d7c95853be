import {
  checkOptionalMap,
  checkOptionalString,
  isAbsent,
  isMap,
  runValidation,
} from '../../model/validation/issues.js';
import type { RerunWorkflowRequest, SkipTaskRequest } from '../../model/workflow-operations.js';

/** Checks a RerunWorkflowRequest for `rerunWorkflow(workflowId, …)`; absent means `{}`. */
export function validateRerunRequest(workflowId: string, request: unknown): RerunWorkflowRequest {
  return runValidation('rerun workflow request', (issues) => {
    if (isAbsent(request)) return {};
    if (!isMap(request)) {
      issues.add('', 'must be an object');
      return {};
    }
    const from = request.reRunFromWorkflowId;
    if (checkOptionalString(issues, 'reRunFromWorkflowId', from) && !isAbsent(from) && from !== workflowId) {
      issues.add('reRunFromWorkflowId', `must be the workflow being rerun (${workflowId})`);
    }
    checkOptionalString(issues, 'reRunFromTaskId', request.reRunFromTaskId);
    checkOptionalMap(issues, 'taskInput', request.taskInput);
    checkOptionalMap(issues, 'workflowInput', request.workflowInput);
    checkOptionalString(issues, 'correlationId', request.correlationId);
    return request as RerunWorkflowRequest;
  });
}

/** Checks a SkipTaskRequest; absent means `{}`. */
export function validateSkipTaskRequest(request: unknown): SkipTaskRequest {
  return runValidation('skip task request', (issues) => {
    if (isAbsent(request)) return {};
    if (!isMap(request)) {
      issues.add('', 'must be an object');
      return {};
    }
    checkOptionalMap(issues, 'taskInput', request.taskInput);
    checkOptionalMap(issues, 'taskOutput', request.taskOutput);
    return request as SkipTaskRequest;
  });
}
