import {
  checkOptionalBoolean,
  checkOptionalMap,
  checkOptionalNumber,
  checkOptionalString,
  checkOptionalStringMap,
  checkRequiredString,
  childPath,
  type IssueCollector,
  isAbsent,
  isMap,
  runValidation,
} from './validation/issues.js';

/** The actions an event handler can take (those Conductor's `SimpleActionProcessor` runs). */
export type EventHandlerActionType = 'start_workflow' | 'complete_task' | 'fail_task';

/** `start_workflow`: Conductor's `EventHandler.StartWorkflow`. */
export interface EventStartWorkflow {
  name: string;
  /** Latest when absent. */
  version?: number | null;
  /** May hold `${…}` expressions over the payload. */
  correlationId?: string | null;
  /** Resolved against the payload; `conductor.event.messageId` and `conductor.event.name` are added. */
  input?: Record<string, unknown> | null;
  taskToDomain?: Record<string, string> | null;
}

/** `complete_task` / `fail_task`: Conductor's `EventHandler.TaskDetails`. */
export interface EventTaskDetails {
  /** With `taskRefName`, finds the task (in a loop: the highest iteration). Expressions allowed. */
  workflowId?: string | null;
  taskRefName?: string | null;
  /** Finds the task directly; wins over `workflowId` + `taskRefName`. Expressions allowed. */
  taskId?: string | null;
  /** Resolved against the payload and merged into the task's output. */
  output?: Record<string, unknown> | null;
  /** `fail_task` only: the task's `reasonForIncompletion` (a Baton addition; expressions allowed). */
  reasonForIncompletion?: string | null;
}

/** One action of an event handler: Conductor's `EventHandler.Action`. */
export interface EventHandlerAction {
  action: EventHandlerActionType;
  start_workflow?: EventStartWorkflow | null;
  complete_task?: EventTaskDetails | null;
  fail_task?: EventTaskDetails | null;
  /** Expands JSON text found in the payload into objects before parameters are resolved. */
  expandInlineJSON?: boolean | null;
}

/**
 * Conductor's `EventHandler`: when an event with this name is published and the handler is `active` and its
 * `condition` holds on the payload, each action runs with its parameters resolved against the payload
 * (`${workflowInstanceId}` reads the payload's `workflowInstanceId`).
 */
export interface EventHandler {
  /** Unique. */
  name: string;
  /** The full event string, e.g. `conductor:approvals` or `conductor:<workflow>:<taskRef>`. */
  event: string;
  /** A script over the payload (`$`); true or a number > 0 lets the actions run. Absent: always. */
  condition?: string | null;
  /** `javascript` (default; `graaljs` is the same) or `value-param` (the payload's value at `condition`). */
  evaluatorType?: string | null;
  actions: EventHandlerAction[];
  /** Only active handlers run. Conductor's default: false. */
  active?: boolean | null;
}

const ACTIONS: readonly EventHandlerActionType[] = ['start_workflow', 'complete_task', 'fail_task'];

/** Checks an event handler (ValidationError with paths such as `actions[0].start_workflow.name`). */
export function validateEventHandler(handler: unknown): EventHandler {
  return runValidation('event handler', (issues) => {
    if (!isMap(handler)) {
      issues.add('', 'must be an object');
      return handler as EventHandler;
    }
    checkRequiredString(issues, 'name', handler.name);
    checkRequiredString(issues, 'event', handler.event);
    checkOptionalString(issues, 'condition', handler.condition);
    checkOptionalString(issues, 'evaluatorType', handler.evaluatorType);
    checkOptionalBoolean(issues, 'active', handler.active);
    if (!Array.isArray(handler.actions) || handler.actions.length === 0) {
      issues.add('actions', 'must be a non-empty array');
    } else {
      for (const [i, action] of handler.actions.entries()) {
        checkAction(issues, childPath('actions', i), action);
      }
    }
    return handler as unknown as EventHandler;
  });
}

function checkAction(issues: IssueCollector, path: string, action: unknown): void {
  if (!isMap(action)) {
    issues.add(path, 'must be an object');
    return;
  }
  checkOptionalBoolean(issues, childPath(path, 'expandInlineJSON'), action.expandInlineJSON);
  const type = action.action;
  if (typeof type !== 'string' || !(ACTIONS as readonly string[]).includes(type)) {
    issues.add(childPath(path, 'action'), `must be one of ${ACTIONS.join(', ')}`);
    return;
  }
  const detailsPath = childPath(path, type);
  const details = action[type];
  if (!isMap(details)) {
    issues.add(detailsPath, `is required for action ${type}`);
    return;
  }
  if (type === 'start_workflow') {
    checkRequiredString(issues, childPath(detailsPath, 'name'), details.name);
    checkOptionalNumber(issues, childPath(detailsPath, 'version'), details.version, {
      integer: true,
      min: 1,
    });
    checkOptionalString(issues, childPath(detailsPath, 'correlationId'), details.correlationId);
    checkOptionalMap(issues, childPath(detailsPath, 'input'), details.input);
    checkOptionalStringMap(issues, childPath(detailsPath, 'taskToDomain'), details.taskToDomain);
    return;
  }
  for (const key of ['workflowId', 'taskRefName', 'taskId', 'reasonForIncompletion']) {
    checkOptionalString(issues, childPath(detailsPath, key), details[key]);
  }
  checkOptionalMap(issues, childPath(detailsPath, 'output'), details.output);
  if (isAbsent(details.taskId) && (isAbsent(details.workflowId) || isAbsent(details.taskRefName))) {
    issues.add(detailsPath, 'needs taskId, or workflowId and taskRefName');
  }
}
