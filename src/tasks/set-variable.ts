import type { TaskType } from './task-type.js';

/** Conductor's default `maxWorkflowVariablesPayloadSizeThreshold`: 256 KB. */
export const MAX_VARIABLES_BYTES = 256 * 1024;

/**
 * SET_VARIABLE (Conductor's `SetVariable`): writes every input key into `workflow.variables`. When the
 * variables would exceed 256 KB as JSON, nothing is written and the task fails for good.
 */
export const setVariableTask: TaskType = {
  type: 'SET_VARIABLE',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute(task, ctx) {
    const variables = { ...ctx.workflow.variables, ...task.inputData };
    const size = Buffer.byteLength(JSON.stringify(variables));
    const done = { startTime: ctx.now, endTime: ctx.now, updateTime: ctx.now };
    if (size > MAX_VARIABLES_BYTES) {
      return {
        ...task,
        ...done,
        status: 'FAILED_WITH_TERMINAL_ERROR',
        reasonForIncompletion: `The variables payload size: ${size} of workflow: ${ctx.workflow.workflowId} is greater than the permissible limit: ${MAX_VARIABLES_BYTES / 1024} kilobytes`,
      };
    }
    ctx.setVariables(task.inputData);
    return { ...task, ...done, status: 'COMPLETED' };
  },
};
