import type { Task } from '../model/task.js';
import { failed, messageOf } from './inline.js';
import type { ExecuteContext, TaskType } from './task-type.js';

/**
 * LAMBDA (Conductor's legacy `Lambda`, replaced by INLINE): input `scriptExpression` is a function body, run
 * in the sandbox as `function scriptFun(){<scriptExpression>} scriptFun();` with `$` = the whole task input.
 * Output `{ result }` = what the body returns.
 *
 * Unlike INLINE, every failure ends the task FAILED, so the TaskDef's retries apply: a blank
 * `scriptExpression` (reason only), or a script error (reason and `output.error`).
 */
export const lambdaTask: TaskType = {
  type: 'LAMBDA',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute: (task, ctx) => runLambda(task, ctx),
};

async function runLambda(task: Task, ctx: ExecuteContext): Promise<Task> {
  const body = task.inputData.scriptExpression;
  const ended = { startTime: ctx.now, endTime: ctx.now, updateTime: ctx.now };
  if (typeof body !== 'string' || body.trim() === '') {
    return {
      ...task,
      ...ended,
      status: 'FAILED',
      reasonForIncompletion:
        "Empty 'scriptExpression' in Lambda task's input parameters. A non-empty String value must be provided.",
    };
  }
  try {
    // A newline before the closing brace, so a body ending in a `//` comment still closes the function.
    const result = await ctx.evaluate(`function scriptFun(){${body}\n} scriptFun();`, task.inputData);
    return { ...task, ...ended, status: 'COMPLETED', outputData: { ...task.outputData, result } };
  } catch (error) {
    return failed(task, ctx, 'FAILED', messageOf(error));
  }
}
