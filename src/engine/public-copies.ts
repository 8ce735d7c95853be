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
  const { workflowDefinition, ...row } = workflow;
  return { ...cloneJson(row), workflowDefinition, tasks: tasks.map(publicTask) };
}
