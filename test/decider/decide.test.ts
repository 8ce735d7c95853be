import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decider/decide.js';
import type { Task, TaskDef, WorkflowDef, WorkflowRecord, WorkflowTask } from '../../src/index.js';
import {
  deciderInput,
  deepFreeze,
  endedTask,
  runningTask,
  s,
  step,
  T0,
  taskDef,
  taskOf,
  workflowDef,
  workflowRecord,
} from '../helpers/fixtures.js';

/**
 * A two-step workflow `a` → `b`: a's input comes from the workflow input, b's from a's output. Built afresh for
 * every case (the decider caches per definition object).
 */
function twoSteps(
  options: {
    a?: Partial<WorkflowTask>;
    aDef?: Partial<TaskDef>;
    b?: Partial<WorkflowTask>;
    wf?: Partial<WorkflowDef>;
  } = {},
) {
  const a = step('task_a', 'a', {
    inputParameters: { p: '${workflow.input.x}', lit: 5, id: '${CPEWF_TASK_ID}' },
    taskDefinition: taskDef('task_a', options.aDef),
    ...options.a,
  });
  const b = step('task_b', 'b', {
    inputParameters: { fromA: '${a.output.v}', x: '${workflow.input.x}', missing: '${a.output.nope}' },
    taskDefinition: taskDef('task_b'),
    ...options.b,
  });
  const def = workflowDef([a, b], options.wf);
  return { a, b, def };
}

function run(workflow: WorkflowRecord, tasks: Task[], now: number) {
  return decide(deciderInput(workflow, tasks, now));
}

const FAILURE = (id: string, status: string, reason: string) =>
  `Task ${id} failed with status: ${status} and reason: '${reason}'`;

describe('decide: moving forward', () => {
  it('schedules the first task of a new workflow with its input resolved', () => {
    const { def } = twoSteps();
    const d = run(workflowRecord(def, { input: { x: 'X' } }), [], T0 + 5);

    expect(d.outcome).toBeNull();
    expect(d.updated).toEqual([]);
    expect(d.scheduled).toHaveLength(1);
    const [t] = d.scheduled;
    expect(t).toMatchObject({
      taskId: 'new-1',
      taskType: 'task_a',
      taskDefName: 'task_a',
      referenceTaskName: 'a',
      status: 'SCHEDULED',
      seq: 1,
      retryCount: 0,
      retriedTaskId: null,
      retried: false,
      executed: false,
      pollCount: 0,
      scheduledTime: T0 + 5,
      startTime: 0,
      endTime: 0,
      callbackAfterSeconds: 0,
      responseTimeoutSeconds: 300,
      workflowInstanceId: 'wf-1',
      workflowType: 'test_wf',
      workerId: null,
      domain: null,
      iteration: 0,
    });
    // `${CPEWF_TASK_ID}` is the id of the task being scheduled.
    expect(t.inputData).toEqual({ p: 'X', lit: 5, id: 'new-1' });
    // A SCHEDULED task without a poll timeout has no deadline.
    expect(d.wakeAt).toBeNull();
  });

  it("fills the TaskDef's inputTemplate under the step's inputs and for keys that resolved to null", () => {
    const { def } = twoSteps({
      aDef: { inputTemplate: { p: 'default-p', extra: 'from-template' } },
      a: { inputParameters: { p: '${workflow.input.absent}', lit: 1 } },
    });
    const [t] = run(workflowRecord(def), [], T0).scheduled;
    expect(t.inputData).toEqual({ p: 'default-p', lit: 1, extra: 'from-template' });
  });

  it('marks a completed task executed and schedules the next with inputs from its output', () => {
    const { a, def } = twoSteps();
    const done = endedTask(a, 'COMPLETED', T0 + s(3), { outputData: { v: 7 } });
    const d = run(workflowRecord(def, { input: { x: 'X' } }), [done], T0 + s(3));

    expect(d.outcome).toBeNull();
    expect(d.updated).toEqual([{ ...done, executed: true }]);
    expect(d.scheduled).toHaveLength(1);
    expect(d.scheduled[0]).toMatchObject({
      referenceTaskName: 'b',
      seq: 2,
      status: 'SCHEDULED',
      scheduledTime: T0 + s(3),
    });
    expect(d.scheduled[0].inputData).toEqual({ fromA: 7, x: 'X', missing: null });
  });

  it('completes the workflow when the last task completed', () => {
    const { a, b, def } = twoSteps();
    const tasks = [
      endedTask(a, 'COMPLETED', T0 + 1, { executed: true }),
      endedTask(b, 'COMPLETED', T0 + 2, { taskId: 'b-0', seq: 2 }),
    ];
    const d = run(workflowRecord(def), tasks, T0 + 2);

    expect(d.outcome).toEqual({ status: 'COMPLETED', reason: null, task: null });
    expect(d.scheduled).toEqual([]);
    expect(d.updated).toEqual([{ ...tasks[1], executed: true }]);
    expect(d.wakeAt).toBeNull();
  });

  it('does nothing while a task runs within its deadlines, and wakes at the response timeout', () => {
    const { a, def } = twoSteps({ aDef: { responseTimeoutSeconds: 30 } });
    const running = runningTask(a, T0, { responseTimeoutSeconds: 30 });
    const d = run(workflowRecord(def), [running], T0 + s(29));
    expect(d).toEqual({ scheduled: [], updated: [], outcome: null, wakeAt: T0 + s(30) });
  });

  it('moves past a retried failure to the successful copy, and completes after the chain', () => {
    const { a, b, def } = twoSteps();
    const failed = endedTask(a, 'FAILED', T0 + 1, { retried: true, reasonForIncompletion: 'boom' });
    const copy = endedTask(a, 'COMPLETED', T0 + 2, {
      taskId: 'a-1',
      seq: 2,
      retryCount: 1,
      retriedTaskId: 'a-0',
    });
    const d1 = run(workflowRecord(def), [failed, copy], T0 + 2);
    expect(d1.updated).toEqual([{ ...copy, executed: true }]);
    expect(d1.scheduled.map((t) => [t.referenceTaskName, t.seq])).toEqual([['b', 3]]);

    const bDone = endedTask(b, 'COMPLETED', T0 + 3, { taskId: 'b-0', seq: 3 });
    const d2 = run(workflowRecord(def), [failed, { ...copy, executed: true }, bDone], T0 + 3);
    expect(d2.outcome?.status).toBe('COMPLETED');
  });
});

