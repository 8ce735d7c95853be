import { ConflictError } from '../../errors.js';
import { isTerminalWorkflow } from '../../model/status.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * Conductor's `pauseWorkflow`: PAUSED, and out of the decide queue. Nothing new is scheduled and system tasks
 * (WAIT, JOIN, DO_WHILE, SUB_WORKFLOW) stand still until the resume; tasks already with workers run on, and
 * workers may still poll SCHEDULED tasks and report their results. A workflow that has ended: ConflictError;
 * one already PAUSED: nothing happens.
 */
export async function pauseWorkflow(deps: OperationDeps, workflowId: string): Promise<void> {
  await deps.executor.mutate(
    workflowId,
    (state) => {
      const { status } = state.workflow;
      if (isTerminalWorkflow(status)) {
        throw new ConflictError(`Workflow ${workflowId} has ended (${status}): it cannot be paused`);
      }
      if (status === 'PAUSED') return;
      state.setWorkflow({ status: 'PAUSED', updateTime: deps.clock.now() });
      state.wakeAt = null;
      state.announce('workflow.paused');
    },
    false,
  );
}

/**
 * Conductor's `resumeWorkflow`: RUNNING again with `lastRetriedTime` = now (the workflow timeout counts from
 * there), then a decide schedules what the pause held back. A workflow that is not PAUSED: ConflictError.
 */
export async function resumeWorkflow(deps: OperationDeps, workflowId: string): Promise<void> {
  await deps.executor.mutate(workflowId, (state) => {
    const { status } = state.workflow;
    if (status !== 'PAUSED') {
      throw new ConflictError(`Workflow ${workflowId} is ${status}, not PAUSED: it cannot be resumed`);
    }
    const now = deps.clock.now();
    state.setWorkflow({ status: 'RUNNING', lastRetriedTime: now, updateTime: now });
    state.announce('workflow.resumed');
  });
}
