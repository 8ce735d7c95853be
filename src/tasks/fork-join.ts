import { TerminateWorkflowError } from '../decider/terminate-workflow-error.js';
import type { Task } from '../model/task.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import type { ScheduleContext, TaskType } from './task-type.js';

/**
 * FORK_JOIN (Conductor's `ForkJoinTaskMapper`): in one pass, a `FORK` task (COMPLETED at once, input = the
 * resolved inputParameters), the first task of every branch in branch order (a branch starting with a SWITCH or
 * another fork schedules its own children first, as Conductor's recursive mapping does), then the JOIN that
 * follows the fork. Each branch then goes on by the definition's navigation; after a branch's last step comes
 * the JOIN, which exists already.
 */
export const forkJoinTask: TaskType = {
  type: 'FORK_JOIN',
  kind: 'system',
  schedule(ctx) {
    const fork = forkTask(ctx);
    for (const branch of ctx.step.forkTasks ?? []) {
      if (branch.length > 0) ctx.scheduleStep(branch[0]);
    }
    ctx.scheduleStep(
      joinAfter(ctx, 'Fork task definition is not followed by a join task.  Check the blueprint'),
    );
    return [fork];
  },
};

/** The COMPLETED `FORK` task both fork types start with (created first, so it has the lowest `seq`). */
export function forkTask(ctx: ScheduleContext, fields: Partial<Task> = {}): Task {
  return ctx.createTask({
    taskType: 'FORK',
    taskDefName: 'FORK',
    status: 'COMPLETED',
    startTime: ctx.now,
    endTime: ctx.now,
    ...fields,
  });
}

/**
 * The JOIN step after the fork being scheduled. Registration already requires it; a definition that slipped
 * through (an unvalidated inline definition) fails the workflow with Conductor's message.
 */
export function joinAfter(ctx: ScheduleContext, message: string): WorkflowTask {
  const join = ctx.index.next(ctx.step.taskReferenceName);
  if (join?.type !== 'JOIN') throw new TerminateWorkflowError(message);
  return join;
}
