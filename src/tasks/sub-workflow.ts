import { makeScope } from '../decider/expression-scope.js';
import { BatonError } from '../errors.js';
import { resolveParameters } from '../expressions/index.js';
import type { TaskStatus, WorkflowStatus } from '../model/status.js';
import { isTerminalWorkflow } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { Workflow } from '../model/workflow.js';
import type { IdempotencyStrategy, SubWorkflowParams, WorkflowDef } from '../model/workflow-def.js';
import { subWorkflowId } from './child-id.js';
import type { ChildWorkflowRequest, ExecuteContext, ScheduleContext, TaskType } from './task-type.js';

/** What a finished child makes of its parent's task (Conductor's `SubWorkflow.updateTaskStatus`). */
const TASK_STATUS_FOR_CHILD: Partial<Record<WorkflowStatus, TaskStatus>> = {
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  TERMINATED: 'CANCELED',
  TIMED_OUT: 'TIMED_OUT',
};

const IDEMPOTENCY_STRATEGIES = new Set(['FAIL', 'RETURN_EXISTING', 'FAIL_ON_RUNNING']);

/**
 * SUB_WORKFLOW (Conductor's `SubWorkflowTaskMapper` and `SubWorkflow`): runs another workflow as a step.
 *
 * Scheduling resolves `subWorkflowParam` into the task input (`subWorkflowName`, `subWorkflowVersion`,
 * `subWorkflowTaskToDomain`, `subWorkflowDefinition`, `priority`, `idempotencyKey`, `idempotencyStrategy`) and
 * keeps the resolved `inputParameters` as `workflowInput`. The first execute starts the child under an id
 * derived from (parent, task, retry count), links it to the parent and moves the task to IN_PROGRESS with
 * `subWorkflowId`; a failed start fails the task (the step's TaskDef retries apply). Later executes look at the
 * child: once it has ended, the task takes its status and output. The engine decides the parent again when a
 * child ends. Canceling the task (its workflow ended) terminates the child.
 */
export const subWorkflowTask: TaskType = {
  type: 'SUB_WORKFLOW',
  kind: 'system',
  schedule(ctx) {
    // Conductor treats SUB_WORKFLOW as async-complete: the child's end moves it, so no response timeout.
    const task = ctx.createTask({ responseTimeoutSeconds: 0 });
    return [{ ...task, inputData: scheduledInput(ctx, task) }];
  },
  execute(task, ctx) {
    if (task.status !== 'SCHEDULED') return followChild(task, ctx);
    // The child starts in a later unit of work than the one creating the task (its wakeAt brings it at once):
    // had this commit failed, a redo would make a new task id and so a second child.
    if (ctx.isNew(task)) return null;
    // A retry delay or startDelay holds the start back, as the queue offset of Conductor's async system task.
    return ctx.now < startsAt(task) ? null : startChild(task, ctx);
  },
  wakeAt: (task) => (task.status === 'SCHEDULED' ? startsAt(task) : null),
  async cancel(task, ctx) {
    const childId =
      task.subWorkflowId ?? subWorkflowId(task.workflowInstanceId, task.taskId, task.retryCount);
    const parent = ctx.workflow;
    const reason = parent.reasonForIncompletion
      ? `Parent workflow has been terminated with reason: ${parent.reasonForIncompletion}`
      : `Parent workflow has been terminated with status ${parent.status}`;
    try {
      await ctx.terminateWorkflow(childId, reason);
    } catch (error) {
      // A task canceled before its child was started has no child to stop.
      if (!BatonError.is(error, 'NOT_FOUND')) throw error;
    }
  },
};

/** When a SCHEDULED task may start its child: after its `callbackAfterSeconds` (retry delay, startDelay). */
function startsAt(task: Task): number {
  return task.scheduledTime + task.callbackAfterSeconds * 1000;
}

/** The task input: the resolved parameters of the child, and the step's resolved input as `workflowInput`. */
function scheduledInput(ctx: ScheduleContext, task: Task): Record<string, unknown> {
  const params: SubWorkflowParams = ctx.step.subWorkflowParam ?? {};
  const inlineDef = params.workflowDefinition;
  const scope = makeScope(ctx.workflow, ctx.tasks, undefined, task.taskId);
  const resolved = resolveParameters(
    {
      name: params.name ?? null,
      version: params.version ?? null,
      priority: params.priority ?? null,
      taskToDomain: params.taskToDomain ?? null,
      idempotencyKey: params.idempotencyKey ?? null,
      idempotencyStrategy: params.idempotencyStrategy ?? null,
      // An expression is resolved now (a definition built by an earlier task); an inline object is taken as
      // it is, so expressions inside it stay for the child to resolve.
      workflowDefinition: typeof inlineDef === 'string' ? inlineDef : null,
    },
    scope,
  );
  const definition = typeof inlineDef === 'string' ? resolved.workflowDefinition : (inlineDef ?? null);
  return {
    subWorkflowName: resolved.name ?? (isMap(definition) ? (definition.name ?? null) : null),
    priority: resolved.priority,
    subWorkflowVersion: versionOf(resolved.version),
    subWorkflowTaskToDomain: isMap(resolved.taskToDomain) ? resolved.taskToDomain : null,
    subWorkflowDefinition: definition,
    idempotencyKey: resolved.idempotencyKey,
    idempotencyStrategy: resolved.idempotencyStrategy,
    workflowInput: task.inputData,
  };
}

/** A resolved version: an integer (also from a numeric string); anything else is kept for the start to reject. */
function versionOf(value: unknown): unknown {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return value ?? null;
}

