import { effectiveTaskDef } from '../decider/task-defs.js';
import { resolveTaskInput } from '../decider/task-input.js';
import { type ExpressionScope, resolveValue } from '../expressions/index.js';
import { templateFor } from '../expressions/template-cache.js';
import { isSuccessfulTask } from '../model/status.js';
import type { Task } from '../model/task.js';
import {
  bodyOutputs,
  dropOldIterations,
  isIterationComplete,
  iterationOutput,
  iterationTasks,
  loopScope,
  withEntries,
} from './loop-iteration.js';
import type { ExecuteContext, TaskType } from './task-type.js';

/**
 * DO_WHILE (Conductor's `DoWhileTaskMapper` + `DoWhile`): runs its `loopOver` body, then evaluates
 * `loopCondition` and runs the body again while it holds. The body always runs at least once.
 *
 * - Body tasks get the reference name `<ref>__<N>` and `iteration` N; the loop task's `iteration` and
 *   `output.iteration` hold the current iteration. Only the body's first step is scheduled by the loop; the rest
 *   follow normal navigation (after the body's last step the navigation returns to the loop, which exists).
 * - After each iteration, `output["<N>"] = { <ref>: output, … }` (latest retry copy of each task); an
 *   unsuccessful task (a permissive failure) fails the loop with its reason.
 * - `loopCondition` is JavaScript evaluated in the sandbox with `$` = the loop's `inputParameters` resolved now,
 *   plus `<loopRef>: loop output` and `<bodyRef>: latest output` for every body step; `true` or a number > 0
 *   continues (Conductor's `evalBool`); an evaluation error ends the loop FAILED_WITH_TERMINAL_ERROR.
 *   Baton extension: a condition that is exactly one `${...}` expression is resolved like any parameter (same
 *   scope as task inputs, with the loop's fresh output) and its value read with the same rule, no sandbox needed.
 * - `keepLastN` (input): only the last N iterations stay in the output.
 * - `items` (or `inputParameters._items`), newer Conductor: one iteration per item, `output.loopIndex` (0-based)
 *   and `output.loopItem`; an empty list completes at once with iteration 0; with a `loopCondition` as well,
 *   both must hold to go on.
 *
 * Each execute does one step: start (iteration 1), schedule the iteration's first task, or finish the iteration.
 * Starting an iteration and scheduling its first task are separate executes, so that the first task's input
 * (`${loop.iteration}`, `${loop.output.loopItem}`) already sees the new iteration; the engine runs both in the
 * same decide loop.
 */
export const doWhileTask: TaskType = {
  type: 'DO_WHILE',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask({ status: 'IN_PROGRESS', startTime: ctx.now })],
  execute: (loop, ctx) => advance(loop, ctx),
};

async function advance(loop: Task, ctx: ExecuteContext): Promise<Task | null> {
  if (loop.iteration === 0) return begin(loop, ctx);
  const current = iterationTasks(loop, ctx.tasks, ctx.index);
  if (current.length === 0) return scheduleIteration(loop, ctx);
  const failed = current.findIndex((t) => !isSuccessfulTask(t.status));
  if (failed >= 0) return fail(loop, ctx, current.slice(0, failed + 1));
  if (!isIterationComplete(loop, current, ctx.index)) return null;
  return finishIteration(loop, ctx, current);
}

/** The first execute: iteration 1 (or, over an empty `items` list, done with iteration 0). */
function begin(loop: Task, ctx: ExecuteContext): Task {
  const items = loopItems(loop, loopScope(loop, ctx));
  if (items?.length === 0) {
    return done(loop, ctx, 'COMPLETED', { ...loop.outputData, iteration: 0 });
  }
  return startIteration(loop, ctx, 1, loop.outputData, items);
}

/** Sets the loop to `iteration`; the next execute schedules that iteration's first task. */
function startIteration(
  loop: Task,
  ctx: ExecuteContext,
  iteration: number,
  output: Record<string, unknown>,
  items: readonly unknown[] | null,
): Task {
  const entries: Record<string, unknown> = { iteration };
  if (items) {
    entries.loopIndex = iteration - 1;
    if (iteration - 1 < items.length) entries.loopItem = items[iteration - 1];
  }
  return { ...loop, iteration, outputData: withEntries(output, entries), updateTime: ctx.now };
}

function scheduleIteration(loop: Task, ctx: ExecuteContext): Task | null {
  const first = loop.workflowTask.loopOver?.[0];
  if (!first) return done(loop, ctx, 'FAILED', loop.outputData, 'DO_WHILE has no loopOver tasks');
  const created = ctx.schedule(first, loop.iteration);
  // A new object even though nothing in it changed: it tells the engine to run another pass, in which the
  // first task (a system task, or a FORK created finished) is executed and navigated from.
  return created.length > 0 ? { ...loop, updateTime: ctx.now } : null;
}

