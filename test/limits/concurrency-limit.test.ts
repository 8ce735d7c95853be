import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { advance, deferred, define, s, setup, simple } from '../helpers/engine.js';

/** Lets pending promise chains and setImmediate hops run (idle() would wait for the blocked handlers). */
async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

async function startMany(engine: Engine, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await engine.startWorkflow({ name: 'limited', input: { i } }));
  return ids;
}

describe('concurrentExecLimit', () => {
  async function engineWith(limit: number, extra: Record<string, unknown> = {}) {
    const t = await setup();
    await define(t.engine, 'limited', [simple('work', { inputParameters: { i: '${workflow.input.i}' } })], {
      taskDefs: [{ name: 'work', concurrentExecLimit: limit, ...extra }],
    });
    return t;
  }

  it('runs one task at a time with limit 1: five tasks, each started as the previous one ends', async () => {
    const t = await engineWith(1);
    const gates = Array.from({ length: 5 }, () => deferred());
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    t.engine.registerWorker(
      'work',
      async (task) => {
        const i = task.inputData.i as number;
        order.push(i);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gates[i].promise;
        running--;
        return { outputData: { i } };
      },
      { concurrency: 5 },
    );
    const ids = await startMany(t.engine, 5);
    for (let step = 0; step < 5; step++) {
      // No clock tick: the slot freed by the ending task makes the next one pollable at once.
      await until(() => order.length === step + 1);
      await settle();
      expect(order).toHaveLength(step + 1);
      expect(running).toBe(1);
      gates[order[step]].resolve();
    }
    await t.engine.idle();
    expect(maxRunning).toBe(1);
    expect(order.slice().sort()).toEqual([0, 1, 2, 3, 4]);
    for (const id of ids) expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 0 });
  });

  it('caps IN_PROGRESS tasks for external pollers; completing, failing or putting back frees a slot', async () => {
    const t = await engineWith(2, { retryCount: 0 });
    const ids = await startMany(t.engine, 6);
    const first = await t.engine.batchPollTasks('work', { count: 6, timeoutMs: 0 });
    expect(first).toHaveLength(2);
    expect(await t.engine.pollTask('work')).toBeNull();
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 4 });

    await t.engine.updateTask({ taskId: first[0].taskId, status: 'COMPLETED' });
    const second = await t.engine.batchPollTasks('work', { count: 6, timeoutMs: 0 });
    expect(second).toHaveLength(1);

    await t.engine.updateTask({ taskId: first[1].taskId, status: 'FAILED', reasonForIncompletion: 'x' });
    const third = await t.engine.batchPollTasks('work', { count: 6, timeoutMs: 0 });
    expect(third).toHaveLength(1);

    // An IN_PROGRESS report puts the task back to SCHEDULED: its slot frees.
    await t.engine.updateTask({ taskId: second[0].taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 60 });
    const fourth = await t.engine.batchPollTasks('work', { count: 6, timeoutMs: 0 });
    expect(fourth).toHaveLength(1);
    expect(fourth[0].taskId).not.toBe(second[0].taskId);
    expect(await t.engine.pollTask('work')).toBeNull();

    const statuses = await Promise.all(ids.map(async (id) => (await t.engine.getWorkflow(id)).status));
    expect(statuses.sort()).toEqual(['COMPLETED', 'FAILED', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
  });

  it('frees the slot of a task that times out', async () => {
    const t = await engineWith(1, { responseTimeoutSeconds: 30, retryCount: 0 });
    await startMany(t.engine, 2);
    const held = await t.engine.pollTask('work');
    expect(held).not.toBeNull();
    await advance(t, s(29));
    expect(await t.engine.pollTask('work')).toBeNull();
    await advance(t, s(1));
    expect((await t.engine.getTask(held!.taskId)).status).toBe('TIMED_OUT');
    expect(await t.engine.pollTask('work')).not.toBeNull();
  });

  it('holds back a denied task for 60 s at most when no slot frees in this engine', async () => {
    const t = await engineWith(1);
    await startMany(t.engine, 2);
    const running = await t.engine.pollTask('work');
    expect(await t.engine.pollTask('work')).toBeNull();
    await advance(t, s(60));
    // Still held: the running task keeps its slot, and the poll denies it again.
    expect(await t.engine.pollTask('work')).toBeNull();
    await t.engine.updateTask({ taskId: running!.taskId, status: 'COMPLETED' });
    expect(await t.engine.pollTask('work')).not.toBeNull();
  });

  it('leaves no message behind for a held task canceled while it waited', async () => {
    const t = await engineWith(1);
    const [first, second] = await startMany(t.engine, 2);
    const running = await t.engine.pollTask('work');
    expect(running?.workflowInstanceId).toBe(first);
    expect(await t.engine.pollTask('work')).toBeNull();
    await t.engine.terminateWorkflow(second, 'not needed');
    await t.engine.updateTask({ taskId: running!.taskId, status: 'COMPLETED' });
    await t.engine.idle();
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 0 });
    expect(await t.engine.pollTask('work')).toBeNull();
  });

  it('combines with a rate limit', async () => {
    const t = await engineWith(2, { rateLimitPerFrequency: 3, rateLimitFrequencyInSeconds: 10 });
    await startMany(t.engine, 8);
    const a = await t.engine.batchPollTasks('work', { count: 8, timeoutMs: 0 });
    expect(a).toHaveLength(2);
    for (const task of a) await t.engine.updateTask({ taskId: task.taskId, status: 'COMPLETED' });
    // Two slots free, but only one poll is left in the window.
    expect(await t.engine.batchPollTasks('work', { count: 8, timeoutMs: 0 })).toHaveLength(1);
    await advance(t, s(10));
    expect(await t.engine.batchPollTasks('work', { count: 8, timeoutMs: 0 })).toHaveLength(1);
  });
});
