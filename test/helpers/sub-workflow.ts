import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Engine, Task, Workflow, WorkflowDef } from '../../src/index.js';
import type { ExecuteContext } from '../../src/tasks/task-type.js';

/** A definition from test/fixtures/ (`sub-workflow-parent` → test/fixtures/sub-workflow-parent.json). */
export function fixture(name: string): WorkflowDef {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'),
  ) as WorkflowDef;
}

/** The latest task of a workflow with this reference name. */
export async function taskByRef(engine: Engine, workflowId: string, ref: string): Promise<Task> {
  const tasks = (await engine.getWorkflow(workflowId)).tasks.filter((t) => t.referenceTaskName === ref);
  expect(tasks.length, `a task ${ref} in ${workflowId}`).toBeGreaterThan(0);
  return tasks[tasks.length - 1];
}

/** The child workflow started by the SUB_WORKFLOW task `ref` of a workflow. */
export async function childOf(engine: Engine, workflowId: string, ref: string): Promise<Workflow> {
  const task = await taskByRef(engine, workflowId, ref);
  expect(task.subWorkflowId, `${ref} has a child`).toBeTruthy();
  return engine.getWorkflow(task.subWorkflowId as string);
}

/** Polls one task of `taskType` (it must be there) and completes it with `outputData`. */
export async function completeNext(
  engine: Engine,
  taskType: string,
  outputData: Record<string, unknown> = {},
): Promise<Task> {
  const task = await engine.pollTask(taskType);
  expect(task, `a ${taskType} task to poll`).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED', outputData });
  await engine.idle();
  return task!;
}

/** Polls one task of `taskType` (it must be there) and fails it with `reason`. */
export async function failNext(engine: Engine, taskType: string, reason: string): Promise<Task> {
  const task = await engine.pollTask(taskType);
  expect(task, `a ${taskType} task to poll`).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status: 'FAILED', reasonForIncompletion: reason });
  await engine.idle();
  return task!;
}

/**
 * An ExecuteContext for running a task type by hand against a real engine (the "redo after a crash" case):
 * starts and reads workflows through the engine; everything else is out of bounds for these tests.
 */
export function engineContext(engine: Engine, workflow: Workflow, now: number): ExecuteContext {
  const unused = () => {
    throw new Error('not used by this test');
  };
  return {
    workflow,
    tasks: workflow.tasks,
    now,
    index: undefined as never,
    isNew: () => false,
    schedule: unused,
    setVariables: unused,
    // The engine's start takes a child's fixed id and parent link, as the executor's context passes them.
    startWorkflow: (request) => engine.startWorkflow(request),
    getWorkflow: (id) => engine.getWorkflow(id).catch(() => null),
    terminateWorkflow: unused,
    evaluate: unused,
    publishEvent: unused,
    runInBackground: unused,
    cancelBackground: unused,
  };
}
