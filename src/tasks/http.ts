import { executeHttpRequest, type HttpRequest, HttpRequestError, type HttpResponse } from '../http/index.js';
import { prepareRequest } from '../http/prepare-request.js';
import type { Task } from '../model/task.js';
import type { BackgroundJob, BackgroundOutcome, ExecuteContext, TaskType } from './task-type.js';

/**
 * How long an IN_PROGRESS task may go without news before the engine looks at it again: a call still running
 * here just renews it; a call that is gone (the process stopped mid-call) is sent again.
 */
export const HTTP_LEASE_MS = 60_000;
/** How much of a failed response's body goes into the reason (Spring's HTTP errors also keep 200 chars). */
const REASON_BODY_CHARS = 200;

/**
 * HTTP (Conductor's `HttpTask`): calls `http_request` (or, without it, the task input itself) =
 * `{ uri, method, headers, body, contentType, accept, connectionTimeOut, readTimeOut }` and records
 * `output.response = { statusCode, headers, body, reasonPhrase }`. A 2xx response completes the task (or leaves
 * it IN_PROGRESS with `asyncComplete`, for an external update); any other status fails it with
 * `Failed to invoke HTTP task due to: <status> <reason>[: <body>]`, so the TaskDef's retries apply. A call that
 * gets no response (timeout, refused connection, bad URL) fails it too.
 *
 * The call never holds the workflow: the first execute (once the task is committed, and after any retry delay)
 * checks the request, moves the task to IN_PROGRESS and starts the call in the background; the response is
 * applied later in a unit of work of its own, so other branches and API calls on the workflow go on meanwhile.
 * A request that cannot be sent (no uri or method, a malformed uri) fails the task at once.
 */
export const httpTask: TaskType = {
  type: 'HTTP',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  execute(task, ctx) {
    if (task.status === 'SCHEDULED') {
      // The outcome comes back by task id, so the call waits until the task is committed: a unit of work
      // redone after a failed commit would create another task, and send a second request.
      if (ctx.isNew(task) || ctx.now < startsAt(task)) return null;
      return start(task, ctx);
    }
    if (awaitsCompletion(task) || ctx.now < leaseEnd(task)) return null;
    // The lease lapsed: a call still running here goes on (no-op), one that is gone is sent again.
    ctx.runInBackground(task, httpJob(task));
    return { ...task, updateTime: ctx.now };
  },
  wakeAt(task) {
    if (task.status === 'SCHEDULED') return startsAt(task);
    return awaitsCompletion(task) ? null : leaseEnd(task);
  },
  cancel: (task, ctx) => ctx.cancelBackground(task),
};

/** Checks the request and starts the call; an unusable request fails the task without a call. */
function start(task: Task, ctx: ExecuteContext): Task {
  try {
    prepareRequest(requestOf(task));
  } catch (error) {
    return {
      ...task,
      status: 'FAILED',
      reasonForIncompletion: messageOf(error),
      startTime: ctx.now,
      endTime: ctx.now,
      updateTime: ctx.now,
    };
  }
  const started: Task = { ...task, status: 'IN_PROGRESS', startTime: ctx.now, updateTime: ctx.now };
  ctx.runInBackground(started, httpJob(started));
  return started;
}

/** The call and what its response makes of the task. */
function httpJob(task: Task): BackgroundJob {
  const asyncComplete = task.workflowTask.asyncComplete === true;
  return async (signal) => {
    try {
      const response = await executeHttpRequest(requestOf(task), { signal });
      return outcomeOf(response, asyncComplete);
    } catch (error) {
      const message = messageOf(error);
      const reason =
        error instanceof HttpRequestError && error.kind === 'invalid'
          ? message
          : `Failed to invoke HTTP task due to: ${message}`;
      // Conductor puts the exception's text where the response would be.
      return { status: 'FAILED', reasonForIncompletion: reason, outputData: { response: reason } };
    }
  };
}

function outcomeOf(response: HttpResponse, asyncComplete: boolean): BackgroundOutcome {
  if (response.statusCode >= 200 && response.statusCode < 300) {
    return { status: asyncComplete ? 'IN_PROGRESS' : 'COMPLETED', outputData: { response } };
  }
  return {
    status: 'FAILED',
    reasonForIncompletion: `Failed to invoke HTTP task due to: ${statusText(response)}`,
    outputData: { response },
  };
}

/** `500 Internal Server Error: <body>`, the body cut to a readable length. */
function statusText(response: HttpResponse): string {
  const line = `${response.statusCode} ${response.reasonPhrase}`.trim();
  if (response.body === null || response.body === undefined) return line;
  const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  const shown = body.length > REASON_BODY_CHARS ? `${body.slice(0, REASON_BODY_CHARS)}...` : body;
  return `${line}: ${shown}`;
}

/** `http_request`, or the task input itself when there is none (as newer Conductor versions accept). */
function requestOf(task: Task): HttpRequest {
  const request = task.inputData.http_request;
  if (request === undefined || request === null) return task.inputData as HttpRequest;
  if (typeof request !== 'object' || Array.isArray(request)) {
    throw new HttpRequestError('invalid', "Invalid HTTP request: 'http_request' must be an object");
  }
  return request as HttpRequest;
}

/** When a SCHEDULED task may call: after its `callbackAfterSeconds` (retry delay, startDelay). */
function startsAt(task: Task): number {
  return task.scheduledTime + task.callbackAfterSeconds * 1000;
}

function leaseEnd(task: Task): number {
  return task.updateTime + HTTP_LEASE_MS;
}

/** An asyncComplete task that has its response waits for an external update, with no call running. */
function awaitsCompletion(task: Task): boolean {
  return task.workflowTask.asyncComplete === true && task.outputData.response !== undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