/** A task of the iteration failed for good (Conductor reports the first failure, with a trailing space). */
function fail(loop: Task, ctx: ExecuteContext, upToFailure: readonly Task[]): Task {
  const failure = upToFailure[upToFailure.length - 1];
  const output = recordIteration(loop, upToFailure);
  return done(loop, ctx, 'FAILED', output, `${failure.reasonForIncompletion} `);
}

async function finishIteration(loop: Task, ctx: ExecuteContext, current: readonly Task[]): Promise<Task> {
  const recorded: Task = { ...loop, outputData: recordIteration(loop, current) };
  const scope = loopScope(recorded, ctx);
  const items = loopItems(recorded, scope);
  let goOn: boolean;
  try {
    goOn = await shouldContinue(recorded, ctx, scope, items);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = `Unable to evaluate condition ${loop.workflowTask.loopCondition}, exception ${message}`;
    return done(recorded, ctx, 'FAILED_WITH_TERMINAL_ERROR', recorded.outputData, reason);
  }
  if (!goOn) return done(recorded, ctx, 'COMPLETED', recorded.outputData);
  return startIteration(recorded, ctx, loop.iteration + 1, recorded.outputData, items);
}

/** The output with this iteration's `"<N>"` entry added and old ones dropped per `keepLastN`. */
function recordIteration(loop: Task, tasks: readonly Task[]): Record<string, unknown> {
  const output = withEntries(loop.outputData, { [String(loop.iteration)]: iterationOutput(tasks) });
  dropOldIterations(loop, output);
  return output;
}

function done(
  loop: Task,
  ctx: ExecuteContext,
  status: Task['status'],
  outputData: Record<string, unknown>,
  reason: string | null = null,
): Task {
  return {
    ...loop,
    status,
    outputData,
    reasonForIncompletion: reason,
    endTime: ctx.now,
    updateTime: ctx.now,
  };
}

/** Whether another iteration runs (Conductor's `evaluateCondition`); throws when the condition cannot run. */
async function shouldContinue(
  loop: Task,
  ctx: ExecuteContext,
  scope: ExpressionScope,
  items: readonly unknown[] | null,
): Promise<boolean> {
  const condition = loop.workflowTask.loopCondition;
  if (items) {
    const hasMore = loop.iteration - 1 < items.length - 1;
    if (!condition?.trim()) return hasMore;
    return (await evaluateCondition(condition, loop, ctx, scope, items)) && hasMore;
  }
  // No condition, or a blank one (Conductor's script engine returns undefined for it): one pass only.
  if (!condition?.trim()) return false;
  return evaluateCondition(condition, loop, ctx, scope, null);
}

async function evaluateCondition(
  condition: string,
  loop: Task,
  ctx: ExecuteContext,
  scope: ExpressionScope,
  items: readonly unknown[] | null,
): Promise<boolean> {
  const text = condition.trim();
  if (isSingleExpression(text)) return toBoolean(resolveValue(text, scope));
  const step = loop.workflowTask;
  const input: Record<string, unknown> = {
    ...resolveTaskInput(step, effectiveTaskDef(step, true), scope),
    [loop.referenceTaskName]: loop.outputData,
    ...bodyOutputs(loop, ctx.tasks),
  };
  if (items) {
    input.loopIndex = loop.iteration - 1;
    if (loop.iteration - 1 < items.length) input.loopItem = items[loop.iteration - 1];
  }
  return toBoolean(await ctx.evaluate(condition, input));
}

/** True for a string that is one `${...}` and nothing else (no valid JavaScript condition looks like that). */
function isSingleExpression(text: string): boolean {
  return text.includes('${') && templateFor(text).kind === 'single';
}

/** Conductor's `ScriptEvaluator.toBoolean`: a boolean as is, a number when > 0, anything else false. */
function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  return false;
}

/**
 * The list a DO_WHILE iterates over, or null when it is a plain condition loop: the `items` expression of the
 * step, else `inputParameters._items`, both resolved now. A single value is a one-item list.
 */
function loopItems(loop: Task, scope: ExpressionScope): readonly unknown[] | null {
  const step = loop.workflowTask;
  const itemsParam = typeof step.items === 'string' && step.items.trim() !== '' ? step.items : null;
  const underscore = step.inputParameters?._items;
  const hasUnderscore =
    (typeof underscore === 'string' && underscore.trim() !== '') || Array.isArray(underscore);
  if (itemsParam === null && !hasUnderscore) return null;
  let value = itemsParam === null ? null : resolveValue(itemsParam, scope);
  if ((value === null || value === undefined) && hasUnderscore) value = resolveValue(underscore, scope);
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
