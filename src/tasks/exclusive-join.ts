import { isSuccessfulTask, isTerminalTask } from '../model/status.js';
import type { Task } from '../model/task.js';
import { awaitsDecider, iterationRefs, latestByRef } from './join.js';
import type { TaskType } from './task-type.js';

/**
 * EXCLUSIVE_JOIN (Conductor's `ExclusiveJoinTaskMapper` and `ExclusiveJoin`): joins the one branch of a SWITCH /
 * DECISION that ran. The first `joinOn` ref with a task that is not SKIPPED decides (inside a DO_WHILE, the refs
 * of the join's iteration): once it has ended the EXCLUSIVE_JOIN completes with that task's output, or fails with
 * the reasons of the failed joinOn tasks. When that task has not ended yet, or no joinOn ref has a task, the
 * first `defaultExclusiveJoinTask` ref with a task decides the same way (Conductor checks the defaults in both
 * cases). Otherwise it waits.
 */
export const exclusiveJoinTask: TaskType = {
  type: 'EXCLUSIVE_JOIN',
  kind: 'system',
  schedule(ctx) {
    const { joinOn, defaultExclusiveJoinTask } = ctx.step;
    const inputData: Record<string, unknown> = { joinOn: [...(joinOn ?? [])] };
    if (defaultExclusiveJoinTask) inputData.defaultExclusiveJoinTask = [...defaultExclusiveJoinTask];
    return [
      ctx.createTask({
        taskType: 'EXCLUSIVE_JOIN',
        taskDefName: 'EXCLUSIVE_JOIN',
        status: 'IN_PROGRESS',
        startTime: ctx.now,
        inputData,
      }),
    ];
  },
  execute(task, ctx) {
    const joinOn = iterationRefs(task, task.inputData.joinOn);
    // Conductor does not add the loop suffix to the defaults.
    const defaults = iterationRefs({ ...task, iteration: 0 }, task.inputData.defaultExclusiveJoinTask);
    const byRef = latestByRef(ctx.tasks, [...joinOn, ...defaults]);
    if (awaitsDecider(byRef.values())) return null;
    const verdict = judgeJoinOn(joinOn, byRef) ?? judgeDefaults(defaults, byRef);
    if (!verdict?.ended) return null;
    const done = { endTime: ctx.now, updateTime: ctx.now };
    if (verdict.failed) {
      return { ...task, ...done, status: 'FAILED', reasonForIncompletion: verdict.reason };
    }
    return { ...task, ...done, status: 'COMPLETED', outputData: verdict.task.outputData };
  },
};

interface Verdict {
  readonly task: Task;
  /** The deciding task has ended (a failed task always has). */
  readonly ended: boolean;
  readonly failed: boolean;
  readonly reason: string;
}

/**
 * The first joinOn task that exists and is not SKIPPED decides once it has ended: it failed unless it succeeded
 * or is permissive while other joinOn tasks are still running (Conductor then completes the join with its
 * output). Null when none exists or it is still running: the defaults are tried next.
 */
function judgeJoinOn(refs: readonly string[], byRef: Map<string, Task>): Verdict | null {
  const t = firstPresent(refs, byRef);
  if (!t || !isTerminalTask(t.status)) return null;
  const failed = !isSuccessfulTask(t.status) && (!t.workflowTask.permissive || allEnded(refs, byRef));
  return { task: t, ended: true, failed, reason: failed ? failureReasons(refs, byRef) : '' };
}

/** The first default task that exists and is not SKIPPED decides once it has ended. */
function judgeDefaults(refs: readonly string[], byRef: Map<string, Task>): Verdict | null {
  const t = firstPresent(refs, byRef);
  if (!t) return null;
  const failed = !isSuccessfulTask(t.status);
  return {
    task: t,
    ended: isTerminalTask(t.status),
    failed,
    reason: failed ? `${t.reasonForIncompletion} ` : '',
  };
}

function firstPresent(refs: readonly string[], byRef: Map<string, Task>): Task | undefined {
  for (const ref of refs) {
    const t = byRef.get(ref);
    if (t && t.status !== 'SKIPPED') return t;
  }
  return undefined;
}

function allEnded(refs: readonly string[], byRef: Map<string, Task>): boolean {
  return refs.every((r) => {
    const t = byRef.get(r);
    return t !== undefined && isTerminalTask(t.status);
  });
}

function failureReasons(refs: readonly string[], byRef: Map<string, Task>): string {
  return refs
    .map((r) => byRef.get(r))
    .filter((t): t is Task => t !== undefined && !isSuccessfulTask(t.status))
    .map((t) => `${t.reasonForIncompletion}`)
    .join(' ');
}
