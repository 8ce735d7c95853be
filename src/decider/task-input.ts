import { type ExpressionScope, resolveParameters } from '../expressions/index.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowTask } from '../model/workflow-def.js';

/**
 * A step's input, resolved now (Conductor's `getTaskInputV2`): the TaskDef's `inputTemplate` supplies keys the
 * step does not set, and any key that resolved to null falls back to the template's raw value.
 */
export function resolveTaskInput(
  step: WorkflowTask,
  def: ResolvedTaskDef,
  scope: ExpressionScope,
): Record<string, unknown> {
  const template = def.inputTemplate;
  const hasTemplate = Object.keys(template).length > 0;
  const params = hasTemplate ? { ...template, ...step.inputParameters } : step.inputParameters;
  const input = resolveParameters(params, scope);
  if (hasTemplate) {
    for (const [key, value] of Object.entries(template)) if (input[key] == null) input[key] = value;
  }
  return input;
}
