import { type ExpressionScope, resolveParameters, resolveValue } from '../expressions/index.js';
import type { EventHandlerAction, EventTaskDetails } from '../model/event-handler.js';
import type { StartWorkflowRequest } from '../model/start-request.js';
import type { Task } from '../model/task.js';
import type { TaskResult } from '../model/task-result.js';
import type { Store } from '../store/store.js';

/** What event-handler actions need from the engine. */
export interface EventActionDeps {
  readonly store: Pick<Store, 'getTask' | 'getWorkflow'>;
  readonly env?: (name: string) => string | undefined;
  /** Starts a workflow on behalf of an event (the workflow's `event` field names it). */
  startWorkflow(request: StartWorkflowRequest, event: string): Promise<string>;
  updateTask(result: TaskResult): Promise<void>;
}

/** The message an action reacts to. */
export interface EventMessage {
  readonly id: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
}

/**
 * The scope of Conductor's `ParametersUtils.replace(params, payload)`: the payload is the root document, so
 * `${workflowInstanceId}` or `${$.order.id}` read the payload's fields (`${workflow.x}` reads its `workflow`
 * field). Allowed environment variables resolve as everywhere else.
 */
export function payloadScope(
  payload: Record<string, unknown>,
  env: ((name: string) => string | undefined) | undefined,
): ExpressionScope {
  return {
    workflow: () => payload.workflow as Record<string, unknown>,
    task: (name) => payload[name] as Record<string, unknown> | undefined,
    env,
  };
}

/**
 * Conductor's `JsonUtils.expand`: string values that hold JSON (`"{\"a\":1}"`, `"42"`) become the parsed
 * value, in maps and lists at any depth; other strings stay. Returns a new value; the input is not changed.
 */
export function expandInlineJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandMember);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) out[key] = expandMember(member);
    return out;
  }
  return typeof value === 'string' ? parseOrKeep(value) : value;
}

function expandMember(value: unknown): unknown {
  if (typeof value === 'string') return parseOrKeep(value);
  return typeof value === 'object' && value !== null ? expandInlineJson(value) : value;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Runs one action of an event handler (Conductor's `SimpleActionProcessor`) and returns what it did, as
 * Conductor's event execution output: `{ workflowId }` for `start_workflow`, the resolved parameters for
 * `complete_task` / `fail_task`. Throws when the action fails (a start refused, a task update rejected).
 */
export async function runEventAction(
  action: EventHandlerAction,
  message: EventMessage,
  deps: EventActionDeps,
): Promise<Record<string, unknown>> {
  const payload = action.expandInlineJSON
    ? (expandInlineJson(message.payload) as Record<string, unknown>)
    : message.payload;
  const scope = payloadScope(payload, deps.env);
  switch (action.action) {
    case 'start_workflow':
      return startWorkflow(action, message, scope, deps);
    case 'complete_task':
      return updateTask(action.complete_task ?? {}, 'COMPLETED', message, scope, deps);
    case 'fail_task':
      return updateTask(action.fail_task ?? {}, 'FAILED', message, scope, deps);
    default:
      throw new Error(`Action not supported ${String(action.action)} for event ${message.event}`);
  }
}

async function startWorkflow(
  action: EventHandlerAction,
  message: EventMessage,
  scope: ExpressionScope,
  deps: EventActionDeps,
): Promise<Record<string, unknown>> {
  const params = action.start_workflow;
  if (!params) throw new Error('start_workflow action without start_workflow parameters');
  const input = resolveParameters(params.input ?? {}, scope);
  input['conductor.event.messageId'] = message.id;
  input['conductor.event.name'] = message.event;
  const correlationId =
    params.correlationId === null || params.correlationId === undefined
      ? null
      : resolveValue(params.correlationId, scope);
  const workflowId = await deps.startWorkflow(
    {
      name: params.name,
      version: params.version ?? null,
      input,
      correlationId: correlationId === null || correlationId === undefined ? null : String(correlationId),
      ...(params.taskToDomain ? { taskToDomain: params.taskToDomain } : {}),
    },
    message.event,
  );
  return { workflowId };
}

async function updateTask(
  details: EventTaskDetails,
  status: 'COMPLETED' | 'FAILED',
  message: EventMessage,
  scope: ExpressionScope,
  deps: EventActionDeps,
): Promise<Record<string, unknown>> {
  const replaced = resolveParameters(
    {
      workflowId: details.workflowId ?? null,
      taskId: details.taskId ?? null,
      taskRefName: details.taskRefName ?? null,
      ...details.output,
    },
    scope,
  );
  const task = await findTask(replaced, deps);
  if (!task) {
    throw new Error(
      `No task found with taskId: ${String(replaced.taskId)}, reference name: ${String(replaced.taskRefName)}, ` +
        `workflowId: ${String(replaced.workflowId)}`,
    );
  }
  const outputData = {
    ...replaced,
    'conductor.event.messageId': message.id,
    'conductor.event.name': message.event,
  };
  const reason = details.reasonForIncompletion ? resolveValue(details.reasonForIncompletion, scope) : null;
  await deps.updateTask({
    taskId: task.taskId,
    workflowInstanceId: task.workflowInstanceId,
    status,
    outputData,
    ...(reason !== null && reason !== undefined ? { reasonForIncompletion: String(reason) } : {}),
  });
  return replaced;
}

/**
 * The task an action names: by `taskId`, else by `workflowId` + `taskRefName` (in a loop, the task of the
 * highest iteration; of retries, the latest attempt).
 */
async function findTask(params: Record<string, unknown>, deps: EventActionDeps): Promise<Task | null> {
  const { taskId, workflowId, taskRefName } = params;
  if (typeof taskId === 'string' && taskId !== '') return deps.store.getTask(taskId);
  if (typeof workflowId !== 'string' || workflowId === '' || typeof taskRefName !== 'string') return null;
  const stored = await deps.store.getWorkflow(workflowId);
  if (!stored) return null;
  let found: Task | null = null;
  for (const task of stored.tasks) {
    const matches =
      task.referenceTaskName === taskRefName || task.workflowTask.taskReferenceName === taskRefName;
    if (matches && (!found || task.iteration >= found.iteration)) found = task;
  }
  return found;
}
