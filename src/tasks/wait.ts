import { parseWaitDuration, parseWaitUntil } from '../model/duration.js';
import type { Task } from '../model/task.js';
import type { TaskType } from './task-type.js';

/** Conductor's `callbackAfterSeconds` for a WAIT with neither input (Integer.MAX_VALUE): it waits forever. */
const FOREVER_SECONDS = 2_147_483_647;

/** What a WAIT's inputs ask for. */
type WaitPlan =
  | { readonly kind: 'duration'; readonly ms: number }
  | { readonly kind: 'until'; readonly at: number }
  | { readonly kind: 'forever' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * WAIT (Conductor's `WaitTaskMapper` + `Wait`): waits for `duration` ("10s", "1d 2h", "5 minutes") or until
 * `until` ("yyyy-MM-dd HH:mm[ z]", "yyyy-MM-dd"; UTC without a zone), then completes by itself; with neither it
 * waits until `updateTask` completes it. Both inputs, or one that does not parse, fail it for good.
 *
 * Created IN_PROGRESS (`startTime` = now), or FAILED_WITH_TERMINAL_ERROR when its inputs are invalid, as
 * Conductor's mapper does. The end instant (Conductor's `Task.waitTimeout`, which this Task shape does not carry)
 * is not stored: it is derived from the resolved input and `startTime`, so it survives restarts and needs no
 * extra field. It completes when `now >= waitTimeout` (DESIGN.md 2a), at exactly that instant through `wakeAt`.
 * `callbackAfterSeconds` is set as Conductor sets it, for display only.
 */
export const waitTask: TaskType = {
  type: 'WAIT',
  kind: 'system',
  schedule: (ctx) => [start(ctx.createTask(), ctx.now)],
  execute(task, ctx) {
    // A retry copy comes back SCHEDULED: after its retry delay, its wait starts again from then.
    if (task.status === 'SCHEDULED') {
      return ctx.now >= retryStartAt(task) ? { ...start(task, ctx.now), updateTime: ctx.now } : null;
    }
    return isDue(task, ctx.now) ? complete(task, ctx.now) : null;
  },
  wakeAt: (task) => (task.status === 'SCHEDULED' ? retryStartAt(task) : waitTimeout(task)),
};

function start(task: Task, now: number): Task {
  const plan = waitPlan(task.inputData);
  if (plan.kind === 'invalid') {
    return {
      ...task,
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: plan.reason,
      startTime: now,
      endTime: now,
    };
  }
  return {
    ...task,
    status: 'IN_PROGRESS',
    startTime: now,
    callbackAfterSeconds: callbackAfterSeconds(plan, now),
  };
}

/** When a SCHEDULED (retried) WAIT starts: after its `callbackAfterSeconds`, as Conductor queues it. */
function retryStartAt(task: Task): number {
  return task.scheduledTime + task.callbackAfterSeconds * 1000;
}

function complete(task: Task, now: number): Task {
  return { ...task, status: 'COMPLETED', endTime: now, updateTime: now };
}

function isDue(task: Task, now: number): boolean {
  const at = waitTimeout(task);
  return at !== null && now >= at;
}

/** The instant a started WAIT ends (epoch ms), or null when it waits for an external update. */
export function waitTimeout(task: Task): number | null {
  const plan = waitPlan(task.inputData);
  if (plan.kind === 'duration') return task.startTime + plan.ms;
  if (plan.kind === 'until') return plan.at;
  return null;
}

function callbackAfterSeconds(plan: WaitPlan, now: number): number {
  if (plan.kind === 'duration') return Math.floor(plan.ms / 1000);
  if (plan.kind === 'until') return Math.max(0, Math.floor((plan.at - now) / 1000));
  return FOREVER_SECONDS;
}

/** Reads `duration` / `until` as Conductor does: a null or blank value counts as absent. */
function waitPlan(input: Record<string, unknown>): WaitPlan {
  const duration = text(input.duration);
  const until = text(input.until);
  if (duration && until) {
    return {
      kind: 'invalid',
      reason: "Both 'duration' and 'until' specified. Please provide only one input",
    };
  }
  if (duration) {
    const ms = parseWaitDuration(duration);
    return ms === null
      ? { kind: 'invalid', reason: `Not valid duration: ${duration}` }
      : { kind: 'duration', ms };
  }
  if (until) {
    const at = parseWaitUntil(until);
    return at === null
      ? { kind: 'invalid', reason: `Invalid/Unsupported Wait Until format.  Provided: ${until}` }
      : { kind: 'until', at };
  }
  return { kind: 'forever' };
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}
