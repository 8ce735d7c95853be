import { latestTaskByRef } from '../../decider/expression-scope.js';
import { isTerminalTask } from '../../model/status.js';
import type { Task } from '../../model/task.js';

/** JOIN and EXCLUSIVE_JOIN: tasks that wait for others and are reopened rather than copied. */
export function isJoin(task: Task): boolean {
  return task.taskType === 'JOIN' || task.taskType === 'EXCLUSIVE_JOIN';
}

export function isLoop(task: Task): boolean {
  return task.taskType === 'DO_WHILE';
}

/**
 * A JOIN or DO_WHILE taken back to IN_PROGRESS in place (Conductor's retry and rerun): it waits again, and the
 * decider moves on from it once it ends again.
 */
export function reopened(task: Task, now: number): Task {
  return {
    ...task,
    status: 'IN_PROGRESS',
    executed: false,
    reasonForIncompletion: null,
    endTime: 0,
    updateTime: now,
  };
}

/** The refs a JOIN waits for (inside a loop, those of its own iteration). */
export function joinedRefs(join: Task): string[] {
  const joinOn = Array.isArray(join.inputData.joinOn) ? (join.inputData.joinOn as unknown[]) : [];
  const suffix = join.iteration > 0 ? `__${join.iteration}` : '';
  return joinOn
    .filter((ref): ref is string => typeof ref === 'string')
    .map((ref) => (suffix && !ref.endsWith(suffix) ? `${ref}${suffix}` : ref));
}

/** Conductor's `isJoinOnFailedPermissive`: a joined task is permissive (not optional) and FAILED. */
export function joinsFailedPermissive(join: Task, tasks: readonly Task[]): boolean {
  return joinedRefs(join).some((ref) => {
    const t = latestTaskByRef(tasks, ref);
    return !!t && !!t.workflowTask.permissive && !t.workflowTask.optional && t.status === 'FAILED';
  });
}

/** True when a joined ref has no task any more or one that has not ended: the JOIN has to wait again. */
export function joinsPendingWork(join: Task, tasks: readonly Task[]): boolean {
  return joinedRefs(join).some((ref) => {
    const t = latestTaskByRef(tasks, ref);
    return !t || !isTerminalTask(t.status);
  });
}
