import { describe, expect, it } from 'vitest';
import { type RetryLogic, type Task, type TaskDef, TerminalError } from '../../src/index.js';
import { advance, define, elapsed, setup, simple, T0, type TestEngine, taskList } from '../helpers/engine.js';

/**
 * A workflow `flaky` → `after` whose `flaky` handler fails `failures` times and then completes. Records each
 * task it receives and the clock offset at which it received it.
 */
async function flakyWorkflow(t: TestEngine, def: Omit<TaskDef, 'name'>, failures: number) {
  await define(
    t.engine,
    'wf',
    [simple('flaky'), simple('after', { inputParameters: { r: '${flaky.output.attempt}' } })],
    {
      taskDefs: [{ name: 'flaky', ...def }],
    },
  );
  const received: { task: Task; at: number }[] = [];
  t.engine.registerWorker('flaky', async (task) => {
    received.push({ task, at: elapsed(t.clock) });
    if (received.length <= failures) throw new Error(`boom ${received.length}`);
    return { outputData: { attempt: task.retryCount } };
  });
  t.engine.registerWorker('after', async (task) => ({ outputData: { saw: task.inputData.r } }));
  return received;
}

describe('retries through the engine', () => {
  it.each<[RetryLogic, Omit<TaskDef, 'name'>, number[]]>([
    ['FIXED', { retryDelaySeconds: 5 }, [5, 5, 5]],
    ['LINEAR_BACKOFF', { retryDelaySeconds: 2, backoffScaleFactor: 3 }, [6, 12, 18]],
    ['EXPONENTIAL_BACKOFF', { retryDelaySeconds: 1 }, [1, 2, 4]],
    ['EXPONENTIAL_BACKOFF', { retryDelaySeconds: 2, maxRetryDelaySeconds: 3 }, [2, 3, 3]],
  ])(
    '%s %o: each retry reaches the worker exactly its delay after the failure',
    async (retryLogic, def, gaps) => {
      const t = await setup();
      const received = await flakyWorkflow(t, { retryCount: 3, retryLogic, ...def }, 3);
      const id = await t.engine.startWorkflow({ name: 'wf' });
      await t.engine.idle();
      expect(received.map((r) => r.at)).toEqual([0]);

      let due = 0;
      for (const [i, gap] of gaps.entries()) {
        due += gap * 1000;
        // 1 ms before its due time the retry is waiting, unseen by the worker.
        await advance(t, due - 1 - elapsed(t.clock));
        expect(received).toHaveLength(i + 1);
        const waiting = (await t.engine.getWorkflow(id)).tasks.at(-1)!;
        expect(waiting).toMatchObject({ status: 'SCHEDULED', retryCount: i + 1, callbackAfterSeconds: gap });
        // At its due time the worker has it.
        await advance(t, 1);
        expect(received).toHaveLength(i + 2);
        expect(received[i + 1].at).toBe(due);
        expect(received[i + 1].task.retryCount).toBe(i + 1);
      }

      const wf = await t.engine.getWorkflow(id);
      expect(wf.status).toBe('COMPLETED');
      expect(wf.output).toEqual({ saw: 3 });
      const attempts = wf.tasks.filter((task) => task.referenceTaskName === 'flaky');
      expect(attempts.map((a) => [a.status, a.retryCount, a.seq, a.reasonForIncompletion])).toEqual([
        ['FAILED', 0, 1, 'boom 1'],
        ['FAILED', 1, 2, 'boom 2'],
        ['FAILED', 2, 3, 'boom 3'],
        ['COMPLETED', 3, 4, null],
      ]);
      // Each copy names the attempt it retries, was scheduled when that one failed, and started at its due time.
      for (let i = 1; i < attempts.length; i++) {
        expect(attempts[i].retriedTaskId).toBe(attempts[i - 1].taskId);
        expect(attempts[i].scheduledTime).toBe(attempts[i - 1].endTime);
        expect(attempts[i].startTime - attempts[i].scheduledTime).toBe(gaps[i - 1] * 1000);
      }
      expect(attempts[0].retriedTaskId).toBeNull();
      expect(new Set(attempts.map((a) => a.taskId)).size).toBe(4);
      expect(wf.tasks.map((task) => task.seq)).toEqual([1, 2, 3, 4, 5]);
      // Conductor keeps the failed ref even though a later attempt succeeded.
      expect(wf.failedReferenceTaskNames).toEqual(['flaky']);
      expect(wf.failedTaskNames).toEqual(['flaky']);
    },
  );

  it('an external worker cannot poll a retry 1 ms before its due time, and can at it', async () => {
    const t = await setup();
    await define(t.engine, 'ext', [simple('ext_task')], {
      taskDefs: [
        { name: 'ext_task', retryCount: 2, retryLogic: 'EXPONENTIAL_BACKOFF', retryDelaySeconds: 4 },
      ],
    });
    const id = await t.engine.startWorkflow({ name: 'ext' });
    const first = await t.engine.pollTask('ext_task', { workerId: 'ext-1' });
    expect(first).not.toBeNull();
    await advance(t, 500);
    await t.engine.updateTask({ taskId: first!.taskId, status: 'FAILED', reasonForIncompletion: 'nope' });

    // The delayed retry is waiting in the queue (counted), not visible.
    expect(await t.engine.getQueueSizes(['ext_task'])).toEqual({ ext_task: 1 });
    await advance(t, 4000 - 1);
    expect(await t.engine.pollTask('ext_task')).toBeNull();
    await advance(t, 1);
    const second = await t.engine.pollTask('ext_task');
    expect(second).toMatchObject({
      retryCount: 1,
      retriedTaskId: first!.taskId,
      status: 'IN_PROGRESS',
      scheduledTime: T0 + 500,
      startTime: T0 + 4500,
      pollCount: 1,
    });

    await t.engine.updateTask({ taskId: second!.taskId, status: 'FAILED', reasonForIncompletion: 'nope' });
    // Exponential: 4 s × 2^1.
    await advance(t, 8000 - 1);
    expect(await t.engine.pollTask('ext_task')).toBeNull();
    await advance(t, 1);
    const third = await t.engine.pollTask('ext_task');
    expect(third).toMatchObject({ retryCount: 2, retriedTaskId: second!.taskId, startTime: T0 + 12_500 });
    await t.engine.updateTask({ taskId: third!.taskId, status: 'COMPLETED', outputData: { ok: true } });
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('fails the workflow when retries are exhausted, with the reason and failed task names', async () => {
    const t = await setup();
    const received = await flakyWorkflow(t, { retryCount: 2, retryDelaySeconds: 1 }, 99);
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await advance(t, 1000);
    await advance(t, 1000);
    // A later tick finds nothing left to run.
    await advance(t, 3_600_000);

    expect(received.map((r) => [r.at, r.task.retryCount])).toEqual([
      [0, 0],
      [1000, 1],
      [2000, 2],
    ]);
    const wf = await t.engine.getWorkflow(id);
    const last = wf.tasks[2];
    expect(wf).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: `Task ${last.taskId} failed with status: FAILED and reason: 'boom 3'`,
      failedReferenceTaskNames: ['flaky'],
      failedTaskNames: ['flaky'],
      failedTaskId: last.taskId,
      endTime: T0 + 2000,
    });
    expect(await taskList(t.engine, id)).toEqual(['flaky:FAILED', 'flaky:FAILED', 'flaky:FAILED']);
  });

  it('never retries FAILED_WITH_TERMINAL_ERROR (TerminalError thrown) and still resolves outputParameters', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('t1'), simple('t2')], {
      taskDefs: [{ name: 't1', retryCount: 3, retryDelaySeconds: 0 }],
      def: { outputParameters: { o1: '${workflow.input.param1}', o2: '${t2.output.x}' } },
    });
    let calls = 0;
    t.engine.registerWorker('t1', async () => {
      calls++;
      throw new TerminalError('card declined');
    });
    const id = await t.engine.startWorkflow({ name: 'wf', input: { param1: 'p1' } });
    await t.engine.idle();
    await advance(t, 3_600_000);

    expect(calls).toBe(1);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.tasks).toHaveLength(1);
    const [t1] = wf.tasks;
    expect(t1).toMatchObject({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      retryCount: 0,
      reasonForIncompletion: 'card declined',
    });
    expect(wf).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: `Task ${t1.taskId} failed with status: FAILED and reason: 'card declined'`,
      failedReferenceTaskNames: ['t1'],
      output: { o1: 'p1', o2: null },
    });
  });

  it('treats a returned FAILED like a thrown error and a returned FAILED_WITH_TERMINAL_ERROR like TerminalError', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('soft'), simple('hard')], {
      taskDefs: [
        { name: 'soft', retryCount: 1, retryDelaySeconds: 0 },
        { name: 'hard', retryCount: 1, retryDelaySeconds: 0 },
      ],
    });
    let softCalls = 0;
    t.engine.registerWorker('soft', async () =>
      ++softCalls === 1
        ? { status: 'FAILED', reasonForIncompletion: 'soft', outputData: { a: 1 } }
        : { outputData: { a: 2 } },
    );
    t.engine.registerWorker('hard', async () => ({
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'hard',
    }));
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    const wf = await t.engine.getWorkflow(id);
    expect(
      wf.tasks.map((x) => [x.referenceTaskName, x.status, x.reasonForIncompletion, x.outputData]),
    ).toEqual([
      ['soft', 'FAILED', 'soft', { a: 1 }],
      ['soft', 'COMPLETED', null, { a: 2 }],
      ['hard', 'FAILED_WITH_TERMINAL_ERROR', 'hard', {}],
    ]);
    expect(wf.status).toBe('FAILED');
    expect(wf.failedReferenceTaskNames).toEqual(['soft', 'hard']);
  });

  it("a step's retryCount overrides its TaskDef's, both ways", async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('fewer', { retryCount: 1 }), simple('more', { retryCount: 2 })], {
      taskDefs: [
        { name: 'fewer', retryCount: 3, retryDelaySeconds: 0 },
        { name: 'more', retryCount: 0, retryDelaySeconds: 0 },
      ],
    });
    let fewer = 0;
    let more = 0;
    t.engine.registerWorker('fewer', async () => {
      // Fails twice: with the TaskDef's 3 retries it would pass on the third attempt.
      if (++fewer <= 2) throw new Error(`fewer ${fewer}`);
    });
    t.engine.registerWorker('more', async () => {
      if (++more <= 2) throw new Error(`more ${more}`);
    });
    const failing = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(fewer).toBe(2);
    expect((await t.engine.getWorkflow(failing)).status).toBe('FAILED');

    // Now `fewer` passes first time; `more` fails twice and succeeds on its 2nd retry though its TaskDef says 0.
    const passing = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(more).toBe(3);
    expect(await taskList(t.engine, passing)).toEqual([
      'fewer:COMPLETED',
      'more:FAILED',
      'more:FAILED',
      'more:COMPLETED',
    ]);
    expect((await t.engine.getWorkflow(passing)).status).toBe('COMPLETED');
  });

  it('a SIMPLE task without a registered TaskDef retries 3 times, 60 s apart', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('undefined_task')]);
    const at: number[] = [];
    t.engine.registerWorker('undefined_task', async () => {
      at.push(elapsed(t.clock));
      throw new Error('always');
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    await advance(t, 59_999);
    expect(at).toEqual([0]);
    await advance(t, 1);
    expect(at).toEqual([0, 60_000]);
    await advance(t, 600_000);
    expect(at).toEqual([0, 60_000, 120_000, 180_000]);
    expect((await t.engine.getWorkflow(id)).status).toBe('FAILED');
  });
});
