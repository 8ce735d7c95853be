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

const RULE = 'default-if-absent-or-empty';

/**
 * DECISION (Conductor's deprecated `DecisionTaskMapper` and `Decision`): SWITCH's predecessor. The case is the
 * JavaScript `caseExpression` (`$` = the resolved input) when there is one, else `"" + input[caseValueParam]`.
 * Unlike SWITCH, the `defaultCase` runs when the case is absent **or** empty.
 *
 * A `caseValueParam` case is chosen when the step is scheduled, its branch's first task created right after the
 * DECISION; a `caseExpression` runs in the sandbox when the engine runs the task, and the branch follows. The task
 * gets input `{ case }` (Conductor keeps only the case) and output `caseOutput: [case]`. A script error fails the
 * DECISION, which is never retried, so the workflow fails.
 */
export const decisionTask: TaskType = {
  type: 'DECISION',
  kind: 'system',
  schedule(ctx) {
    const task = startSwitch(ctx, 'DECISION');
    // The resolved input stays on the task until the script has read it.
    if (hasScript(ctx.step.caseExpression)) return [task];
    const caseValue = caseString(task.inputData[ctx.step.caseValueParam ?? '']);
    return [scheduleBranch(ctx, withCase(task, caseValue), caseValue, RULE)];
  },
  execute(task, ctx) {
    const expression = task.workflowTask.caseExpression;
    if (!hasScript(expression)) return completed(task, ctx.now);
    return evaluateCase(
      task,
      ctx,
      expression,
      RULE,
      withCase,
      (message) => `Error while evaluating script: ${expression}: ${message}`,
    );
  },
  next: (task) => branchNext(task, RULE),
};

function hasScript(expression: string | null | undefined): expression is string {
  return typeof expression === 'string' && expression.trim() !== '';
}

/** The task with its case recorded as Conductor does: input `{ case }` only, output `caseOutput`. */
function withCase(task: Task, caseValue: string): Task {
  return {
    ...task,
    inputData: { case: caseValue },
    outputData: { ...task.outputData, caseOutput: [caseValue] },
  };
}
