import { DECIDE_QUEUE, taskQueueName } from '../working-state.js';
import type { OperationDeps } from './operation-deps.js';
import { isWorkerTask } from './operation-deps.js';

/**
 * Deletes a workflow (in any status) with its tasks and their logs, the queue messages of its waiting tasks
 * and its decide-queue wakeup. Nothing else is touched: its sub-workflows run on by themselves, and results
 * for its tasks are refused (NotFoundError). Unknown id: NotFoundError.
 */
export async function removeWorkflow(deps: OperationDeps, workflowId: string): Promise<void> {
  // Inside the workflow's lane, so no decide or result of this process interleaves.
  await deps.executor.mutate(
    workflowId,
    async (state) => {
      const byQueue = new Map<string, string[]>();
      for (const task of state.tasks) {
        if (task.status !== 'SCHEDULED' || !isWorkerTask(deps, task)) continue;
        const queue = taskQueueName(task);
        const ids = byQueue.get(queue);
        if (ids) ids.push(task.taskId);
        else byQueue.set(queue, [task.taskId]);
      }
      await deps.store.removeWorkflow(workflowId);
      for (const [queue, ids] of byQueue) await deps.queue.remove(queue, ids);
      await deps.queue.remove(DECIDE_QUEUE, [workflowId]);
    },
    false,
  );
}
