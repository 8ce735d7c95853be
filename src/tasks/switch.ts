import { TerminateWorkflowError } from '../decider/terminate-workflow-error.js';
import type { Task } from '../model/task.js';
import {
  branchNext,
  caseString,
  completed,
  evaluateCase,
  scheduleBranch,
  startSwitch,
} from './case-selection.js';
import type { TaskType } from './task-type.js';

const RULE = 'default-if-absent';

/**
 * SWITCH (Conductor's `SwitchTaskMapper` and `Switch`): evaluates `expression` against the resolved input and
 * runs the branch `decisionCases[case]`, where case = `"" + result` (null gives `"null"`). The `defaultCase` runs
 * only when no case has that key: an explicitly empty case runs nothing and the workflow goes on after the
 * switch.
 *
 * - `value-param`: the case is `input[expression]`, chosen when the step is scheduled; the branch's first task is
 *   created in the same pass, right after the switch.
 * - `javascript` / `graaljs`: the script runs in the sandbox (`$` = the input) when the engine runs the task; the
 *   branch follows once it has completed. A script error fails the SWITCH, which is never retried, so the
 *   workflow fails.
 *
 * The task gets `input.case`, output `evaluationResult: [case]` and `selectedCase: case`, and completes at once.
 */
export const switchTask: TaskType = {
  type: 'SWITCH',
  kind: 'system',
  schedule(ctx) {
    const { evaluatorType, expression } = ctx.step;
    const task = startSwitch(ctx, 'SWITCH');
    if (evaluatorType === 'value-param') {
      const caseValue = caseString(task.inputData[expression ?? '']);
      return [scheduleBranch(ctx, withCase(task, caseValue), caseValue, RULE)];
    }
    if (isJavaScript(evaluatorType)) return [task];
    throw new TerminateWorkflowError(`No evaluator registered for type: ${evaluatorType}`);
  },
  execute(task, ctx) {
    // A value-param case was chosen at scheduling: the switch just completes.
    if (!isJavaScript(task.workflowTask.evaluatorType)) return completed(task, ctx.now);
    return evaluateCase(task, ctx, task.workflowTask.expression ?? '', RULE, withCase, (message) => message);
  },
  next: (task) => branchNext(task, RULE),
};

function isJavaScript(evaluatorType: string | null | undefined): boolean {
  return evaluatorType === 'javascript' || evaluatorType === 'graaljs';
}

/** The task with its case recorded as Conductor does: `input.case`, `evaluationResult` and `selectedCase`. */
function withCase(task: Task, caseValue: string): Task {
  return {
    ...task,
    inputData: { ...task.inputData, case: caseValue },
    outputData: { ...task.outputData, evaluationResult: [caseValue], selectedCase: caseValue },
  };
}
