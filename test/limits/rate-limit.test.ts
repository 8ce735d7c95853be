import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { advance, define, elapsed, s, setup, simple } from '../helpers/engine.js';

async function startMany(engine: Engine, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await engine.startWorkflow({ name: 'limited', input: { i } }));
  return ids;
}

describe('rateLimitPerFrequency + rateLimitFrequencyInSeconds', () => {
  async function engineWith(perFrequency: number, seconds: number) {
    const t = await setup();
    await define(t.engine, 'limited', [simple('work')], {
      taskDefs: [{ name: 'work', rateLimitPerFrequency: perFrequency, rateLimitFrequencyInSeconds: seconds }],
    });
    return t;
  }

  it('lets at most N polls through per window; the rest stay queued and none is lost', async () => {
    const t = await engineWith(3, 10);
    const ids = await startMany(t.engine, 10);
    const perWindow: number[] = [];
    for (let window = 0; window < 4; window++) {
      let polled = 0;
      // Poll often inside the window: only the window's allowance comes out.
      for (let step = 0; step < 5; step++) {
        const tasks = await t.engine.batchPollTasks('work', { count: 10, timeoutMs: 0 });
        polled += tasks.length;
        // Completing a task frees no rate slot.
        for (const task of tasks) await t.engine.updateTask({ taskId: task.taskId, status: 'COMPLETED' });
        await advance(t, s(2));
      }
      perWindow.push(polled);
    }
    expect(perWindow).toEqual([3, 3, 3, 1]);
    for (const id of ids) expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 0 });
  });

  it('keeps denied tasks waiting in the queue (counted by getQueueSizes) and SCHEDULED', async () => {
    const t = await engineWith(2, 60);
    const ids = await startMany(t.engine, 5);
    expect(await t.engine.batchPollTasks('work', { count: 5, timeoutMs: 0 })).toHaveLength(2);
    expect(await t.engine.pollTask('work')).toBeNull();
    expect(await t.engine.getQueueSizes(['work'])).toEqual({ work: 3 });
    const statuses = await Promise.all(
      ids.map(async (id) => (await t.engine.getWorkflow(id)).tasks[0].status),
    );
    expect(statuses.filter((x) => x === 'SCHEDULED')).toHaveLength(3);
  });

  it('slides the window from each poll time', async () => {
    const t = await engineWith(2, 10);
    await startMany(t.engine, 6);
    const poll = async () => (await t.engine.pollTask('work')) !== null;
    expect(await poll()).toBe(true); // T0
    await advance(t, s(4));
    expect(await poll()).toBe(true); // T0+4
    await advance(t, s(4));
    expect(await poll()).toBe(false); // T0+8: both still in the window
    await advance(t, s(2));
    expect(await poll()).toBe(true); // T0+10: the T0 poll left the window
    expect(await poll()).toBe(false);
    await advance(t, s(3));
    expect(await poll()).toBe(false); // T0+13: T0+4 still in
    await advance(t, s(1));
    expect(await poll()).toBe(true); // T0+14
  });

  it('offers a denied task to in-process workers exactly when the oldest poll leaves the window', async () => {
    const t = await engineWith(2, 5);
    const startedAt: number[] = [];
    t.engine.registerWorker(
      'work',
      async () => {
        startedAt.push(elapsed(t.clock));
      },
      { concurrency: 10 },
    );
    const ids = await startMany(t.engine, 9);
    await t.engine.idle();
    for (let i = 0; i < 25; i++) await advance(t, s(1));
    const counts = new Map<number, number>();
    for (const at of startedAt) counts.set(at, (counts.get(at) ?? 0) + 1);
    expect([...counts]).toEqual([
      [0, 2],
      [s(5), 2],
      [s(10), 2],
      [s(15), 2],
      [s(20), 1],
    ]);
    for (const id of ids) expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('counts re-polls of a task put back by an IN_PROGRESS report', async () => {
    const t = await engineWith(2, 10);
    await startMany(t.engine, 1);
    const first = await t.engine.pollTask('work');
    await t.engine.updateTask({ taskId: first!.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 1 });
    await advance(t, s(1));
    const again = await t.engine.pollTask('work');
    expect(again).toMatchObject({ taskId: first!.taskId, pollCount: 2 });
    await t.engine.updateTask({ taskId: first!.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 1 });
    await advance(t, s(1));
    expect(await t.engine.pollTask('work')).toBeNull();
    await advance(t, s(8));
    expect(await t.engine.pollTask('work')).toMatchObject({ pollCount: 3 });
  });

  it('applies per task definition, across domains and workflows', async () => {
    const t = await engineWith(1, 10);
    await define(t.engine, 'other', [simple('work')]);
    await t.engine.startWorkflow({ name: 'limited', taskToDomain: { work: 'blue' } });
    await t.engine.startWorkflow({ name: 'other' });
    expect(await t.engine.pollTask('work', { domain: 'blue' })).not.toBeNull();
    expect(await t.engine.pollTask('work')).toBeNull();
    await advance(t, s(10));
    expect(await t.engine.pollTask('work')).not.toBeNull();
  });
});
