import type { TaskType } from './task-type.js';

/**
 * HUMAN (Conductor's `Human`): created IN_PROGRESS and left alone until someone reports its result with
 * `updateTask` (COMPLETED, FAILED, …). The engine never moves it itself; an IN_PROGRESS update keeps it waiting.
 */
export const humanTask: TaskType = {
  type: 'HUMAN',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask({ status: 'IN_PROGRESS', startTime: ctx.now })],
};
