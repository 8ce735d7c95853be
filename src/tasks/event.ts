import { makeScope } from '../decider/expression-scope.js';
import { resolveValue } from '../expressions/index.js';
import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';
import { cloneJson } from '../util/clone-json.js';
import type { ExecuteContext, TaskType } from './task-type.js';

/**
 * EVENT (Conductor's `EventTaskMapper` + `Event`): publishes its output on the in-process event bus and
 * completes, or stays IN_PROGRESS for an external `updateTask` when the step is `asyncComplete`.
 *
 * Input: the resolved `inputParameters` plus `sink` (resolved too) and `asyncComplete`. Output: the input plus
 * `workflowInstanceId`, `workflowType`, `workflowVersion`, `correlationId`, `taskToDomain` and `event_produced`
 * (the event name), which is also the published payload. Sink `conductor` publishes to
 * `conductor:<workflowName>:<taskReferenceName>`, `conductor:X` to `conductor:<workflowName>:X`; any other sink
 * (`sqs:queue`, …) is used as the event name unchanged.
 */
export const eventTask: TaskType = {
  type: 'EVENT',
  kind: 'system',
  schedule(ctx) {
    const task = ctx.createTask();
    // Conductor adds `sink` and `asyncComplete` to the parameters before resolving them, so a sink may be an
    // expression. (Environment variables are not visible from here; a sink does not need them.)
    const sink = resolveValue(
      ctx.step.sink ?? null,
      makeScope(ctx.workflow, ctx.tasks, undefined, task.taskId),
    );
    return [
      {
        ...task,
        inputData: { ...task.inputData, sink, asyncComplete: ctx.step.asyncComplete ?? false },
      },
    ];
  },
  execute: (task, ctx) => (task.status === 'SCHEDULED' ? publish(task, ctx) : null),
};

async function publish(task: Task, ctx: ExecuteContext): Promise<Task> {
  const now = ctx.now;
  const failed = (reason: string): Task => ({
    ...task,
    status: 'FAILED',
    reasonForIncompletion: reason,
    startTime: now,
    endTime: now,
    updateTime: now,
  });
  const event = eventName(String(task.inputData.sink ?? ''), ctx.workflow, task);
  if (event === null) return failed(`Invalid / Unsupported sink specified: ${String(task.inputData.sink)}`);
  const workflow = ctx.workflow;
  const outputData: Record<string, unknown> = {
    ...task.inputData,
    workflowInstanceId: workflow.workflowId,
    workflowType: workflow.workflowName,
    workflowVersion: workflow.workflowVersion,
    correlationId: workflow.correlationId,
    taskToDomain: workflow.taskToDomain,
    event_produced: event,
  };
  try {
    // A copy: subscribers must not be able to change the stored output.
    await ctx.publishEvent(event, cloneJson(outputData));
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
  const waits = task.inputData.asyncComplete === true;
  return {
    ...task,
    status: waits ? 'IN_PROGRESS' : 'COMPLETED',
    outputData,
    startTime: now,
    endTime: waits ? 0 : now,
    updateTime: now,
  };
}

/** The event name for a sink (Conductor's `computeQueueName`); null for an unsupported `conductor…` sink. */
export function eventName(sink: string, workflow: WorkflowRecord, task: Task): string | null {
  if (!sink.startsWith('conductor')) return sink;
  if (sink === 'conductor') return `conductor:${workflow.workflowName}:${task.referenceTaskName}`;
  if (sink.startsWith('conductor:')) {
    return `conductor:${workflow.workflowName}:${sink.replaceAll('conductor:', '')}`;
  }
  return null;
}
