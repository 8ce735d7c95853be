import { NotFoundError } from '../../errors.js';
import type { EngineEventName } from '../../events.js';
import { isUnsuccessfulTerminalTask } from '../../model/status.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import { type OperationDeps, shortName } from './operation-deps.js';
import { reopened } from './task-resets.js';

/** The operation as the parents' task logs name it. */
const VERBS: Partial<Record<EngineEventName, string>> = {
  'workflow.retried': 'retried',
  'workflow.restarted': 'restarted',
  'workflow.rerun': 'reran',
};

/**
 * Conductor's `updateAndPushParents`: a sub-workflow that runs again (retried, restarted, rerun) takes its
 * parents with it. Up the chain, each parent's SUB_WORKFLOW task goes back to IN_PROGRESS (waiting for the same
 * child), the parent back to RUNNING (reason and failure cleared, `lastRetriedTime` = now, failed JOINs
 * reopened), a task log says what happened, and the parent announces the same event. The walk stops at an
 * optional SUB_WORKFLOW task (its parent went on without the child) or at a task that is gone or superseded.
 */
export async function reviveParents(
  deps: OperationDeps,
  child: WorkflowRecord,
  event: EngineEventName,
): Promise<void> {
  let current = child;
  let chain = shortName(child);
  while (current.parentWorkflowId && current.parentWorkflowTaskId) {
    const taskId = current.parentWorkflowTaskId;
    const parent = await deps.executor
      .mutate(current.parentWorkflowId, (state) => {
        const task = state.findTask(taskId);
        if (!task || task.retried || task.workflowTask.optional) return null;
        const now = deps.clock.now();
        state.putTask({ ...reopened(task, now), startTime: task.startTime > 0 ? task.startTime : now });
        // Conductor's resetUnsuccessfulJoinTasks: a JOIN that failed or was canceled with the parent waits again.
        for (const t of state.tasks) {
          if (t.taskType === 'JOIN' && isUnsuccessfulTerminalTask(t.status)) state.putTask(reopened(t, now));
        }
        state.setWorkflow({
          status: 'RUNNING',
          reasonForIncompletion: null,
          failedTaskId: null,
          failedReferenceTaskNames: [],
          failedTaskNames: [],
          lastRetriedTime: now,
          endTime: null,
          updateTime: now,
        });
        state.announce(event);
        return state.workflow;
      })
      .catch((error: unknown) => {
        // A parent removed meanwhile has nothing to resume.
        if (error instanceof NotFoundError) return null;
        throw error;
      });
    if (!parent) return;
    await deps.store.appendTaskLogs([
      { taskId, log: `Sub workflow ${chain} ${VERBS[event] ?? event}.`, createdTime: deps.clock.now() },
    ]);
    chain = `${shortName(parent)} -> ${chain}`;
    current = parent;
  }
}
