import type { StartWorkflowRequest } from '../model/start-request.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowDef } from '../model/workflow-def.js';

/** Where a new workflow comes from: its id, the time, and the parent or event that started it, if any. */
export interface WorkflowOrigin {
  workflowId: string;
  now: number;
  parentWorkflowId?: string | null;
  parentWorkflowTaskId?: string | null;
  event?: string | null;
}

/** A new RUNNING workflow row for a validated start request and its prepared definition. */
export function newWorkflowRecord(
  req: StartWorkflowRequest,
  def: WorkflowDef,
  origin: WorkflowOrigin,
): WorkflowRecord {
  const { workflowId, now } = origin;
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
    parentWorkflowId: origin.parentWorkflowId ?? null,
    parentWorkflowTaskId: origin.parentWorkflowTaskId ?? null,
    failedTaskId: null,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    variables: { ...def.variables },
    priority: req.priority ?? 0,
    taskToDomain: req.taskToDomain ?? {},
    idempotencyKey: req.idempotencyKey ?? null,
    createdBy: req.createdBy ?? null,
    ownerApp: def.ownerApp ?? null,
    event: origin.event ?? null,
    workflowDefinition: def,
  };
}
