import type { Task } from '../model/task.js';
import type { Workflow, WorkflowRecord } from '../model/workflow.js';
import { cloneJson } from '../util/clone-json.js';

/**
 * Copies handed to callers, so nothing they do can change the engine's state. Definition parts (`workflowTask`,
 * `taskDefinition`, `workflowDefinition`) are deep-frozen when a workflow starts and are shared, not copied.
 */
export function publicTask(task: Task): Task {
  return { ...task, inputData: cloneJson(task.inputData), outputData: cloneJson(task.outputData) };
}

export function publicWorkflow(workflow: WorkflowRecord, tasks: readonly Task[]): Workflow {
  const row = workflow as unknown as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in row) copy[key] = key === 'workflowDefinition' ? row[key] : cloneJson(row[key]);
  return withTasks(copy as unknown as WorkflowRecord, tasks.map(publicTask));
}

/**
 * The workflow row plus its tasks, as Conductor's Workflow JSON. Built by assignment: V8 is an order of
 * magnitude slower at a spread followed by a new key (`{ ...row, tasks }`).
 */
export function withTasks(workflow: WorkflowRecord, tasks: Task[]): Workflow {
  const copy = Object.assign({}, workflow) as Workflow;
  copy.tasks = tasks;
  return copy;
}
