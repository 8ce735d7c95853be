import type { StartWorkflowRequest } from '../model/start-request.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowDef } from '../model/workflow-def.js';

/** A new RUNNING workflow row for a validated start request and its prepared definition. */
export function newWorkflowRecord(
  req: StartWorkflowRequest,
  def: WorkflowDef,
  { workflowId, now }: { workflowId: string; now: number },
): WorkflowRecord {
  let input = req.input ?? {};
  // Conductor applies inputTemplate defaults only when some input was given.
  if (def.inputTemplate && Object.keys(input).length > 0) input = { ...def.inputTemplate, ...input };
  return {
    workflowId,
    workflowName: def.name,
    workflowVersion: def.version ?? 1,
    status: 'RUNNING',
    input,
    output: {},
    correlationId: req.correlationId ?? null,
    reasonForIncompletion: null,
    createTime: now,
    updateTime: null,
    startTime: now,
    endTime: null,
    lastRetriedTime: null,
    parentWorkflowId: null,
    parentWorkflowTaskId: null,
    failedTaskId: null,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    variables: { ...def.variables },
    priority: req.priority ?? 0,
    taskToDomain: req.taskToDomain ?? {},
    idempotencyKey: req.idempotencyKey ?? null,
    createdBy: req.createdBy ?? null,
    ownerApp: def.ownerApp ?? null,
    event: null,
    workflowDefinition: def,
  };
}
