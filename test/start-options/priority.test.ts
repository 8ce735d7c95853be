import { describe, expect, it } from 'vitest';
import { define, setup, simple } from '../helpers/engine.js';

describe('priority', () => {
  it('serves the task of a higher-priority workflow first, whatever the start order', async () => {
    const { engine } = await setup();
    await define(engine, 'job', [simple('work')]);
    const low = await engine.startWorkflow({ name: 'job', priority: 1 });
    const none = await engine.startWorkflow({ name: 'job' });
    const high = await engine.startWorkflow({ name: 'job', priority: 90 });
    const mid = await engine.startWorkflow({ name: 'job', priority: 50 });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await engine.pollTask('work'))!.workflowInstanceId);
    expect(order).toEqual([high, mid, low, none]);
    expect((await engine.getWorkflow(high)).priority).toBe(90);
    expect((await engine.getWorkflow(none)).tasks[0].workflowPriority).toBe(0);
  });

  it('orders batch polls by priority too', async () => {
    const { engine } = await setup();
    await define(engine, 'job', [simple('work')]);
    const ids: string[] = [];
    for (const priority of [0, 10, 99, 5]) ids.push(await engine.startWorkflow({ name: 'job', priority }));
    const tasks = await engine.batchPollTasks('work', { count: 4, timeoutMs: 0 });
    expect(tasks.map((t) => t.workflowPriority)).toEqual([99, 10, 5, 0]);
  });

  it('rejects a priority outside 0–99 or not an integer with a ValidationError at priority', async () => {
    const { engine } = await setup();
    await define(engine, 'job', [simple('work')]);
    for (const priority of [-1, 100, 1.5]) {
      await expect(engine.startWorkflow({ name: 'job', priority })).rejects.toMatchObject({
        code: 'VALIDATION',
        issues: [{ path: 'priority' }],
      });
    }
  });
});
