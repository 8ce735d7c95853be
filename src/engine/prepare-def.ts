import type { TaskDef } from '../model/task-def.js';
import type { WorkflowDef, WorkflowTask } from '../model/workflow-def.js';
import type { TaskTypeRegistry } from '../tasks/registry.js';
import { deepFreeze } from '../util/deep-freeze.js';

/**
 * A copy of a definition with each worker step's registered TaskDef embedded as `taskDefinition` (Conductor's
 * `populateWorkflowTaskWithDefinition`), so a running workflow keeps the retry and timeout rules it started with
 * and the decider needs no lookups. Steps with an embedded TaskDef keep theirs. The result is deep-frozen.
 */
export function prepareDef(
  def: WorkflowDef,
  taskDefs: ReadonlyMap<string, TaskDef | null>,
  taskTypes: TaskTypeRegistry,
): WorkflowDef {
  const embed = (step: WorkflowTask): WorkflowTask => {
    const copy: WorkflowTask = { ...step };
    if (!copy.taskDefinition && embedsTaskDef(step, taskTypes)) {
      copy.taskDefinition = taskDefs.get(step.name) ?? null;
      if (!copy.taskDefinition) delete copy.taskDefinition;
    }
    if (step.decisionCases) {
      copy.decisionCases = Object.fromEntries(
        Object.entries(step.decisionCases).map(([k, list]) => [k, list.map(embed)]),
      );
    }
    if (step.defaultCase) copy.defaultCase = step.defaultCase.map(embed);
    if (step.forkTasks) copy.forkTasks = step.forkTasks.map((branch) => branch.map(embed));
    if (step.loopOver) copy.loopOver = step.loopOver.map(embed);
    return copy;
  };
  // Frozen: running workflows share it, and callers get it without a copy.
  return deepFreeze(
    structuredClone({
      ...def,
      version: def.version ?? 1,
      schemaVersion: def.schemaVersion ?? 2,
      tasks: def.tasks.map(embed),
    }),
  );
}

/**
 * System steps that Conductor retries per the TaskDef named like the step: SUB_WORKFLOW (ForkJoinSpec "sub
 * workflow with task def retry"), and the steps that fail with FAILED for their TaskDef's retries to apply
 * (HTTP on a non-2xx response, LAMBDA, JSON_JQ_TRANSFORM).
 */
const SYSTEM_TYPES_WITH_TASK_DEFS = new Set(['SUB_WORKFLOW', 'HTTP', 'LAMBDA', 'JSON_JQ_TRANSFORM']);

/**
 * Whether a step runs with its registered TaskDef: worker steps, and the system steps above; without one, a
 * system step keeps the ad-hoc def (no retries).
 */
function embedsTaskDef(step: WorkflowTask, taskTypes: TaskTypeRegistry): boolean {
  return taskTypes.get(step.type).kind === 'worker' || SYSTEM_TYPES_WITH_TASK_DEFS.has(step.type ?? '');
}

/** Names of the steps of a definition whose TaskDefs `prepareDef` embeds (see `embedsTaskDef`). */
export function workerStepNames(def: WorkflowDef, taskTypes: TaskTypeRegistry): Set<string> {
  const names = new Set<string>();
  const visit = (steps: readonly WorkflowTask[] | undefined) => {
    for (const step of steps ?? []) {
      if (embedsTaskDef(step, taskTypes)) names.add(step.name);
      for (const branch of Object.values(step.decisionCases ?? {})) visit(branch);
      visit(step.defaultCase);
      for (const branch of step.forkTasks ?? []) visit(branch);
      visit(step.loopOver);
    }
  };
  visit(def.tasks);
  return names;
}