/** Starts the child (or finds the one a previous attempt started) and links the task to it. */
async function startChild(task: Task, ctx: ExecuteContext): Promise<Task> {
  let childId: string;
  let child: Workflow | null;
  try {
    ({ childId, child } = await startOrFind(childRequest(task, ctx), ctx));
  } catch (error) {
    return {
      ...task,
      status: 'FAILED',
      reasonForIncompletion: messageOf(error),
      startTime: ctx.now,
      endTime: ctx.now,
      updateTime: ctx.now,
    };
  }
  const attached: Task = {
    ...task,
    status: 'IN_PROGRESS',
    subWorkflowId: childId,
    outputData: { ...task.outputData, subWorkflowId: childId },
    reasonForIncompletion: null,
    startTime: ctx.now,
    updateTime: ctx.now,
    // Conductor pins a missing version at the parent's start; here the latest is taken at the child's start,
    // and recorded so the task shows which version ran.
    inputData:
      task.inputData.subWorkflowVersion == null && !isMap(task.inputData.subWorkflowDefinition) && child
        ? { ...task.inputData, subWorkflowVersion: child.workflowVersion }
        : task.inputData,
  };
  // A child that ran to its end during its first decide (system tasks only) settles the task at once.
  return child && isTerminalWorkflow(child.status) ? finished(attached, child, ctx.now) : attached;
}

/**
 * Starts the child under its derived id, unless a child with that id exists: a running or completed one is the
 * child of this attempt (the start is being redone) and is attached to; one that failed or was terminated is
 * left alone and a fresh child with a new id is started, as Conductor does.
 */
async function startOrFind(
  request: ChildWorkflowRequest & { workflowId: string },
  ctx: ExecuteContext,
): Promise<{ childId: string; child: Workflow | null }> {
  const existing = await ctx.getWorkflow(request.workflowId);
  if (existing && !endedBadly(existing)) return { childId: existing.workflowId, child: existing };
  const childId = await ctx.startWorkflow(existing ? { ...request, workflowId: undefined } : request);
  return { childId, child: await ctx.getWorkflow(childId) };
}

/** The child's start request, read from the task input as Conductor's `SubWorkflow.start` does. */
function childRequest(task: Task, ctx: ExecuteContext): ChildWorkflowRequest & { workflowId: string } {
  const input = task.inputData;
  const definition = isMap(input.subWorkflowDefinition)
    ? (input.subWorkflowDefinition as unknown as WorkflowDef)
    : null;
  const name = definition ? (definition.name ?? input.subWorkflowName) : input.subWorkflowName;
  if (!definition && (name === null || name === undefined || name === '')) {
    throw new Error('SubWorkflow name is null and no workflowDefinition supplied');
  }
  const version = input.subWorkflowVersion;
  const workflowInput = input.workflowInput;
  let childInput = isMap(workflowInput) && Object.keys(workflowInput).length > 0 ? workflowInput : input;
  // Conductor marks children started from an inline definition.
  if (definition) {
    const metadata = isMap(childInput._systemMetadata) ? childInput._systemMetadata : {};
    childInput = { ...childInput, _systemMetadata: { ...metadata, dynamic: true } };
  }
  const strategy = input.idempotencyStrategy;
  return {
    name: name == null ? '' : String(name),
    // 0 means the latest version, as in Conductor.
    version: version === 0 || version === null || version === undefined ? null : (version as number),
    input: childInput,
    correlationId: ctx.workflow.correlationId,
    taskToDomain: isMap(input.subWorkflowTaskToDomain)
      ? (input.subWorkflowTaskToDomain as Record<string, string>)
      : ctx.workflow.taskToDomain,
    workflowDef: definition,
    ...(typeof input.priority === 'number' ? { priority: Math.trunc(input.priority) } : {}),
    idempotencyKey: input.idempotencyKey == null ? null : String(input.idempotencyKey),
    idempotencyStrategy:
      typeof strategy === 'string' && IDEMPOTENCY_STRATEGIES.has(strategy)
        ? (strategy as IdempotencyStrategy)
        : null,
    workflowId: subWorkflowId(task.workflowInstanceId, task.taskId, task.retryCount),
    parentWorkflowId: task.workflowInstanceId,
    parentWorkflowTaskId: task.taskId,
  };
}

/** An IN_PROGRESS task waits for its child to end. */
async function followChild(task: Task, ctx: ExecuteContext): Promise<Task | null> {
  const childId = task.subWorkflowId ?? (task.outputData.subWorkflowId as string | undefined);
  if (!childId) return null;
  const child = await ctx.getWorkflow(childId);
  if (!child || !isTerminalWorkflow(child.status)) return null;
  return finished(task, child, ctx.now);
}

/** The task once its child has ended: the child's status mapped, its output merged in, its reason quoted. */
function finished(task: Task, child: Workflow, now: number): Task {
  const status = TASK_STATUS_FOR_CHILD[child.status] ?? 'FAILED';
  return {
    ...task,
    status,
    outputData: { ...task.outputData, ...child.output },
    reasonForIncompletion:
      status === 'COMPLETED'
        ? task.reasonForIncompletion
        : `Sub workflow ${shortName(child)} failure reason: ${child.reasonForIncompletion}`,
    endTime: now,
    updateTime: now,
  };
}

function endedBadly(workflow: Workflow): boolean {
  return isTerminalWorkflow(workflow.status) && workflow.status !== 'COMPLETED';
}

/** Conductor's `WorkflowModel.toShortString`: `name.version/id`. */
function shortName(workflow: Workflow): string {
  return `${workflow.workflowName}.${workflow.workflowVersion}/${workflow.workflowId}`;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
