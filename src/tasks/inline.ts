import type { TaskStatus } from '../model/status.js';
import type { Task } from '../model/task.js';
import { ScriptError } from '../sandbox/index.js';
import type { ExecuteContext, TaskType } from './task-type.js';

const JAVASCRIPT_EVALUATORS = new Set(['javascript', 'graaljs']);

/**
 * INLINE (Conductor's `Inline`): evaluates input `expression` with the evaluator named by input
 * `evaluatorType` and completes with output `{ result }`.
 *
 * - `javascript` (the default when `evaluatorType` is absent or blank) and its alias `graaljs`: the script runs
 *   in the engine's sandbox with `$` = the whole task input; the result is the value of the last expression
 *   statement, so `$.a + 1` and `function e() { return $.a + 1 } e();` both work.
 * - `value-param`: the result is `input[expression]`, no script involved.
 *
 * Every failure ends the task FAILED_WITH_TERMINAL_ERROR (Conductor's TerminateWorkflowException, never
 * retried), with the message as `reasonForIncompletion` and `output.error`: a script that throws, does not
 * parse, runs past the sandbox timeout or exhausts its memory; a blank `expression`; an unknown evaluator.
 * Anything else going wrong (not the script's fault) ends it FAILED, as Conductor does.
 */
export const inlineTask: TaskType = {
  type: 'INLINE',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute: (task, ctx) => runInline(task, ctx),
};

async function runInline(task: Task, ctx: ExecuteContext): Promise<Task> {
  const input = task.inputData;
  const evaluatorType = evaluatorOf(input.evaluatorType);
  const expression = input.expression;
  if (evaluatorType !== 'value-param' && !JAVASCRIPT_EVALUATORS.has(evaluatorType)) {
    return failed(
      task,
      ctx,
      'FAILED_WITH_TERMINAL_ERROR',
      `Unknown evaluator '${evaluatorType}' in Inline task.`,
    );
  }
  if (typeof expression !== 'string' || expression.trim() === '') {
    return failed(
      task,
      ctx,
      'FAILED_WITH_TERMINAL_ERROR',
      "Empty 'expression' in Inline task's input parameters. A non-empty String value must be provided.",
    );
  }
  if (evaluatorType === 'value-param') return completed(task, ctx, input[expression] ?? null);
  try {
    return completed(task, ctx, await ctx.evaluate(expression, input));
  } catch (error) {
    const status = error instanceof ScriptError ? 'FAILED_WITH_TERMINAL_ERROR' : 'FAILED';
    return failed(task, ctx, status, messageOf(error));
  }
}

/** The evaluator name; absent or blank means javascript, as in Conductor. */
function evaluatorOf(value: unknown): string {
  if (value === undefined || value === null) return 'javascript';
  const name = String(value).trim();
  return name === '' ? 'javascript' : name;
}

function completed(task: Task, ctx: ExecuteContext, result: unknown): Task {
  return {
    ...task,
    status: 'COMPLETED',
    outputData: { ...task.outputData, result },
    startTime: ctx.now,
    endTime: ctx.now,
    updateTime: ctx.now,
  };
}

/** A failed script task: the reason also goes to `output.error` (INLINE and LAMBDA alike, as Conductor). */
export function failed(task: Task, ctx: ExecuteContext, status: TaskStatus, reason: string): Task {
  return {
    ...task,
    status,
    reasonForIncompletion: reason,
    outputData: { ...task.outputData, error: reason },
    startTime: ctx.now,
    endTime: ctx.now,
    updateTime: ctx.now,
  };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