describe('decide: failures and retries', () => {
  it('retries a failed task with retries left: new id, retriedTaskId, retryCount + 1, the delay as callback', () => {
    const { a, def } = twoSteps({ aDef: { retryCount: 2, retryDelaySeconds: 10 } });
    const failed = endedTask(a, 'FAILED', T0 + s(1), {
      inputData: { p: 'old', lit: 5, id: 'a-0', stale: true },
      outputData: { partial: 1 },
      reasonForIncompletion: 'boom',
    });
    const d = run(workflowRecord(def, { input: { x: 'X' } }), [failed], T0 + s(2));

    expect(d.outcome).toBeNull();
    expect(d.updated).toEqual([{ ...failed, retried: true }]);
    expect(d.scheduled).toHaveLength(1);
    const copy = d.scheduled[0];
    expect(copy).toMatchObject({
      taskId: 'new-1',
      retriedTaskId: 'a-0',
      retryCount: 1,
      status: 'SCHEDULED',
      referenceTaskName: 'a',
      seq: 2,
      retried: false,
      executed: false,
      pollCount: 0,
      scheduledTime: T0 + s(2),
      startTime: 0,
      endTime: 0,
      workerId: null,
      outputData: {},
      reasonForIncompletion: 'boom',
      callbackAfterSeconds: 10,
      startDelayInSeconds: 10,
    });
    // The old input is kept and the step's parameters are resolved again (CPEWF_TASK_ID is the new id).
    expect(copy.inputData).toEqual({ p: 'X', lit: 5, id: 'new-1', stale: true });
  });

  it('uses the retry formula of the TaskDef with the failed attempt number', () => {
    const { a, def } = twoSteps({
      aDef: { retryCount: 5, retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 3 },
    });
    const failed = endedTask(a, 'FAILED', T0, { taskId: 'a-2', retryCount: 2, seq: 3 });
    const [copy] = run(workflowRecord(def), [failed], T0).scheduled;
    expect(copy).toMatchObject({ retryCount: 3, retriedTaskId: 'a-2', seq: 4, callbackAfterSeconds: 12 });
  });

  it('fails the workflow on FAILED_WITH_TERMINAL_ERROR even with retries left', () => {
    const { a, def } = twoSteps({ aDef: { retryCount: 3 } });
    const failed = endedTask(a, 'FAILED_WITH_TERMINAL_ERROR', T0, { reasonForIncompletion: 'fatal' });
    const d = run(workflowRecord(def), [failed], T0);

    expect(d.scheduled).toEqual([]);
    expect(d.outcome).toEqual({ status: 'FAILED', reason: FAILURE('a-0', 'FAILED', 'fatal'), task: failed });
    expect(d.wakeAt).toBeNull();
  });

  it.each([
    ['FAILED', 'FAILED'],
    ['TIMED_OUT', 'TIMED_OUT'],
    ['CANCELED', 'TERMINATED'],
  ] as const)(
    'ends the workflow when retries are exhausted: a %s task makes it %s',
    (taskStatus, wfStatus) => {
      const { a, def } = twoSteps({ aDef: { retryCount: 2 } });
      const last = endedTask(a, taskStatus, T0, {
        taskId: 'a-2',
        retryCount: 2,
        reasonForIncompletion: 'again',
      });
      const d = run(workflowRecord(def), [last], T0);
      expect(d.scheduled).toEqual([]);
      expect(d.outcome).toEqual({ status: wfStatus, reason: FAILURE('a-2', wfStatus, 'again'), task: last });
    },
  );

  it("honours a step-level retryCount over the TaskDef's", () => {
    const none = twoSteps({ aDef: { retryCount: 3 }, a: { retryCount: 0 } });
    const failed = endedTask(none.a, 'FAILED', T0, { reasonForIncompletion: 'x' });
    expect(run(workflowRecord(none.def), [failed], T0).outcome?.status).toBe('FAILED');

    const more = twoSteps({ aDef: { retryCount: 0 }, a: { retryCount: 1 } });
    const failedOnce = endedTask(more.a, 'FAILED', T0);
    expect(run(workflowRecord(more.def), [failedOnce], T0).scheduled.map((t) => t.retryCount)).toEqual([1]);
  });

  it('lets an optional task that failed for the last time end COMPLETED_WITH_ERRORS and goes on', () => {
    const { a, def } = twoSteps({ aDef: { retryCount: 0 }, a: { optional: true } });
    const failed = endedTask(a, 'FAILED', T0, { reasonForIncompletion: 'meh', outputData: { v: 1 } });
    const d = run(workflowRecord(def), [failed], T0);

    expect(d.outcome).toBeNull();
    expect(d.updated).toEqual([{ ...failed, status: 'COMPLETED_WITH_ERRORS', executed: true }]);
    expect(d.scheduled.map((t) => [t.referenceTaskName, t.status, t.inputData.fromA])).toEqual([
      ['b', 'SCHEDULED', 1],
    ]);
  });

  it('treats permissive + optional like optional', () => {
    const { a, b, def } = twoSteps({ aDef: { retryCount: 0 }, a: { optional: true, permissive: true } });
    const failed = endedTask(a, 'FAILED', T0);
    const d = run(workflowRecord(def), [failed], T0);
    expect(d.updated[0].status).toBe('COMPLETED_WITH_ERRORS');
    const tasks = [d.updated[0], endedTask(b, 'COMPLETED', T0 + 1, { taskId: 'b-0', seq: 2 })];
    expect(run(workflowRecord(def), tasks, T0 + 1).outcome?.status).toBe('COMPLETED');
  });

  it('lets a permissive task stay FAILED, schedules the next, and fails the workflow at its end', () => {
    const { a, b, def } = twoSteps({ aDef: { retryCount: 0 }, a: { permissive: true } });
    const failed = endedTask(a, 'FAILED', T0, { reasonForIncompletion: 'NETWORK ERROR' });
    const d1 = run(workflowRecord(def), [failed], T0);

    expect(d1.outcome).toBeNull();
    expect(d1.updated).toEqual([{ ...failed, executed: true }]);
    expect(d1.scheduled.map((t) => t.referenceTaskName)).toEqual(['b']);

    const bDone = endedTask(b, 'COMPLETED', T0 + 1, { taskId: 'b-0', seq: 2 });
    const d2 = run(workflowRecord(def), [d1.updated[0], bDone], T0 + 1);
    expect(d2.outcome).toEqual({
      status: 'FAILED',
      reason: FAILURE('a-0', 'FAILED', 'NETWORK ERROR'),
      task: d1.updated[0],
    });
  });

  it('retries a permissive task before letting it pass', () => {
    const { a, def } = twoSteps({ aDef: { retryCount: 1, retryDelaySeconds: 0 }, a: { permissive: true } });
    const d = run(workflowRecord(def), [endedTask(a, 'FAILED', T0)], T0);
    expect(d.scheduled.map((t) => [t.referenceTaskName, t.retryCount, t.callbackAfterSeconds])).toEqual([
      ['a', 1, 0],
    ]);
  });
});

