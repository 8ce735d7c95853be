import { resolveParameters } from '../expressions/index.js';
import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';
import { makeScope } from './expression-scope.js';

/**
 * A workflow's output when it ends (Conductor's `updateWorkflowOutput`): its `outputParameters` resolved now,
 * or, when it has none, the output of its last task.
 */
export function workflowOutput(
  workflow: WorkflowRecord,
  tasks: readonly Task[],
  env?: (name: string) => string | undefined,
): Record<string, unknown> {
  const params = workflow.workflowDefinition.outputParameters;
  if (params && Object.keys(params).length > 0)
    return resolveParameters(params, makeScope(workflow, tasks, env));
  return tasks.length > 0 ? tasks[tasks.length - 1].outputData : {};
}
