import type { DefIndex } from '../decider/def-index.js';
import { latestTaskByRef, makeScope, taskDoc } from '../decider/expression-scope.js';
import type { ExpressionScope } from '../expressions/index.js';
import { isTerminalTask } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import type { ExecuteContext } from './task-type.js';

/**
 * The tasks of a DO_WHILE's current iteration (Conductor's `relevantTasks`): every task whose step sits in the
 * loop body, at any depth (forks, switch branches), with the loop's `iteration`; of a retried task only the
 * latest copy. In `seq` order.
 *
 * Scans back from the newest task and stops at the first task of an earlier iteration (or at the loop task),
 * so the cost follows the size of one iteration, not the length of the loop's history.
 */
export function iterationTasks(loop: Task, tasks: readonly Task[], index: DefIndex): Task[] {
  const loopRef = loop.workflowTask.taskReferenceName;
  const seen = new Set<string>();
  const found: Task[] = [];
  for (let i = tasks.length - 1; i >= 0; i--) {
    const t = tasks[i];
    if (t.taskId === loop.taskId) break;
    if (index.loopOf(t.workflowTask.taskReferenceName)?.taskReferenceName !== loopRef) continue;
    // Iteration N+1 starts only once every task of iteration N is done, so older ones all lie further back.
    if (t.iteration < loop.iteration) break;
    if (t.iteration > loop.iteration || seen.has(t.referenceTaskName)) continue;
    seen.add(t.referenceTaskName);
    found.push(t);
  }
  return found.reverse();
}

/**
 * True when the iteration is over (Conductor's `isIterationComplete`): each top-level body step has its task for
 * this iteration and it is terminal, every task of the iteration is terminal, and the decider has moved past
 * each of them (`executed`), so no successor inside the body is still to be scheduled.
 */
export function isIterationComplete(loop: Task, current: readonly Task[], index: DefIndex): boolean {
  const byRef = new Map(current.map((t) => [t.referenceTaskName, t]));
  for (const step of loop.workflowTask.loopOver ?? []) {
    const task = byRef.get(index.refFor(step, loop.iteration));
    if (!task || !isTerminalTask(task.status)) return false;
  }
  return current.every((t) => isTerminalTask(t.status) && (t.executed || t.status === 'SKIPPED'));
}

/** `{ <ref without __N>: output }` of the iteration's tasks, as recorded under the loop's output["<N>"]. */
export function iterationOutput(current: readonly Task[]): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  for (const t of current) output[t.workflowTask.taskReferenceName] = t.outputData;
  return output;
}

/**
 * Drops, from a fresh output map, the iterations older than the last `keepLastN` (Conductor's `keepLastN`
 * input). Conductor also deletes those iterations' tasks from its store; here they stay (see the DO_WHILE notes).
 */
export function dropOldIterations(loop: Task, freshOutput: Record<string, unknown>): void {
  const keep = loop.inputData.keepLastN;
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 0 || loop.iteration <= keep) return;
  for (let i = 1; i <= loop.iteration - keep; i++) delete freshOutput[String(i)];
}

/**
 * A copy of `output` with `entries` set. The loop output grows by one key per iteration and stored objects are
 * never changed, so it is copied each time: a key loop, which V8 runs several times faster than a spread on
 * these index-keyed maps.
 */
export function withEntries(
  output: Record<string, unknown>,
  entries: Record<string, unknown>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(output)) copy[key] = output[key];
  for (const key of Object.keys(entries)) copy[key] = entries[key];
  return copy;
}

/**
 * What expressions see while the loop is being evaluated: the workflow's tasks, with the loop task replaced by
 * `loop` (its new output and iteration are not stored yet).
 */
export function loopScope(loop: Task, ctx: ExecuteContext): ExpressionScope {
  const base = makeScope(ctx.workflow, ctx.tasks, undefined, loop.taskId);
  const ref = loop.referenceTaskName;
  return { ...base, task: (r) => (r === ref ? taskDoc(loop) : base.task(r)) };
}

/** `{ <ref>: output }` of the latest task of every step in the loop body (any iteration), for the condition. */
export function bodyOutputs(loop: Task, tasks: readonly Task[]): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const ref of bodyRefs(loop.workflowTask)) {
    const task = latestTaskByRef(tasks, ref);
    if (task) outputs[ref] = task.outputData;
  }
  return outputs;
}

const refsByStep = new WeakMap<WorkflowTask, readonly string[]>();

/** Reference names of every step under a DO_WHILE's body, nested ones included. */
function bodyRefs(loopStep: WorkflowTask): readonly string[] {
  let refs = refsByStep.get(loopStep);
  if (!refs) {
    const found: string[] = [];
    const visit = (steps: readonly WorkflowTask[] | undefined) => {
      for (const step of steps ?? []) {
        found.push(step.taskReferenceName);
        for (const branch of Object.values(step.decisionCases ?? {})) visit(branch);
        visit(step.defaultCase);
        for (const branch of step.forkTasks ?? []) visit(branch);
        visit(step.loopOver);
      }
    };
    visit(loopStep.loopOver);
    refs = found;
    refsByStep.set(loopStep, refs);
  }
  return refs;
}
