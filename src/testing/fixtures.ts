import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowDef } from '../model/workflow-def.js';

/** A fixed instant for fixtures and contract suites (2023-11-14T22:13:20Z); times in tests are offsets from it. */
export const T0 = 1_700_000_000_000;

/** A small workflow definition with one SIMPLE task, used as the snapshot inside {@link makeWorkflow}. */
export function makeWorkflowDef(overrides: Partial<WorkflowDef> = {}): WorkflowDef {
  return {
    name: 'fixture_workflow',
    version: 1,
    schemaVersion: 2,
    tasks: [
      {
        name: 'fixture_task',
        taskReferenceName: 'fixture_ref',
        type: 'SIMPLE',
        inputParameters: { value: '${workflow.input.value}' },
      },
    ],
    outputParameters: { result: '${fixture_ref.output.result}' },
    ...overrides,
  };
}

/**
 * A complete workflow row (every field of {@link WorkflowRecord} set, absent values `null`), RUNNING and started
 * at {@link T0}. Pass `overrides` for the fields a test cares about.
 */
export function makeWorkflow(overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  const workflowDefinition = overrides.workflowDefinition ?? makeWorkflowDef();
  return {
    workflowId: 'wf-1',
    workflowName: workflowDefinition.name,
    workflowVersion: workflowDefinition.version ?? 1,
    status: 'RUNNING',
    input: { value: 1 },
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
    workflowDefinition,
    ...overrides,
  };
}

/**
 * A complete task (every field of {@link Task} set, absent values `null`): a SCHEDULED SIMPLE task with seq 1 of
 * workflow `wf-1`. Pass `overrides` for the fields a test cares about (`taskId`, `seq`, `workflowInstanceId`, …).
 */
export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    taskId: 'task-1',
    taskType: 'SIMPLE',
    status: 'SCHEDULED',
    referenceTaskName: 'fixture_ref',
    taskDefName: 'fixture_task',
    workflowInstanceId: 'wf-1',
    workflowType: 'fixture_workflow',
    correlationId: null,
    inputData: { value: 1 },
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
    responseTimeoutSeconds: 300,
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
    workflowTask: {
      name: 'fixture_task',
      taskReferenceName: 'fixture_ref',
      type: 'SIMPLE',
      inputParameters: { value: '${workflow.input.value}' },
    },
    taskDefinition: null,
    ...overrides,
  };
}
