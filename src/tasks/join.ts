import { isSuccessfulTask, isTerminalTask, isUnsuccessfulTerminalTask } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { TaskType } from './task-type.js';

/**
 * JOIN (Conductor's `JoinTaskMapper` and `Join`): waits for the tasks named in `joinOn` (input `{ joinOn }`;
 * after a FORK_JOIN_DYNAMIC, the forked tasks). Inside a DO_WHILE it waits for the refs of its own iteration
 * (`ref__<iteration>`). Once every joinOn task has ended:
 *
 * - a failed one (FAILED, TIMED_OUT, FAILED_WITH_TERMINAL_ERROR, CANCELED) that is not optional fails the JOIN
 *   with the failed tasks' reasons, or cancels it when all such failures are cancellations;
 * - otherwise the JOIN completes with output `{ <ref>: output }` for each joinOn task whose output is not empty:
 *   COMPLETED_WITH_ERRORS when an optional task ended COMPLETED_WITH_ERRORS, else COMPLETED.
 *
 * Conductor also fails a JOIN early on a non-optional, non-permissive failure; here such a failure has already
 * failed the workflow in the decider (the JOIN is canceled with the other pending tasks), so only a permissive
 * failure reaches the JOIN, and Conductor judges that one only once every joinOn task has ended too.
 */
export const joinTask: TaskType = {
  type: 'JOIN',
  kind: 'system',
  schedule(ctx) {
    return [
      ctx.createTask({
        taskType: 'JOIN',
        taskDefName: 'JOIN',
        status: 'IN_PROGRESS',
        startTime: ctx.now,
        inputData: { joinOn: [...(ctx.step.joinOn ?? [])] },
      }),
    ];
  },
  execute(task, ctx) {
    const joinOn = joinRefs(task);
    const byRef = endedJoinedTasks(ctx.tasks, joinOn);
    if (!byRef || awaitsDecider(byRef.values())) return null;
    return evaluateJoin(task, joinOn.refs, byRef, ctx.now);
  },
};

function evaluateJoin(
  task: Task,
  joinOn: readonly string[],
  byRef: Map<string, Task>,
  now: number,
): Task | null {
  const joined = joinOn.map((ref) => byRef.get(ref));
  const allTerminal = joined.every((t) => t !== undefined && isTerminalTask(t.status));
  const output: Record<string, unknown> = {};
  const optionalFailures: string[] = [];
  for (const [i, ref] of joinOn.entries()) {
    const forked = joined[i];
    if (!forked) continue;
    if (Object.keys(forked.outputData).length > 0) output[ref] = forked.outputData;
    const step = forked.workflowTask;
    if (!isSuccessfulTask(forked.status) && !step.optional && (!step.permissive || allTerminal)) {
      return failedJoin(task, joined, output, now);
    }
    if (step.optional && forked.status === 'COMPLETED_WITH_ERRORS') {
      optionalFailures.push(`${forked.taskDefName}/${forked.taskId}`);
    }
  }
  if (!allTerminal) return null;
  const done = { ...task, outputData: output, endTime: now, updateTime: now };
  if (optionalFailures.length === 0) return { ...done, status: 'COMPLETED' };
  return {
    ...done,
    status: 'COMPLETED_WITH_ERRORS',
    reasonForIncompletion: `${optionalFailures.join(' ')} completed with errors`,
  };
}

/** FAILED with every failed joinOn task's reason; CANCELED when all the non-optional failures are cancellations. */
function failedJoin(
  task: Task,
  joined: readonly (Task | undefined)[],
  output: Record<string, unknown>,
  now: number,
): Task {
  const failed = joined.filter((t): t is Task => t !== undefined && !isSuccessfulTask(t.status));
  const reason = failed
    .map((t) => t.reasonForIncompletion)
    .filter((r): r is string => r !== null)
    .join(' ');
  const realFailure = failed.some((t) => !t.workflowTask.optional && t.status !== 'CANCELED');
  return {
    ...task,
    status: realFailure ? 'FAILED' : 'CANCELED',
    reasonForIncompletion: reason,
    outputData: output,
    endTime: now,
    updateTime: now,
  };
}

/**
 * The refs a join waits for: inside a DO_WHILE, those of its own iteration (`ref__<iteration>`), as Conductor's
 * JOIN and EXCLUSIVE_JOIN do for a loop-over task.
 */
export function iterationRefs(task: Task, refs: unknown): string[] {
  const list = Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [];
  return task.loopOverTask && task.iteration > 0 ? list.map((r) => `${r}__${task.iteration}`) : list;
}

/** A JOIN's refs for its iteration, and the same as a set for the scan. */
interface JoinRefs {
  readonly iteration: number;
  readonly refs: readonly string[];
  readonly wanted: ReadonlySet<string>;
}

// A JOIN runs on every decide of its workflow while it waits: its refs are worked out once per joinOn list.
const joinRefsCache = new WeakMap<object, JoinRefs>();

function joinRefs(task: Task): JoinRefs {
  const joinOn = task.inputData.joinOn;
  const key = typeof joinOn === 'object' && joinOn !== null ? joinOn : null;
  const cached = key ? joinRefsCache.get(key) : undefined;
  if (cached?.iteration === task.iteration) return cached;
  const refs = iterationRefs(task, joinOn);
  const prepared = { iteration: task.iteration, refs, wanted: new Set(refs) };
  if (key) joinRefsCache.set(key, prepared);
  return prepared;
}

/**
 * The latest task of each joinOn ref, or null as soon as one of them is seen still running. A running workflow's
 * JOIN can only end once every joinOn task has ended: a non-optional task that fails for good ends the workflow
 * in the decider first, and a permissive one fails the JOIN only when all have ended. So a join over a wide fork
 * stops at the first pending branch, which sits near the end of the list where new tasks go.
 */
function endedJoinedTasks(tasks: readonly Task[], joinOn: JoinRefs): Map<string, Task> | null {
  const wanted = joinOn.wanted;
  const found = new Map<string, Task>();
  for (let i = tasks.length - 1; i >= 0 && found.size < wanted.size; i--) {
    const t = tasks[i];
    if (!wanted.has(t.referenceTaskName) || found.has(t.referenceTaskName)) continue;
    if (!isTerminalTask(t.status)) return null;
    found.set(t.referenceTaskName, t);
  }
  return found.size === wanted.size ? found : null;
}

/**
 * The latest task (the last retry) of each of `refs`, by exact reference name, in one backward pass that stops
 * once all are found: a join over a wide fork costs one scan, not one scan per ref.
 */
export function latestByRef(tasks: readonly Task[], refs: readonly string[]): Map<string, Task> {
  const wanted = new Set(refs);
  const found = new Map<string, Task>();
  for (let i = tasks.length - 1; i >= 0 && found.size < wanted.size; i--) {
    const t = tasks[i];
    if (wanted.has(t.referenceTaskName) && !found.has(t.referenceTaskName)) found.set(t.referenceTaskName, t);
  }
  return found;
}

/**
 * True while a joined task has failed but the decider has not handled the failure yet (no retry, no
 * COMPLETED_WITH_ERRORS for an optional task): the engine runs the decider again right after, and judging the
 * failure before it would, for example, miss that an optional task ended with errors.
 */
export function awaitsDecider(tasks: Iterable<Task>): boolean {
  for (const t of tasks) {
    if (isUnsuccessfulTerminalTask(t.status) && !t.executed && !t.retried) return true;
  }
  return false;
}
