import type { DeciderInput } from '../../src/decider/decide.js';
import type { Task, TaskDef, WorkflowDef, WorkflowRecord, WorkflowTask } from '../../src/index.js';
import { defaultTaskTypes } from '../../src/tasks/registry.js';

/** A fixed instant (2023-11-14T22:13:20Z); times in the decider and engine tests are offsets from it. */
export const T0 = 1_700_000_000_000;

/** Seconds to milliseconds, for readable offsets: `T0 + s(60)`. */
export function s(seconds: number): number {
  return seconds * 1000;
}

/** A SIMPLE step named `name` with reference `ref`; `overrides` may embed a `taskDefinition`, etc. */
export function step(name: string, ref: string, overrides: Partial<WorkflowTask> = {}): WorkflowTask {
  return { name, taskReferenceName: ref, type: 'SIMPLE', inputParameters: {}, ...overrides };
}

/** A TaskDef with every default-bearing field spelled out, so a test states exactly what it runs with. */
export function taskDef(name: string, overrides: Partial<TaskDef> = {}): TaskDef {
  return {
    name,
    retryCount: 3,
    retryLogic: 'FIXED',
    retryDelaySeconds: 60,
    backoffScaleFactor: 1,
    maxRetryDelaySeconds: 0,
    timeoutSeconds: 0,
    timeoutPolicy: 'TIME_OUT_WF',
    responseTimeoutSeconds: 300,
    pollTimeoutSeconds: null,
    inputTemplate: {},
    ...overrides,
  };
}

/** A workflow definition over `tasks` (a snapshot as the engine embeds it in the execution). */
export function workflowDef(tasks: WorkflowTask[], overrides: Partial<WorkflowDef> = {}): WorkflowDef {
  return { name: 'test_wf', version: 1, schemaVersion: 2, tasks, ...overrides };
}

/** A complete RUNNING workflow row created at T0: every field of WorkflowRecord set, absent values null. */
export function workflowRecord(def: WorkflowDef, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    workflowId: 'wf-1',
    workflowName: def.name,
    workflowVersion: def.version ?? 1,
    status: 'RUNNING',
    input: {},
    output: {},
    correlationId: null,
    reasonForIncompletion: null,
    createTime: T0,
    updateTime: null,
    startTime: T0,
    endTime: null,
    lastRetriedTime: null,
    parentWorkflowId: null,
    parentWorkflowTaskId: null,
    failedTaskId: null,
    failedReferenceTaskNames: [],
    failedTaskNames: [],
    variables: {},
    priority: 0,
    taskToDomain: {},
    idempotencyKey: null,
    createdBy: null,
    ownerApp: null,
    event: null,
    workflowDefinition: def,
    ...overrides,
  };
}

/**
 * A complete task made from `workflowTask` (every field of Task set, absent values null): SCHEDULED at T0 with
 * seq 1 in workflow `wf-1`. Pass `overrides` for the fields a case is about.
 */
export function taskOf(workflowTask: WorkflowTask, overrides: Partial<Task> = {}): Task {
  return {
    taskId: `${workflowTask.taskReferenceName}-0`,
    taskType: workflowTask.name,
    status: 'SCHEDULED',
    referenceTaskName: workflowTask.taskReferenceName,
    taskDefName: workflowTask.name,
    workflowInstanceId: 'wf-1',
    workflowType: 'test_wf',
    correlationId: null,
    inputData: {},
    outputData: {},
    reasonForIncompletion: null,
    seq: 1,
    retryCount: 0,
    retriedTaskId: null,
    retried: false,
    executed: false,
    pollCount: 0,
    scheduledTime: T0,
    startTime: 0,
    endTime: 0,
    updateTime: T0,
    callbackAfterSeconds: 0,
    startDelayInSeconds: 0,
    responseTimeoutSeconds: workflowTask.taskDefinition?.responseTimeoutSeconds ?? 300,
    workerId: null,
    domain: null,
    iteration: 0,
    loopOverTask: false,
    subWorkflowId: null,
    rateLimitPerFrequency: 0,
    rateLimitFrequencyInSeconds: 0,
    workflowPriority: 0,
    isolationGroupId: null,
    executionNameSpace: null,
    callbackFromWorker: true,
    workflowTask,
    taskDefinition: workflowTask.taskDefinition ?? null,
    ...overrides,
  };
}

/** A task polled at `startTime` and still running (IN_PROGRESS, pollCount 1, updated at its start). */
export function runningTask(
  workflowTask: WorkflowTask,
  startTime: number,
  overrides: Partial<Task> = {},
): Task {
  return taskOf(workflowTask, {
    status: 'IN_PROGRESS',
    startTime,
    updateTime: startTime,
    pollCount: 1,
    workerId: 'worker-1',
    ...overrides,
  });
}

/** A task that ended at `endTime` with `status` (and, for failures, `reason`). */
export function endedTask(
  workflowTask: WorkflowTask,
  status: Task['status'],
  endTime: number,
  overrides: Partial<Task> = {},
): Task {
  return taskOf(workflowTask, {
    status,
    startTime: endTime,
    endTime,
    updateTime: endTime,
    pollCount: 1,
    workerId: 'worker-1',
    ...overrides,
  });
}

/** Freezes a value and everything reachable from it, so any mutation throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * The decider's input for a workflow and its tasks at `now`, deep-frozen. New task ids are `new-1`, `new-2`, …
 * in the order the decider asks for them.
 */
export function deciderInput(workflow: WorkflowRecord, tasks: Task[], now: number): DeciderInput {
  let next = 0;
  deepFreeze(workflow);
  deepFreeze(tasks);
  return { workflow, tasks, now, newId: () => `new-${++next}`, taskTypes: defaultTaskTypes() };
}
