import { type ResolvedTaskDef, withTaskDefDefaults } from '../model/task-def.js';
import type { WorkflowTask } from '../model/workflow-def.js';

const resolved = new WeakMap<WorkflowTask, ResolvedTaskDef>();

/**
 * The TaskDef a step runs with: its embedded `taskDefinition` (the engine embeds the registered one when a
 * workflow starts, as Conductor's MetadataMapperService does), else Conductor's ad-hoc default: the TaskDef
 * defaults for worker tasks, and no retries and no response timeout for system tasks.
 */
export function effectiveTaskDef(step: WorkflowTask, isSystem: boolean): ResolvedTaskDef {
  let def = resolved.get(step);
  if (!def) {
    const adHoc = isSystem
      ? { name: step.name, retryCount: 0, responseTimeoutSeconds: 0 }
      : { name: step.name };
    def = withTaskDefDefaults(step.taskDefinition ?? adHoc);
    resolved.set(step, def);
  }
  return def;
}

/** Retries allowed for a step: the step's `retryCount` overrides the TaskDef's. */
export function expectedRetries(step: WorkflowTask, def: ResolvedTaskDef): number {
  return step.retryCount ?? def.retryCount;
}