describe('decide: task timeouts', () => {
  it('times out a polled task whose worker went silent for responseTimeoutSeconds, then retries it', () => {
    // The response timeout applies whatever the timeoutPolicy says.
    const { a, def } = twoSteps({
      aDef: { responseTimeoutSeconds: 10, timeoutPolicy: 'TIME_OUT_WF', retryDelaySeconds: 0 },
    });
    const running = runningTask(a, T0, { responseTimeoutSeconds: 10 });
    const d = run(workflowRecord(def), [running], T0 + s(10));

    expect(d.outcome).toBeNull();
    expect(d.updated).toHaveLength(1);
    expect(d.updated[0]).toMatchObject({
      taskId: 'a-0',
      status: 'TIMED_OUT',
      endTime: T0 + s(10),
      retried: true,
    });
    expect(d.updated[0].reasonForIncompletion).toContain('responseTimeout: 10');
    expect(d.scheduled.map((t) => [t.taskId, t.retriedTaskId, t.retryCount, t.status])).toEqual([
      ['new-1', 'a-0', 1, 'SCHEDULED'],
    ]);
  });

  it('measures the response timeout from the last update plus callbackAfterSeconds', () => {
    const { a, def } = twoSteps({ aDef: { responseTimeoutSeconds: 10 } });
    const running = runningTask(a, T0, {
      responseTimeoutSeconds: 10,
      updateTime: T0 + s(5),
      callbackAfterSeconds: 2,
    });
    expect(run(workflowRecord(def), [running], T0 + s(16) + 999).wakeAt).toBe(T0 + s(17));
    expect(run(workflowRecord(def), [running], T0 + s(17)).updated[0].status).toBe('TIMED_OUT');
  });

  const timedOutAt30 = (policy: 'RETRY' | 'TIME_OUT_WF' | 'ALERT_ONLY') => {
    const { a, def } = twoSteps({
      aDef: { timeoutSeconds: 30, responseTimeoutSeconds: 30, timeoutPolicy: policy, retryDelaySeconds: 0 },
    });
    // Polled at T0, lease extended at T0+20 s: the response timeout is at T0+50 s, the task timeout at T0+30 s.
    const running = runningTask(a, T0, { responseTimeoutSeconds: 30, updateTime: T0 + s(20) });
    return { def, running };
  };

  it('wakes at the earlier of the task and response timeouts', () => {
    const { def, running } = timedOutAt30('RETRY');
    expect(run(workflowRecord(def), [running], T0 + s(30) - 1)).toEqual({
      scheduled: [],
      updated: [],
      outcome: null,
      wakeAt: T0 + s(30),
    });
  });

  it('timeoutSeconds with RETRY: TIMED_OUT, then a retry copy', () => {
    const { def, running } = timedOutAt30('RETRY');
    const d = run(workflowRecord(def), [running], T0 + s(30));
    expect(d.outcome).toBeNull();
    expect(d.updated).toHaveLength(1);
    expect(d.updated[0]).toMatchObject({ status: 'TIMED_OUT', retried: true, endTime: T0 + s(30) });
    expect(d.updated[0].reasonForIncompletion).toBe(
      'Task timed out after 30 seconds. Timeout configured as 30 seconds. Timeout policy configured to RETRY',
    );
    expect(d.scheduled.map((t) => [t.retriedTaskId, t.retryCount])).toEqual([['a-0', 1]]);
  });

  it('timeoutSeconds with TIME_OUT_WF: the task and the workflow time out, no retry', () => {
    const { def, running } = timedOutAt30('TIME_OUT_WF');
    const d = run(workflowRecord(def), [running], T0 + s(30));
    expect(d.scheduled).toEqual([]);
    expect(d.updated).toHaveLength(1);
    expect(d.updated[0]).toMatchObject({ status: 'TIMED_OUT', retried: false });
    expect(d.outcome).toEqual({
      status: 'TIMED_OUT',
      reason:
        'Task timed out after 30 seconds. Timeout configured as 30 seconds. Timeout policy configured to TIME_OUT_WF',
      task: d.updated[0],
    });
    expect(d.wakeAt).toBeNull();
  });

  it('timeoutSeconds with ALERT_ONLY: nothing changes, the response timeout still stands', () => {
    const { def, running } = timedOutAt30('ALERT_ONLY');
    const d = run(workflowRecord(def), [running], T0 + s(30));
    expect(d).toEqual({ scheduled: [], updated: [], outcome: null, wakeAt: T0 + s(50) });
  });

  it('pollTimeoutSeconds: a task nobody polled times out per its policy', () => {
    const make = (policy: 'RETRY' | 'TIME_OUT_WF') => {
      const { a, def } = twoSteps({
        aDef: { pollTimeoutSeconds: 5, timeoutPolicy: policy, retryDelaySeconds: 0 },
      });
      return { def, waiting: taskOf(a, { scheduledTime: T0 }) };
    };
    const early = make('RETRY');
    expect(run(workflowRecord(early.def), [early.waiting], T0 + s(5) - 1)).toEqual({
      scheduled: [],
      updated: [],
      outcome: null,
      wakeAt: T0 + s(5),
    });

    const retry = run(workflowRecord(early.def), [early.waiting], T0 + s(5));
    expect(retry.updated[0]).toMatchObject({ status: 'TIMED_OUT', retried: true });
    expect(retry.updated[0].reasonForIncompletion).toContain('poll timed out after 5 seconds');
    expect(retry.scheduled.map((t) => [t.retriedTaskId, t.retryCount])).toEqual([['a-0', 1]]);
    // The copy has its own poll deadline, which the decision asks to wake for.
    expect(retry.wakeAt).toBe(T0 + s(10));

    const fail = make('TIME_OUT_WF');
    const d = run(workflowRecord(fail.def), [fail.waiting], T0 + s(5));
    expect(d.outcome?.status).toBe('TIMED_OUT');
    expect(d.scheduled).toEqual([]);
  });

  it('does not poll-time-out a task that was polled', () => {
    const { a, def } = twoSteps({ aDef: { pollTimeoutSeconds: 5 } });
    const d = run(workflowRecord(def), [runningTask(a, T0 + s(4))], T0 + s(100));
    expect(d.updated).toEqual([]);
    expect(d.wakeAt).toBe(T0 + s(4) + s(300));
  });
});

