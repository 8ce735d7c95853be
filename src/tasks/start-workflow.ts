import { BatonError, type ValidationError } from '../errors.js';
import type { StartWorkflowRequest } from '../model/start-request.js';
import type { Task } from '../model/task.js';
import type { ExecuteContext, TaskType } from './task-type.js';

const PARAMETER = 'startWorkflow';

// The StartWorkflowRequest fields a task may set. Anything else in the input (a `workflowId`, a parent link)
// is dropped: the started workflow is independent of the one that started it.
const REQUEST_FIELDS = [
  'name',
  'version',
  'input',
  'correlationId',
  'priority',
  'taskToDomain',
  'workflowDef',
  'idempotencyKey',
  'idempotencyStrategy',
  'createdBy',
  'externalInputPayloadStoragePath',
] as const;

/**
 * START_WORKFLOW (Conductor's `StartWorkflow`): starts the workflow described by the `startWorkflow` input (a
 * StartWorkflowRequest) and completes at once with `{ workflowId }`; fire and forget, no parent link. The
 * correlationId and taskToDomain default to the starting workflow's. A missing or invalid request, or a start
 * that fails (unknown definition), fails the task with the reason.
 */
export const startWorkflowTask: TaskType = {
  type: 'START_WORKFLOW',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  async execute(task, ctx) {
    const raw = task.inputData[PARAMETER];
    if (raw === null || raw === undefined) return failed(task, ctx, `Missing '${PARAMETER}' in input data.`);
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      return failed(task, ctx, `Error reading StartWorkflowRequest. '${PARAMETER}' must be an object.`);
    }
    try {
      const workflowId = await ctx.startWorkflow(request(raw as Record<string, unknown>, ctx));
      return {
        ...task,
        status: 'COMPLETED',
        outputData: { ...task.outputData, workflowId },
        startTime: ctx.now,
        endTime: ctx.now,
        updateTime: ctx.now,
      };
    } catch (error) {
      return failed(task, ctx, reasonOf(error));
    }
  },
};

/** The request to start, with the starting workflow's correlationId and taskToDomain as defaults. */
function request(raw: Record<string, unknown>, ctx: ExecuteContext): StartWorkflowRequest {
  const req: Record<string, unknown> = {};
  for (const key of REQUEST_FIELDS) if (raw[key] !== undefined) req[key] = raw[key];
  const taskToDomain = req.taskToDomain;
  if (taskToDomain === undefined || taskToDomain === null || isEmptyMap(taskToDomain)) {
    req.taskToDomain = { ...ctx.workflow.taskToDomain };
  }
  if (typeof req.correlationId !== 'string' || req.correlationId.trim() === '') {
    req.correlationId = ctx.workflow.correlationId;
  }
  return req as unknown as StartWorkflowRequest;
}

function isEmptyMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** Conductor's wording for an invalid request (`startWorkflow validation failed. 'name' -> …`), else the error. */
function reasonOf(error: unknown): string {
  if (BatonError.is(error, 'VALIDATION')) {
    const issues = (error as ValidationError).issues.map((i) => `'${i.path}' -> ${i.message}. `).join('');
    return `${PARAMETER} validation failed. ${issues}`.trimEnd();
  }
  return error instanceof Error ? error.message : String(error);
}

function failed(task: Task, ctx: ExecuteContext, reason: string): Task {
  return {
    ...task,
    status: 'FAILED',
    reasonForIncompletion: reason,
    startTime: ctx.now,
    endTime: ctx.now,
    updateTime: ctx.now,
  };
}
