import type { DeciderInput } from '../../src/decider/decide.js';
import type { Task, TaskDef, WorkflowDef, WorkflowRecord, WorkflowTask } from '../../src/index.js';
import { defaultTaskTypes } from '../../src/tasks/registry.js';

import { makeTask, makeWorkflow, T0 } from '../../src/testing/fixtures.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';

// A fixed instant (2023-11-14T22:13:20Z); times in the decider and engine tests are offsets from it.
export { deepFreeze, T0 };

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

/** A complete RUNNING workflow row created at T0 for `def`: every field of WorkflowRecord set, absent values null. */
export function workflowRecord(def: WorkflowDef, overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return makeWorkflow({ input: {}, workflowDefinition: def, ...overrides });
}

/**
 * A complete task made from `workflowTask` (every field of Task set, absent values null): SCHEDULED at T0 with
 * seq 1 in workflow `wf-1`. Pass `overrides` for the fields a case is about.
 */
export function taskOf(workflowTask: WorkflowTask, overrides: Partial<Task> = {}): Task {
  return makeTask({
    taskId: `${workflowTask.taskReferenceName}-0`,
    taskType: workflowTask.name,
    referenceTaskName: workflowTask.taskReferenceName,
    taskDefName: workflowTask.name,
    workflowType: 'test_wf',
    inputData: {},
    responseTimeoutSeconds: workflowTask.taskDefinition?.responseTimeoutSeconds ?? 300,
    workflowTask,
    taskDefinition: workflowTask.taskDefinition ?? null,
    ...overrides,
  });
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
