import type { StartWorkflowRequest } from '../start-request.js';
import {
  checkOptionalEnum,
  checkOptionalMap,
  checkOptionalNumber,
  checkOptionalString,
  checkOptionalStringMap,
  checkRequiredString,
  isAbsent,
  isMap,
  runValidation,
} from './issues.js';
import { collectWorkflowDefIssues, type WorkflowDefValidationOptions } from './validate-workflow-def.js';

const IDEMPOTENCY_STRATEGIES = ['FAIL', 'RETURN_EXISTING', 'FAIL_ON_RUNNING'];
const OPTIONAL_STRING_FIELDS = [
  'correlationId',
  'idempotencyKey',
  'createdBy',
  'externalInputPayloadStoragePath',
];

/**
 * Checks a StartWorkflowRequest. An inline `workflowDef` is checked as a registration would be, with paths
 * under `workflowDef.`; when it is given, `name` may be left out and is taken from it (the returned request
 * is then a copy that carries the name).
 */
export function validateStartRequest(
  req: unknown,
  options: WorkflowDefValidationOptions = {},
): StartWorkflowRequest {
  return runValidation('start workflow request', (issues) => {
    if (!isMap(req)) {
      issues.add('', 'must be an object');
      return req as StartWorkflowRequest;
    }
    if (!isAbsent(req.workflowDef)) collectWorkflowDefIssues(req.workflowDef, 'workflowDef', issues, options);
    // With an inline definition the name may come from it, and that name was checked just above.
    if (!takesNameFromInlineDef(req)) checkRequiredString(issues, 'name', req.name);
    checkOptionalNumber(issues, 'version', req.version, { integer: true, min: 1 });
    checkOptionalMap(issues, 'input', req.input);
    checkOptionalNumber(issues, 'priority', req.priority, { integer: true, min: 0, max: 99 });
    checkOptionalStringMap(issues, 'taskToDomain', req.taskToDomain);
    for (const key of OPTIONAL_STRING_FIELDS) checkOptionalString(issues, key, req[key]);
    checkOptionalEnum(issues, 'idempotencyStrategy', req.idempotencyStrategy, IDEMPOTENCY_STRATEGIES);
    return withNameFromInlineDef(req);
  });
}

function takesNameFromInlineDef(req: Record<string, unknown>): boolean {
  return !isAbsent(req.workflowDef) && (isAbsent(req.name) || req.name === '');
}

function withNameFromInlineDef(req: Record<string, unknown>): StartWorkflowRequest {
  const request = req as unknown as StartWorkflowRequest;
  if (!takesNameFromInlineDef(req)) return request;
  return { ...request, name: (req.workflowDef as { name: string }).name };
}
