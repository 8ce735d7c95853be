import { describe, expect, it } from 'vitest';
import { advance, define, recordEvents, setup, simple, taskList } from '../helpers/engine.js';
import { byRef, complete, defineLinear, rejectsWith, stepOf } from './helpers.js';

describe('pauseWorkflow / resumeWorkflow', () => {
  it('lets workers finish scheduled tasks while paused but schedules nothing new until the resume', async () => {
    const { engine, clock } = await setup();
    await defineLinear(engine);
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await engine.pauseWorkflow(id);
    expect((await engine.getWorkflow(id)).status).toBe('PAUSED');

    // The SCHEDULED task can still be polled and completed.
    await complete(engine, 'task1', { v: 5 });
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED']);
    expect(await engine.getQueueSizes(['task2'])).toEqual({ task2: 0 });

    await clock.advance(1000);
    await engine.resumeWorkflow(id);
    const resumed = await engine.getWorkflow(id);
    expect(resumed.status).toBe('RUNNING');
    expect(resumed.lastRetriedTime).toBe(clock.now());
    expect(await taskList(engine, id)).toEqual(['t1:COMPLETED', 't2:SCHEDULED']);
    await complete(engine, 'task2', { v: 6 });
    expect((await engine.getWorkflow(id)).status).toBe('COMPLETED');
    expect(events.filter((e) => e.name.startsWith('workflow.')).map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'workflow.paused:PAUSED',
      'workflow.resumed:RUNNING',
      'workflow.completed:COMPLETED',
    ]);
  });

  it('holds a WAIT past its end until the resume', async () => {
    const t = await setup();
    await define(t.engine, 'waits', [
      stepOf('WAIT', 'wait', { inputParameters: { duration: '10s' } }),
      simple('after'),
    ]);
    const id = await t.engine.startWorkflow({ name: 'waits' });
    await t.engine.pauseWorkflow(id);
    await advance(t, 20_000);
    expect(await taskList(t.engine, id)).toEqual(['wait:IN_PROGRESS']);
    await t.engine.resumeWorkflow(id);
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['wait:COMPLETED', 'after:SCHEDULED']);
  });

  it('holds a JOIN whose branches finished while paused, and a sub-workflow that ended', async () => {
    const { engine } = await setup();
    await define(engine, 'child', [simple('leaf')]);
    await define(engine, 'forks', [
      stepOf('FORK_JOIN', 'fork', {
        forkTasks: [[simple('a')], [stepOf('SUB_WORKFLOW', 'sub', { subWorkflowParam: { name: 'child' } })]],
      }),
      stepOf('JOIN', 'join', { joinOn: ['a', 'sub'] }),
      simple('last'),
    ]);
    const id = await engine.startWorkflow({ name: 'forks' });
    await engine.idle();
    await engine.pauseWorkflow(id);
    await complete(engine, 'a');
    await complete(engine, 'leaf');
    const childId = byRef((await engine.getWorkflow(id)).tasks, 'sub').subWorkflowId as string;
    expect((await engine.getWorkflow(childId)).status).toBe('COMPLETED');
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:COMPLETED',
      'sub:IN_PROGRESS',
      'join:IN_PROGRESS',
    ]);

    await engine.resumeWorkflow(id);
    await engine.idle();
    expect(await taskList(engine, id)).toEqual([
      'fork:COMPLETED',
      'a:COMPLETED',
      'sub:COMPLETED',
      'join:COMPLETED',
      'last:SCHEDULED',
    ]);
  });

  it('resets the workflow timeout on resume', async () => {
    const t = await setup();
    await defineLinear(t.engine, { def: { timeoutSeconds: 60, timeoutPolicy: 'TIME_OUT_WF' } });
    const id = await t.engine.startWorkflow({ name: 'linear' });
    await advance(t, 50_000);
    await t.engine.pauseWorkflow(id);
    await advance(t, 50_000);
    await t.engine.resumeWorkflow(id);
    await advance(t, 59_999);
    expect((await t.engine.getWorkflow(id)).status).toBe('RUNNING');
    await advance(t, 1);
    expect((await t.engine.getWorkflow(id)).status).toBe('TIMED_OUT');
  });

  it('pausing twice is a no-op; ended workflows cannot be paused; only PAUSED ones resumed', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const events = recordEvents(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await rejectsWith(engine.resumeWorkflow(id), 'CONFLICT');
    await engine.pauseWorkflow(id);
    await engine.pauseWorkflow(id);
    expect(events.filter((e) => e.name === 'workflow.paused')).toHaveLength(1);
    await engine.resumeWorkflow(id);
    await rejectsWith(engine.resumeWorkflow(id), 'CONFLICT');

    await engine.terminateWorkflow(id, 'done');
    await rejectsWith(engine.pauseWorkflow(id), 'CONFLICT');
    await rejectsWith(engine.resumeWorkflow(id), 'CONFLICT');
    const other = await engine.startWorkflow({ name: 'linear' });
    await complete(engine, 'task1');
    await complete(engine, 'task2');
    await rejectsWith(engine.pauseWorkflow(other), 'CONFLICT');
    await rejectsWith(engine.pauseWorkflow('nope'), 'NOT_FOUND');
    await rejectsWith(engine.resumeWorkflow('nope'), 'NOT_FOUND');
  });

  it('a paused workflow can be terminated', async () => {
    const { engine } = await setup();
    await defineLinear(engine);
    const id = await engine.startWorkflow({ name: 'linear' });
    await engine.pauseWorkflow(id);
    await engine.terminateWorkflow(id, 'no longer needed');
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('TERMINATED');
    expect(await taskList(engine, id)).toEqual(['t1:CANCELED']);
    expect(await engine.getQueueSizes(['task1'])).toEqual({ task1: 0 });
  });
});