describe('decide: workflow state', () => {
  const timedWorkflow = (policy: 'TIME_OUT_WF' | 'ALERT_ONLY') => {
    const { a, def } = twoSteps({ wf: { timeoutSeconds: 60, timeoutPolicy: policy } });
    return { a, def };
  };

  it('workflow timeoutSeconds with TIME_OUT_WF: TIMED_OUT at exactly createTime + timeout', () => {
    const { a, def } = timedWorkflow('TIME_OUT_WF');
    const tasks = [runningTask(a, T0 + s(1))];
    const before = run(workflowRecord(def), tasks, T0 + s(60) - 1);
    expect(before.outcome).toBeNull();
    expect(before.wakeAt).toBe(T0 + s(60));

    const d = run(workflowRecord(def), tasks, T0 + s(60));
    expect(d.outcome).toEqual({
      status: 'TIMED_OUT',
      reason:
        'Workflow timed out after 60 seconds. Timeout configured as 60 seconds. Timeout policy configured to TIME_OUT_WF',
      task: null,
    });
    expect(d.scheduled).toEqual([]);
    expect(d.updated).toEqual([]);
  });

  it('workflow timeout counts from the last retry when there was one', () => {
    const { a, def } = timedWorkflow('TIME_OUT_WF');
    const wf = workflowRecord(def, { lastRetriedTime: T0 + s(100) });
    const tasks = [runningTask(a, T0 + s(100))];
    expect(run(wf, tasks, T0 + s(159)).outcome).toBeNull();
    expect(run(wf, tasks, T0 + s(160)).outcome?.status).toBe('TIMED_OUT');
  });

  it('workflow timeoutSeconds with ALERT_ONLY: the workflow goes on', () => {
    const { a, def } = timedWorkflow('ALERT_ONLY');
    const done = endedTask(a, 'COMPLETED', T0 + s(61));
    const d = run(workflowRecord(def), [done], T0 + s(61));
    expect(d.outcome).toBeNull();
    expect(d.scheduled.map((t) => t.referenceTaskName)).toEqual(['b']);
  });

  it('a PAUSED workflow schedules nothing, but still times out', () => {
    const { a, def } = timedWorkflow('TIME_OUT_WF');
    const done = endedTask(a, 'COMPLETED', T0 + s(1));
    const paused = workflowRecord(def, { status: 'PAUSED' });
    expect(run(paused, [done], T0 + s(2))).toEqual({
      scheduled: [],
      updated: [],
      outcome: null,
      wakeAt: T0 + s(60),
    });
    expect(run(paused, [done], T0 + s(60)).outcome?.status).toBe('TIMED_OUT');
  });

  it.each(['COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'] as const)(
    'a %s workflow gets an empty decision',
    (status) => {
      const { a, def } = twoSteps({
        aDef: { responseTimeoutSeconds: 1 },
        wf: { timeoutSeconds: 1, timeoutPolicy: 'TIME_OUT_WF' },
      });
      const tasks = [
        endedTask(a, 'FAILED', T0),
        runningTask(a, T0, { taskId: 'a-1', seq: 2, responseTimeoutSeconds: 1 }),
      ];
      expect(run(workflowRecord(def, { status }), tasks, T0 + s(3600))).toEqual({
        scheduled: [],
        updated: [],
        outcome: null,
        wakeAt: null,
      });
    },
  );

  it('wakeAt is the earliest pending deadline: task or workflow', () => {
    const withWorkflowTimeout = (seconds: number) => {
      const { a, def } = twoSteps({
        aDef: { responseTimeoutSeconds: 120 },
        wf: { timeoutSeconds: seconds, timeoutPolicy: 'TIME_OUT_WF' },
      });
      return run(
        workflowRecord(def),
        [runningTask(a, T0 + s(10), { responseTimeoutSeconds: 120 })],
        T0 + s(20),
      ).wakeAt;
    };
    expect(withWorkflowTimeout(100)).toBe(T0 + s(100));
    expect(withWorkflowTimeout(1000)).toBe(T0 + s(130));
  });

  it('a workflow whose only step was skipped completes', () => {
    const a = step('task_a', 'a');
    const def = workflowDef([a]);
    const skipped = taskOf(a, { status: 'SKIPPED', seq: 0 });
    expect(run(workflowRecord(def), [skipped], T0).outcome).toEqual({
      status: 'COMPLETED',
      reason: null,
      task: null,
    });
  });
});

