import type { TaskType } from './task-type.js';

/**
 * SIMPLE (and any unknown type, Conductor's USER_DEFINED): a task for workers, polled from the queue named after
 * the step's `name`. `startDelay` delays its first visibility.
 */
export const simpleTask: TaskType = {
  type: 'SIMPLE',
  kind: 'worker',
  schedule(ctx) {
    return [ctx.createTask({ taskType: ctx.step.name })];
  },
};
