import type { Task } from '../model/task.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import type { ExecuteContext, ScheduleContext } from './task-type.js';

/**
 * Shared by SWITCH and DECISION: how an evaluated value becomes a case, which branch a case selects, and how the
 * chosen branch is scheduled.
 *
 * Both types choose their case when the step is scheduled if that needs no script (SWITCH `value-param`, DECISION
 * `caseValueParam`), so the branch's first task is created in the same pass as the switch, right after it, as
 * Conductor's mappers do. A JavaScript case needs the sandbox, which is asynchronous: the task is then created
 * IN_PROGRESS and the case is chosen when the engine runs it; its branch follows through the `next` hook.
 */

/** How an unselected/empty branch is treated: SWITCH runs the default only for an absent key. */
export type EmptyCaseRule = 'default-if-absent' | 'default-if-absent-or-empty';

/**
 * Conductor's `"" + value`: null and undefined give `"null"`, strings stay as they are, numbers and booleans
 * print as usual. Maps and lists print as compact JSON (Baton renders embedded values as JSON, not Java's
 * `toString`).
 */
export function caseString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The steps a case runs: `decisionCases[case]`; the `defaultCase` when the key is absent (SWITCH), or absent or
 * empty (DECISION). An empty list means nothing runs and the workflow goes on after the switch.
 */
export function selectBranch(
  step: WorkflowTask,
  caseValue: string,
  rule: EmptyCaseRule,
): readonly WorkflowTask[] {
  const cases = step.decisionCases ?? {};
  const selected = Object.hasOwn(cases, caseValue) ? cases[caseValue] : undefined;
  if (selected === undefined || (rule === 'default-if-absent-or-empty' && selected.length === 0)) {
    return step.defaultCase ?? [];
  }
  return selected;
}

/**
 * Schedules the first step of the chosen branch right after the switch task (which the caller created first, so
 * it keeps the lower `seq`), and marks the switch `hasChildren` as Conductor does. Returns the switch task.
 */
export function scheduleBranch(
  ctx: ScheduleContext,
  task: Task,
  caseValue: string,
  rule: EmptyCaseRule,
): Task {
  const branch = selectBranch(ctx.step, caseValue, rule);
  if (branch.length === 0) return task;
  ctx.scheduleStep(branch[0]);
  return { ...task, inputData: { ...task.inputData, hasChildren: 'true' } };
}

/**
 * The `next` hook of SWITCH and DECISION: after a COMPLETED switch, the first step of its branch (already
 * scheduled when the case was chosen at scheduling, so the decider finds it and skips it); with an empty branch
 * or a switch that did not complete (an optional one that failed), the definition's navigation: the step after
 * the switch.
 */
export function branchNext(task: Task, rule: EmptyCaseRule): readonly WorkflowTask[] | undefined {
  const caseValue = task.inputData.case;
  if (task.status !== 'COMPLETED' || typeof caseValue !== 'string') return undefined;
  const branch = selectBranch(task.workflowTask, caseValue, rule);
  return branch.length > 0 ? [branch[0]] : undefined;
}

/** How a switch type records its chosen case on its task (SWITCH and DECISION use different fields). */
export type CaseRecorder = (task: Task, caseValue: string) => Task;

/** A new switch task of `type`: IN_PROGRESS from now until its case is chosen. */
export function startSwitch(ctx: ScheduleContext, type: 'SWITCH' | 'DECISION'): Task {
  return ctx.createTask({ taskType: type, taskDefName: type, status: 'IN_PROGRESS', startTime: ctx.now });
}

/** A switch whose case was chosen at scheduling: it just completes. */
export function completed(task: Task, now: number): Task {
  return { ...task, ...ended(task, now), status: 'COMPLETED' };
}

/**
 * Runs a switch's case script in the sandbox (`$` = its input) and completes it with the case, marked
 * `hasChildren` when its branch runs something; a script error fails it with `reasonFor(error message)`.
 */
export async function evaluateCase(
  task: Task,
  ctx: ExecuteContext,
  script: string,
  rule: EmptyCaseRule,
  record: CaseRecorder,
  reasonFor: (message: string) => string,
): Promise<Task> {
  let result: unknown;
  try {
    result = await ctx.evaluate(script, task.inputData);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...task, ...ended(task, ctx.now), status: 'FAILED', reasonForIncompletion: reasonFor(message) };
  }
  const caseValue = caseString(result);
  const chosen = record(task, caseValue);
  const hasChildren = selectBranch(task.workflowTask, caseValue, rule).length > 0;
  return {
    ...completed(chosen, ctx.now),
    inputData: hasChildren ? { ...chosen.inputData, hasChildren: 'true' } : chosen.inputData,
  };
}

/** The fields a switch task gets when it ends at `now` (it started when it was scheduled). */
function ended(task: Task, now: number): Pick<Task, 'startTime' | 'endTime' | 'updateTime'> {
  return { startTime: task.startTime || now, endTime: now, updateTime: now };
}
