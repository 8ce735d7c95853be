import { ConflictError, NotFoundError } from '../../errors.js';
import { isTerminalWorkflow } from '../../model/status.js';
import type { WorkflowDef } from '../../model/workflow-def.js';
import type { RestartWorkflowOptions } from '../../model/workflow-operations.js';
import type { OperationDeps } from './operation-deps.js';
import { reviveParents } from './parents.js';

/**
 * Conductor's `restart`: a workflow that has ended runs again from its first task under the same id. Its tasks
 * are deleted (sub-workflows get new children), status RUNNING, `createTime` = now, reason, failure, end time and
 * output cleared; the input stays. `useLatestDefinitions` switches to the latest registered definition (with
 * its task definitions). A workflow still running: ConflictError; a COMPLETED one whose definition says
 * `restartable: false`: ConflictError. A restarted sub-workflow takes its parents back to RUNNING.
 */
export async function restartWorkflow(
  deps: OperationDeps,
  workflowId: string,
  options: RestartWorkflowOptions,
): Promise<void> {
  let latest: WorkflowDef | null = null;
  if (options.useLatestDefinitions) {
    const stored = await deps.store.getWorkflow(workflowId, { includeTasks: false });
    if (!stored) throw new NotFoundError(`Workflow ${workflowId} not found`);
    latest = await deps.definitions.preparedDef(stored.workflow.workflowName);
  }
  const restarted = await deps.executor.mutate(workflowId, (state) => {
    const workflow = state.workflow;
    if (!isTerminalWorkflow(workflow.status)) {
      throw new ConflictError(
        `Workflow ${workflowId} is ${workflow.status}: only one that has ended can be restarted`,
      );
    }
    const def = latest ?? workflow.workflowDefinition;
    if (workflow.status === 'COMPLETED' && def.restartable === false) {
      throw new ConflictError(`Workflow ${workflowId} is COMPLETED and its definition is not restartable`);
    }
    const now = deps.clock.now();
    state.removeTasks(state.tasks.map((t) => t.taskId));
    state.setWorkflow({
      status: 'RUNNING',
      workflowDefinition: def,
      workflowVersion: def.version ?? 1,
      output: {},
      reasonForIncompletion: null,
      failedTaskId: null,
      failedReferenceTaskNames: [],
      failedTaskNames: [],
      createTime: now,
      startTime: now,
      endTime: null,
      lastRetriedTime: null,
      updateTime: now,
    });
    state.announce('workflow.restarted');
    return state.workflow;
  });
  await reviveParents(deps, restarted, 'workflow.restarted');
}