describe('decide: purity', () => {
  it('never mutates its (deep-frozen) input and returns new objects', () => {
    const { a, b, def } = twoSteps({ aDef: { retryCount: 1, responseTimeoutSeconds: 5 } });
    const workflow = workflowRecord(def, { input: { x: 'X' } });
    const tasks = [
      endedTask(a, 'FAILED', T0, { retried: false, reasonForIncompletion: 'boom' }),
      runningTask(b, T0, { taskId: 'b-0', seq: 2, responseTimeoutSeconds: 5 }),
    ];
    const before = structuredClone({ workflow, tasks });
    const input = deciderInput(workflow, tasks, T0 + s(5));
    expect(Object.isFrozen(input.tasks[0].inputData)).toBe(true);

    const d = decide(input);

    // a is retried, b times out (response) and is retried: two changed tasks, two copies.
    expect(d.updated.map((t) => [t.taskId, t.status, t.retried])).toEqual([
      ['a-0', 'FAILED', true],
      ['b-0', 'TIMED_OUT', true],
    ]);
    expect(d.scheduled.map((t) => [t.retriedTaskId, t.seq])).toEqual([
      ['a-0', 3],
      ['b-0', 4],
    ]);
    expect(structuredClone({ workflow, tasks })).toEqual(before);
    for (const t of [...d.updated, ...d.scheduled]) expect(tasks).not.toContain(t);
  });

  it('reaches the same decision from the same input', () => {
    const { a, def } = twoSteps({ aDef: { retryCount: 2, retryDelaySeconds: 7 } });
    const wf = workflowRecord(def, { input: { x: 1 } });
    const tasks = [endedTask(a, 'FAILED', T0)];
    expect(decide(deciderInput(wf, tasks, T0 + 9))).toEqual(decide(deciderInput(wf, tasks, T0 + 9)));
  });

  it('deepFreeze makes a mutation throw (the guard above is real)', () => {
    const frozen = deepFreeze({ nested: { list: [1] } });
    expect(() => {
      (frozen.nested.list as number[]).push(2);
    }).toThrow(TypeError);
  });
});
