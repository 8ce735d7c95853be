import { describe, expect, it } from 'vitest';
import { define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { byRef, complete, defineLinear, rejectsWith } from './helpers.js';

describe('skipTask', () => {
  it('stands a SKIPPED task (seq 0, listed first) in for a step; navigation passes over it', async () => {
    const { engine } = await setup();
    await define(engine, 'three', [
      simple('a'),
      simple('b'),
      simple('c', { inputParameters: { fromB: '${b.output.note}', fromBInput: '${b.input.why}' } }),
    ]);
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({ name: 'three', correlationId: 'corr' });
    await engine.skipTask(id, 'b', { taskInput: { why: 'not needed' }, taskOutput: { note: 'skipped' } });
    const wf = await engine.getWorkflow(id);
    expect(await taskList(engine, id)).toEqual(['b:SKIPPED', 'a:SCHEDULED']);
    expect(byRef(wf.tasks, 'b')).toMatchObject({
      seq: 0,
      taskType: 'b',
      inputData: { why: 'not needed' },
      outputData: { note: 'skipped' },
      correlationId: 'corr',
      workflowInstanceId: id,
    });
    expect(events.filter((e) => e.name === 'task.skipped').map((e) => e.label)).toEqual(['task.skipped:b']);

    await complete(engine, 'a');
    expect(await taskList(engine, id)).toEqual(['b:SKIPPED', 'a:COMPLETED', 'c:SCHEDULED']);
    const c = await complete(engine, 'c');
    expect(c.inputData).toEqual({ fromB: 'skipped', fromBInput: 'not needed' });
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
  });

  it('skipping the last step lets the workflow complete after the others', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await engine.skipTask(id, 't2', { taskOutput: { v: 'from skip' } });
    await complete(engine, 'task1');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ out: 'from skip' });
    expect(await taskList(engine, id)).toEqual(['t2:SKIPPED', 't1:COMPLETED']);
  });

  it('refuses a workflow not RUNNING, an unknown reference name and one already present', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await rejectsWith(engine.skipTask(id, 'nope'), 'CONFLICT');
    await rejectsWith(engine.skipTask(id, 't1'), 'CONFLICT');
    await engine.skipTask(id, 't2');
    await rejectsWith(engine.skipTask(id, 't2'), 'CONFLICT');
    await expect(engine.skipTask(id, 't1', { taskOutput: 'x' as never })).rejects.toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'taskOutput' }],
    });

    const paused = await engine.startWorkflow({ name: 'linear' });
    await engine.pauseWorkflow(paused);
    await rejectsWith(engine.skipTask(paused, 't2'), 'CONFLICT');
    await engine.terminateWorkflow(paused);
    await rejectsWith(engine.skipTask(paused, 't2'), 'CONFLICT');
    await rejectsWith(engine.skipTask('nope', 't2'), 'NOT_FOUND');
    expect(await taskList(engine, paused)).toEqual(['t1:CANCELED']);
  });
});
