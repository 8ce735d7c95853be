import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { advance, define, s, setup, simple, tasksOf } from '../helpers/engine.js';

async function domainsOf(engine: Engine, workflowId: string): Promise<Record<string, string | null>> {
  const tasks = await tasksOf(engine, workflowId);
  return Object.fromEntries(tasks.map((t) => [t.referenceTaskName, t.domain]));
}

describe('taskToDomain', () => {
  it('queues a worker task in its domain: pollers of that domain get it, others do not', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [simple('work')]);
    const id = await engine.startWorkflow({ name: 'wf', taskToDomain: { '*': 'blue' } });
    expect(await domainsOf(engine, id)).toEqual({ work: 'blue' });
    expect(await engine.getQueueSizes(['work', 'blue:work'])).toEqual({ work: 0, 'blue:work': 1 });
    expect(await engine.pollTask('work')).toBeNull();
    expect(await engine.pollTask('work', { domain: 'green' })).toBeNull();
    const task = await engine.pollTask('work', { domain: 'blue' });
    expect(task).toMatchObject({ workflowInstanceId: id, domain: 'blue', status: 'IN_PROGRESS' });
  });

  it('lets a per-type entry override *, and NO_DOMAIN mean none; system tasks get no domain', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [
      simple('a'),
      simple('b'),
      simple('c'),
      { name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '1 hour' } },
    ]);
    const id = await engine.startWorkflow({
      name: 'wf',
      taskToDomain: { '*': 'blue', b: 'green', c: 'NO_DOMAIN' },
    });
    for (const [type, domain] of [
      ['a', 'blue'],
      ['b', 'green'],
      ['c', undefined],
    ] as const) {
      const task = await engine.pollTask(type, { domain });
      expect(task?.domain ?? null).toBe(domain ?? null);
      await engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED' });
    }
    expect(await domainsOf(engine, id)).toEqual({ a: 'blue', b: 'green', c: null, pause: null });
  });

  it('picks the first domain of a list with a poll in the last 10 s, else the last entry', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')]);
    const start = () => t.engine.startWorkflow({ name: 'wf', taskToDomain: { work: 'green, blue' } });

    expect(await domainsOf(t.engine, await start())).toEqual({ work: 'blue' });
    // A poll that finds nothing still shows a live worker of the domain.
    expect(await t.engine.pollTask('work', { domain: 'green' })).toBeNull();
    await advance(t, s(9));
    expect(await domainsOf(t.engine, await start())).toEqual({ work: 'green' });
    await advance(t, s(1));
    expect(await domainsOf(t.engine, await start())).toEqual({ work: 'blue' });
    // A poll of another task type, or without a domain, says nothing about green.
    await t.engine.pollTask('other', { domain: 'green' });
    await t.engine.pollTask('work');
    expect(await domainsOf(t.engine, await start())).toEqual({ work: 'blue' });
  });

  it('falls back to no domain when the list ends with NO_DOMAIN', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')]);
    const start = () => t.engine.startWorkflow({ name: 'wf', taskToDomain: { '*': 'green,NO_DOMAIN' } });
    expect(await domainsOf(t.engine, await start())).toEqual({ work: null });
    await t.engine.batchPollTasks('work', { domain: 'green', timeoutMs: 0 });
    expect(await domainsOf(t.engine, await start())).toEqual({ work: 'green' });
  });

  it('counts a registered in-process worker of a domain as live, and hands it the domain tasks', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')]);
    const served: string[] = [];
    t.engine.registerWorker('work', async () => {
      served.push('plain');
    });
    t.engine.registerWorker(
      'work',
      async () => {
        served.push('red');
        return { outputData: { by: 'red' } };
      },
      { domain: 'red' },
    );
    const run = await t.engine.executeWorkflow({ name: 'wf', taskToDomain: { '*': 'red,blue' } });
    expect(run.status).toBe('COMPLETED');
    expect(run.tasks[0]).toMatchObject({ domain: 'red', outputData: { by: 'red' } });
    const plain = await t.engine.executeWorkflow({ name: 'wf' });
    expect(plain.tasks[0].domain).toBeNull();
    expect(served).toEqual(['red', 'plain']);
  });

  it('chooses the domain again for a retry', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('work')], {
      taskDefs: [{ name: 'work', retryCount: 1, retryDelaySeconds: 0 }],
    });
    const id = await t.engine.startWorkflow({ name: 'wf', taskToDomain: { work: 'green,blue' } });
    const first = await t.engine.pollTask('work', { domain: 'blue' });
    expect(first?.domain).toBe('blue');
    await t.engine.pollTask('work', { domain: 'green' });
    await t.engine.updateTask({ taskId: first!.taskId, status: 'FAILED' });
    const tasks = await tasksOf(t.engine, id);
    expect(tasks.map((x) => `${x.status}@${x.domain}`)).toEqual(['FAILED@blue', 'SCHEDULED@green']);
  });
});
