import { ConflictError } from '../../errors.js';
import { isTerminalWorkflow } from '../../model/status.js';
import type { TerminateWorkflowOptions } from '../../model/workflow-operations.js';
import type { OperationDeps } from './operation-deps.js';

/**
 * Conductor's API `terminateWorkflow`: TERMINATED with `reason`. Pending tasks are canceled (a running
 * sub-workflow is terminated with them, a waiting worker task leaves its queue), the output is resolved, and a
 * parent waiting for this workflow sees its SUB_WORKFLOW task CANCELED. A FAILED or TIMED_OUT workflow is
 * re-marked TERMINATED (its output and failed task kept); a TERMINATED one is left as it is; a COMPLETED one is a
 * ConflictError. The failureWorkflow starts only with `triggerFailureWorkflow`.
 */
export async function terminateWorkflow(
  deps: OperationDeps,
  workflowId: string,
  reason: string | null,
  options: TerminateWorkflowOptions,
): Promise<void> {
  await deps.executor.mutate(
    workflowId,
    async (state) => {
      const workflow = state.workflow;
      if (workflow.status === 'COMPLETED') {
        throw new ConflictError(`Workflow ${workflowId} is COMPLETED: it cannot be terminated`);
      }
      if (workflow.status === 'TERMINATED') return;
      const ended = isTerminalWorkflow(workflow.status);
      const failedTask = workflow.failedTaskId ? (state.findTask(workflow.failedTaskId) ?? null) : null;
      await deps.executor.end(
        state,
        {
          status: 'TERMINATED',
          reason,
          task: failedTask,
          // Re-marked: the output it ended with stays (naming the failure workflow it may have started).
          output: ended ? workflow.output : undefined,
        },
        options.triggerFailureWorkflow ?? false,
      );
    },
    false,
  );
}
