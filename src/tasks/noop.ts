import type { TaskType } from './task-type.js';

/** NOOP: completes as soon as it runs. */
export const noopTask: TaskType = {
  type: 'NOOP',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute: (task, ctx) => ({
    ...task,
    status: 'COMPLETED',
    startTime: ctx.now,
    endTime: ctx.now,
    updateTime: ctx.now,
  }),
};
